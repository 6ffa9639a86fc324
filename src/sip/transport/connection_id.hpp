#pragma once
// ConnectionId layout (flow.hpp): the owning worker loop's index in the top
// 16 bits, a per-loop serial number (from 1) in the low 48. Any loop can thus
// tell which loop to post a send to without a shared table, and
// ConnectionId{} (0) never names a connection.

#include <cstddef>
#include <cstdint>

#include "sip/transport/flow.hpp"

namespace voxgate::sip {

inline constexpr unsigned kConnectionLoopShift = 48;
inline constexpr std::uint64_t kConnectionSerialMask = (std::uint64_t{1} << kConnectionLoopShift) - 1;
inline constexpr std::size_t kMaxConnectionLoops = std::size_t{1} << (64 - kConnectionLoopShift);

constexpr ConnectionId make_connection_id(std::size_t loop_index, std::uint64_t serial) noexcept {
  return ConnectionId{(static_cast<std::uint64_t>(loop_index) << kConnectionLoopShift) |
                      (serial & kConnectionSerialMask)};
}

constexpr std::size_t owning_loop(ConnectionId id) noexcept {
  return static_cast<std::size_t>(id.value() >> kConnectionLoopShift);
}

// Hands out the ids of one loop's connections.
class ConnectionIdAllocator {
 public:
  explicit constexpr ConnectionIdAllocator(std::size_t loop_index) noexcept : loop_index_(loop_index) {}

  ConnectionId next() noexcept {
    // 2^48 connections per loop outlive any process; wrap past 0 regardless.
    serial_ = (serial_ & kConnectionSerialMask) + 1;
    if ((serial_ & kConnectionSerialMask) == 0) serial_ = 1;
    return make_connection_id(loop_index_, serial_);
  }

 private:
  std::size_t loop_index_;
  std::uint64_t serial_ = 0;
};

}  // namespace voxgate::sip
