#pragma once
// Which sessions a list() returns or a subscription hears about. Every
// criterion that is set must hold (AND); an unset criterion matches all.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "session/registry/session_record.hpp"
#include "session/registry/session_state.hpp"

namespace voxgate::session {

// A set of session states as a bit mask: the filter is copied into every
// subscription and checked on every change, so it must be cheap.
class SessionStateSet {
 public:
  SessionStateSet() = default;
  SessionStateSet(std::initializer_list<SessionState> states) noexcept {
    for (const SessionState state : states) insert(state);
  }

  void insert(SessionState state) noexcept { bits_ |= bit(state); }
  [[nodiscard]] bool contains(SessionState state) const noexcept { return (bits_ & bit(state)) != 0; }
  [[nodiscard]] bool empty() const noexcept { return bits_ == 0; }

 private:
  static std::uint16_t bit(SessionState state) noexcept {
    return static_cast<std::uint16_t>(1U << static_cast<unsigned>(state));
  }
  std::uint16_t bits_ = 0;
};

struct SessionFilter {
  static constexpr std::size_t kDefaultLimit = 100;
  static constexpr std::size_t kMaxLimit = 1000;

  SessionStateSet states;              // empty: any state
  std::optional<Direction> direction;  // unset: both
  // A case-sensitive substring of the local or the remote party's URI, so
  // "alice@" finds "sip:alice@example.com;transport=tcp" whichever side
  // Alice is on. Empty: any party.
  std::string party;
  // Substrings of the caller's URI (From: the remote party of an inbound
  // session, ours of an outbound one) and of the callee's (To).
  std::string from;
  std::string to;
  // Key=value pairs that must all be present, values compared exactly.
  std::vector<std::pair<std::string, std::string>> metadata;
  std::optional<Clock::WallTime> created_after;   // strictly after
  std::optional<Clock::WallTime> created_before;  // strictly before

  // Paging, for list() only (a subscription ignores both): at most `limit`
  // records with ids above `cursor`, in id order. The cursor is opaque to
  // callers: pass back the page's next_cursor unchanged.
  std::size_t limit = kDefaultLimit;
  std::optional<SessionId> cursor;

  // Every criterion but the paging ones.
  [[nodiscard]] bool matches(const SessionRecord& record) const noexcept;
};

// InvalidArgument for a limit of 0 or above kMaxLimit, or a metadata
// criterion with an empty key.
Result<void> validate(const SessionFilter& filter);

}  // namespace voxgate::session
