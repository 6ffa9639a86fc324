#include "session/registry/session_state.hpp"

#include <algorithm>
#include <utility>

namespace voxgate::session {

namespace {

using S = SessionState;
using M = MediaState;

// Every move a session may make. Anything else is a bug in the caller.
constexpr std::pair<S, S> kSessionMoves[] = {
    // Outbound: INVITE sent; inbound: INVITE received. A session refused
    // before either (a limit, a bad request) ends at once.
    {S::Initializing, S::Dialing},
    {S::Initializing, S::Ringing},
    {S::Initializing, S::Connected},  // inbound, answered without ringing
    {S::Initializing, S::Terminated},
    // Before the answer: provisional responses (RFC 3261 §13.2.2.1, §13.3.1.1).
    {S::Dialing, S::Ringing},
    {S::Dialing, S::Early},
    {S::Ringing, S::Early},
    {S::Early, S::Ringing},  // a 180 after a 183: alerting without early media
    {S::Dialing, S::Connected},
    {S::Ringing, S::Connected},
    {S::Early, S::Connected},
    // CANCEL sent (§9.1), or the outcome came without our asking.
    {S::Dialing, S::Terminating},
    {S::Ringing, S::Terminating},
    {S::Early, S::Terminating},
    {S::Dialing, S::Terminated},
    {S::Ringing, S::Terminated},
    {S::Early, S::Terminated},
    // Established: hold/resume (RFC 3264 §8.4), transfer (RFC 3515), the end.
    {S::Connected, S::OnHold},
    {S::OnHold, S::Connected},
    {S::Connected, S::Transferring},
    {S::OnHold, S::Transferring},
    {S::Transferring, S::Connected},  // the transfer failed; the call goes on
    {S::Transferring, S::OnHold},
    {S::Connected, S::Terminating},
    {S::OnHold, S::Terminating},
    {S::Transferring, S::Terminating},
    {S::Connected, S::Terminated},  // the peer's BYE, 481/408 to a request
    {S::OnHold, S::Terminated},
    {S::Transferring, S::Terminated},
    {S::Terminating, S::Terminated},
};

constexpr std::pair<M, M> kMediaMoves[] = {
    {M::None, M::Negotiating},  // an offer out or in
    {M::None, M::Failed},       // an INVITE whose offer we cannot take (488)
    {M::Negotiating, M::Active},
    {M::Negotiating, M::Paused},  // the answer holds the media (sendonly/recvonly/inactive)
    {M::Negotiating, M::Failed},
    {M::Negotiating, M::None},    // the initial offer withdrawn (the call never answered)
    {M::Active, M::Negotiating},  // a re-offer (RFC 3264 §8)
    {M::Paused, M::Negotiating},
    {M::Active, M::Paused},  // a re-offer rolled back to what held before
    {M::Paused, M::Active},
    {M::Active, M::Failed},  // media timeout, send failures
    {M::Paused, M::Failed},
    {M::Active, M::None},  // the call ended, the stream stopped
    {M::Paused, M::None},
    {M::Failed, M::Negotiating},  // a new offer after a failure
    {M::Failed, M::None},
};

template <class State, std::size_t N, std::size_t Moves>
constexpr std::array<std::array<bool, N>, N> table_of(const std::pair<State, State> (&moves)[Moves]) {
  std::array<std::array<bool, N>, N> allowed{};
  for (const auto& [from, to] : moves) allowed[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)] = true;
  return allowed;
}

constexpr auto kSessionTable = table_of<S, kSessionStateCount>(kSessionMoves);
constexpr auto kMediaTable = table_of<M, kMediaStateCount>(kMediaMoves);

template <class Table, class State>
bool allowed(const Table& table, State from, State to) noexcept {
  return table[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)];
}

}  // namespace

std::string_view to_string(SessionState state) noexcept {
  switch (state) {
    case S::Initializing: return "Initializing";
    case S::Dialing: return "Dialing";
    case S::Ringing: return "Ringing";
    case S::Early: return "Early";
    case S::Connected: return "Connected";
    case S::OnHold: return "OnHold";
    case S::Transferring: return "Transferring";
    case S::Terminating: return "Terminating";
    case S::Terminated: return "Terminated";
  }
  return "Unknown";
}

