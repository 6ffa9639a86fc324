#pragma once
// The life of a session (docs/SESSIONS.md): one state variable for the call,
// one for its media, and the only moves between them, as tables in
// session_state.cpp. A move the table does not hold is refused with an error
// naming both states; every accepted move is recorded with its time and
// cause, so a session's history explains how it got where it is.
//
// Seed 000's dialog-centred states map onto these: Idle = Initializing;
// Early = Dialing, Ringing, Early; Confirmed = Connected, OnHold,
// Transferring; Terminating and Terminated as they are.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace voxgate::session {

enum class SessionState : std::uint8_t {
  Initializing,  // created, nothing sent or answered yet
  Dialing,       // outbound: INVITE sent, no provisional response yet
  Ringing,       // inbound: alerting (180 sent); outbound: the far end rings (180 received)
  Early,         // early media flows (183 with SDP, RFC 3960)
  Connected,     // answered and acknowledged
  OnHold,        // connected, media held (RFC 3264 §8.4) by either side
  Transferring,  // connected, a transfer (REFER, RFC 3515) in progress
  Terminating,   // BYE or CANCEL sent, waiting for the outcome
  Terminated,    // over; kept for the registry's retention only
};
inline constexpr std::size_t kSessionStateCount = 9;

enum class MediaState : std::uint8_t {
  None,         // no offer/answer yet, or the media stopped at the end
  Negotiating,  // an offer is out (ours or theirs) and not yet answered
  Active,       // agreed, and the stream runs
  Paused,       // agreed as sendonly/recvonly/inactive (hold)
  Failed,       // no agreement (488), or the media stopped on its own (timeout)
};
inline constexpr std::size_t kMediaStateCount = 5;

// What made a state change, recorded with it.
enum class TransitionCause : std::uint8_t {
  InviteSent,
  InviteReceived,
  ProvisionalSent,
  ProvisionalReceived,
  EarlyMedia,
  Answered,
  HoldLocal,
  HoldRemote,
  ResumeLocal,
  ResumeRemote,
  TransferStarted,
  TransferFailed,
  HangupLocal,
  HangupRemote,
  Rejected,
  Cancelled,
  Failed,  // a non-2xx final response, a transaction timeout
  SessionTimerExpired,
  OfferSent,
  OfferReceived,
  AnswerApplied,
  OfferFailed,  // 488, 491, or a failed re-offer rolled back
  MediaTimeout,
  MediaStopped,
  Shutdown,
  Transferred,  // our blind transfer (RFC 3515) succeeded: we hung up, the peer talks to the target
};

std::string_view to_string(SessionState state) noexcept;
std::string_view to_string(MediaState state) noexcept;
std::string_view to_string(TransitionCause cause) noexcept;

// Ok when the table allows from -> to; otherwise InvalidState naming both.
Result<void> check_transition(SessionState from, SessionState to);
Result<void> check_transition(MediaState from, MediaState to);

struct StateChange {
  Clock::TimePoint at;
  SessionState from;
  SessionState to;
  TransitionCause cause;
};

struct MediaStateChange {
  Clock::TimePoint at;
  MediaState from;
  MediaState to;
  TransitionCause cause;
};

// How many times each move happened, over many sessions (one per worker
// loop, summed for metrics). Indexed [from][to].
struct TransitionCounts {
  std::array<std::array<std::uint64_t, kSessionStateCount>, kSessionStateCount> session{};
  std::array<std::array<std::uint64_t, kMediaStateCount>, kMediaStateCount> media{};
  std::uint64_t refused = 0;  // moves the tables do not allow

  TransitionCounts& operator+=(const TransitionCounts& other) noexcept;
};

// One session's two state variables and their history. Not thread-safe: it
// lives on the session's loop.
class SessionStateMachine {
 public:
  // `counts` (optional, must outlive this) is where moves are counted.
  explicit SessionStateMachine(Clock::TimePoint created, TransitionCounts* counts = nullptr) noexcept
      : created_(created), counts_(counts) {}

  // The one transition point for each variable: checked against the table,
  // recorded, counted. A refused move changes nothing.
  Result<void> move_to(SessionState to, TransitionCause cause, Clock::TimePoint now);
  Result<void> move_media_to(MediaState to, TransitionCause cause, Clock::TimePoint now);

  [[nodiscard]] SessionState state() const noexcept { return state_; }
  [[nodiscard]] MediaState media_state() const noexcept { return media_; }
  [[nodiscard]] Clock::TimePoint created() const noexcept { return created_; }
  [[nodiscard]] const std::vector<StateChange>& history() const noexcept { return history_; }
  [[nodiscard]] const std::vector<MediaStateChange>& media_history() const noexcept { return media_history_; }
  // When the session first reached Connected, or Terminated.
  [[nodiscard]] std::optional<Clock::TimePoint> answered() const noexcept;
  [[nodiscard]] std::optional<Clock::TimePoint> ended() const noexcept;

 private:
  Clock::TimePoint created_;
  TransitionCounts* counts_;
  SessionState state_ = SessionState::Initializing;
  MediaState media_ = MediaState::None;
  std::vector<StateChange> history_;
  std::vector<MediaStateChange> media_history_;
};

}  // namespace voxgate::session
