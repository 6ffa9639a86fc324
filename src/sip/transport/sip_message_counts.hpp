#pragma once
// SIP messages counted by kind, for metrics: requests by method (RFC 3261
// §7.1 and the extensions of sip/message/method.hpp; any other method counts
// as Method::Extension) and responses by status code (100-699, §7.2).
// SipMessageCounters are one loop's live counters (single writer, as
// Counter), SipMessageCounts a snapshot that sums.
//
// Both are plain arrays indexed by enum or code: counting costs one
// increment on the hot path, with no map and no allocation.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/message/message.hpp"
#include "sip/message/method.hpp"
#include "sip/transport/counter.hpp"

namespace voxgate::sip {

inline constexpr std::size_t kCountedMethods = static_cast<std::size_t>(Method::Extension) + 1;
inline constexpr std::uint16_t kLowestStatus = 100;
inline constexpr std::uint16_t kHighestStatus = 699;
inline constexpr std::size_t kCountedStatuses = kHighestStatus - kLowestStatus + 1;

struct SipMessageCounts {
  std::array<std::uint64_t, kCountedMethods> requests{};    // by Method
  std::array<std::uint64_t, kCountedStatuses> responses{};  // by status code - 100

  [[nodiscard]] std::uint64_t requests_of(Method method) const noexcept {
    return requests[static_cast<std::size_t>(method)];
  }
  // 0 for a code outside 100-699.
  [[nodiscard]] std::uint64_t responses_of(std::uint16_t status) const noexcept;

  SipMessageCounts& operator+=(const SipMessageCounts& other) noexcept;
};

class SipMessageCounters {
 public:
  void count(const Message& message) noexcept;
  // A message already serialized, by its start line: what the send paths
  // have, retransmissions included. Bytes that start like neither a request
  // nor a status line count as an Extension request (they never do: the
  // transport sends only what it serialized).
  void count_serialized(std::string_view bytes) noexcept;
  void count_request(Method method) noexcept { requests_[static_cast<std::size_t>(method)].add(); }
  // A code outside 100-699 is not counted.
  void count_response(std::uint16_t status) noexcept;

  [[nodiscard]] SipMessageCounts snapshot() const noexcept;

 private:
  std::array<Counter, kCountedMethods> requests_;
  std::array<Counter, kCountedStatuses> responses_;
};

}  // namespace voxgate::sip