std::string_view to_string(MediaState state) noexcept {
  switch (state) {
    case M::None: return "None";
    case M::Negotiating: return "Negotiating";
    case M::Active: return "Active";
    case M::Paused: return "Paused";
    case M::Failed: return "Failed";
  }
  return "Unknown";
}

std::string_view to_string(TransitionCause cause) noexcept {
  using C = TransitionCause;
  switch (cause) {
    case C::InviteSent: return "invite-sent";
    case C::InviteReceived: return "invite-received";
    case C::ProvisionalSent: return "provisional-sent";
    case C::ProvisionalReceived: return "provisional-received";
    case C::EarlyMedia: return "early-media";
    case C::Answered: return "answered";
    case C::HoldLocal: return "hold-local";
    case C::HoldRemote: return "hold-remote";
    case C::ResumeLocal: return "resume-local";
    case C::ResumeRemote: return "resume-remote";
    case C::TransferStarted: return "transfer-started";
    case C::TransferFailed: return "transfer-failed";
    case C::HangupLocal: return "hangup-local";
    case C::HangupRemote: return "hangup-remote";
    case C::Rejected: return "rejected";
    case C::Cancelled: return "cancelled";
    case C::Failed: return "failed";
    case C::SessionTimerExpired: return "session-timer-expired";
    case C::OfferSent: return "offer-sent";
    case C::OfferReceived: return "offer-received";
    case C::AnswerApplied: return "answer-applied";
    case C::OfferFailed: return "offer-failed";
    case C::MediaTimeout: return "media-timeout";
    case C::MediaStopped: return "media-stopped";
    case C::Shutdown: return "shutdown";
    case C::Transferred: return "transferred";
  }
  return "unknown";
}

Result<void> check_transition(SessionState from, SessionState to) {
  if (allowed(kSessionTable, from, to)) return {};
  return make_error(Errc::InvalidState, "session cannot go from {} to {}", to_string(from), to_string(to));
}

Result<void> check_transition(MediaState from, MediaState to) {
  if (allowed(kMediaTable, from, to)) return {};
  return make_error(Errc::InvalidState, "session media cannot go from {} to {}", to_string(from), to_string(to));
}

TransitionCounts& TransitionCounts::operator+=(const TransitionCounts& other) noexcept {
  for (std::size_t i = 0; i < session.size(); ++i) {
    for (std::size_t j = 0; j < session[i].size(); ++j) session[i][j] += other.session[i][j];
  }
  for (std::size_t i = 0; i < media.size(); ++i) {
    for (std::size_t j = 0; j < media[i].size(); ++j) media[i][j] += other.media[i][j];
  }
  refused += other.refused;
  return *this;
}

Result<void> SessionStateMachine::move_to(SessionState to, TransitionCause cause, Clock::TimePoint now) {
  if (auto checked = check_transition(state_, to); !checked) {
    if (counts_ != nullptr) ++counts_->refused;
    return checked;
  }
  history_.push_back(StateChange{now, state_, to, cause});
  if (counts_ != nullptr) ++counts_->session[static_cast<std::size_t>(state_)][static_cast<std::size_t>(to)];
  state_ = to;
  return {};
}

Result<void> SessionStateMachine::move_media_to(MediaState to, TransitionCause cause, Clock::TimePoint now) {
  if (auto checked = check_transition(media_, to); !checked) {
    if (counts_ != nullptr) ++counts_->refused;
    return checked;
  }
  media_history_.push_back(MediaStateChange{now, media_, to, cause});
  if (counts_ != nullptr) ++counts_->media[static_cast<std::size_t>(media_)][static_cast<std::size_t>(to)];
  media_ = to;
  return {};
}

std::optional<Clock::TimePoint> SessionStateMachine::answered() const noexcept {
  const auto it = std::find_if(history_.begin(), history_.end(),
                               [](const StateChange& change) { return change.to == SessionState::Connected; });
  if (it == history_.end()) return std::nullopt;
  return it->at;
}

std::optional<Clock::TimePoint> SessionStateMachine::ended() const noexcept {
  if (state_ != SessionState::Terminated) return std::nullopt;
  return history_.back().at;
}

}  // namespace voxgate::session
