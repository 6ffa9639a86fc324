#include "sip/transaction/client_invite_transaction.hpp"

#include <utility>

#include "sip/transaction/request_builders.hpp"

namespace voxgate::sip {

auto ClientInviteTransaction::transition(State from, Event event) -> Result<State> {
  switch (from) {
    case State::Calling:
      switch (event) {
        case Event::TimerA: return State::Calling;
        case Event::Provisional: return State::Proceeding;
        case Event::Success: return State::Accepted;  // RFC 6026 §7.2 (RFC 3261: Terminated)
        case Event::Failure: return State::Completed;
        case Event::TimerB:
        case Event::TransportError: return State::Terminated;
        default: break;
      }
      break;
    case State::Proceeding:
      switch (event) {
        case Event::Provisional: return State::Proceeding;
        case Event::Success: return State::Accepted;
        case Event::Failure: return State::Completed;
        case Event::CancelGuard: return State::Terminated;
        default: break;
      }
      break;
    case State::Completed:
      switch (event) {
        case Event::Failure: return State::Completed;  // a retransmission: ACK again
        case Event::TimerD:
        case Event::TransportError: return State::Terminated;
        default: break;
      }
      break;
    case State::Accepted:
      switch (event) {
        case Event::Success: return State::Accepted;  // 2xx retransmissions and forks go up
        case Event::TimerM: return State::Terminated;
        default: break;
      }
      break;
    case State::Terminated: break;
  }
  return tl::unexpected(invalid_transition(TransactionKind::ClientInvite, to_string(from), to_string(event)));
}

ClientInviteTransaction::ClientInviteTransaction(TransactionContext& context, TransactionRef self, Message invite)
    : context_(context), self_(self), request_(std::move(invite)) {}

ClientInviteTransaction::~ClientInviteTransaction() {
  stop_all_timers();
}

void ClientInviteTransaction::stop_all_timers() noexcept {
  context_.stop_timer(timer_a_);
  context_.stop_timer(timer_b_);
  context_.stop_timer(timer_d_);
  context_.stop_timer(timer_m_);
  context_.stop_timer(cancel_guard_);
}

Result<void> ClientInviteTransaction::start(const Target& target, std::string_view branch) {
  auto flow = context_.send_request(self_, request_, target, branch);
  if (!flow) return tl::unexpected(std::move(flow.error()));
  flow_ = *flow;
  // The transport may have moved a large request from UDP to TCP (§18.1.1):
  // reliability is that of the flow used.
  reliable_ = is_reliable(flow_.transport);
  const TimerSettings& settings = context_.settings();
  if (!reliable_) {
    interval_a_ = settings.t1;
    timer_a_ = context_.start_timer(self_, TimerName::A, interval_a_);
  }
  timer_b_ = context_.start_timer(self_, TimerName::B, settings.transaction_timeout());
  return {};
}

Result<Outcome> ClientInviteTransaction::on_response(const Message& response) {
  switch (classify_status(response.status())) {
    case StatusClass::Provisional: return handle(Event::Provisional, &response);
    case StatusClass::Success: return handle(Event::Success, &response);
    case StatusClass::Failure: return handle(Event::Failure, &response);
    case StatusClass::Invalid: break;
  }
  return make_error(Errc::InvalidArgument, "status {} is not a SIP response class", response.status());
}

Result<Outcome> ClientInviteTransaction::on_timer(TimerName name) {
  switch (name) {
    case TimerName::A: timer_a_ = {}; return handle(Event::TimerA, nullptr);
    case TimerName::B: timer_b_ = {}; return handle(Event::TimerB, nullptr);
    case TimerName::D: timer_d_ = {}; return handle(Event::TimerD, nullptr);
    case TimerName::M: timer_m_ = {}; return handle(Event::TimerM, nullptr);
    case TimerName::CancelGuard: cancel_guard_ = {}; return handle(Event::CancelGuard, nullptr);
    default: break;
  }
  return make_error(Errc::Internal, "client INVITE transaction has no {}", to_string(name));
}

Result<Outcome> ClientInviteTransaction::on_transport_error() {
  return handle(Event::TransportError, nullptr);
}

void ClientInviteTransaction::start_cancel_guard() {
  if (state_ != State::Calling && state_ != State::Proceeding) return;
  context_.stop_timer(cancel_guard_);
  cancel_guard_ = context_.start_timer(self_, TimerName::CancelGuard, context_.settings().transaction_timeout());
}

Result<Outcome> ClientInviteTransaction::handle(Event event, const Message* response) {
  const auto next = transition(state_, event);
  if (!next) return tl::unexpected(next.error());
  const State from = state_;
  state_ = *next;

  TransactionStats& stats = context_.stats();
  const TimerSettings& settings = context_.settings();
  Outcome outcome;
  switch (event) {
    case Event::TimerA:
      // §17.1.1.2: retransmit, and double the interval (no cap: Timer B ends it).
      if (auto sent = context_.send_on_flow(request_, flow_); !sent) return handle(Event::TransportError, nullptr);
      ++stats.retransmissions_sent;
      interval_a_ *= 2;
      timer_a_ = context_.start_timer(self_, TimerName::A, interval_a_);
      break;
    case Event::Provisional:
      // Leaving Calling stops the retransmissions and Timer B.
      context_.stop_timer(timer_a_);
      context_.stop_timer(timer_b_);
      outcome.to_user = true;
      break;
    case Event::Success:
      outcome.to_user = true;
      if (from != State::Accepted) {
        // RFC 6026 §7.2: the TU ACKs the 2xx; stay to pass up its retransmissions.
        context_.stop_timer(timer_a_);
        context_.stop_timer(timer_b_);
        context_.stop_timer(cancel_guard_);
        timer_m_ = context_.start_timer(self_, TimerName::M, settings.transaction_timeout());
      }
      break;
    case Event::Failure:
      if (from == State::Completed) {
        // §17.1.1.2: a retransmitted final response gets the ACK again and
        // is not passed up.
        ++stats.absorbed_retransmissions;
        if (auto sent = context_.send_on_flow(ack_, flow_); !sent) return handle(Event::TransportError, nullptr);
        ++stats.retransmissions_sent;
        break;
      }
      enter_completed(*response, outcome);
      break;
    case Event::TimerB:
    case Event::CancelGuard: outcome.ended = TransactionEnd::Timeout; break;
    case Event::TimerD:
    case Event::TimerM: outcome.ended = TransactionEnd::Completed; break;
    case Event::TransportError: outcome.ended = TransactionEnd::TransportError; break;
  }
  if (state_ == State::Terminated) stop_all_timers();
  return outcome;
}

void ClientInviteTransaction::enter_completed(const Message& response, Outcome& outcome) {
  context_.stop_timer(timer_a_);
  context_.stop_timer(timer_b_);
  context_.stop_timer(cancel_guard_);
  outcome.to_user = true;
  // §17.1.1.3: the transaction ACKs a non-2xx final response itself, on the
  // INVITE's flow.
  auto ack = build_ack_for_non2xx(request_, response);
  if (ack) {
    ack_ = ack->serialize();
    if (auto sent = context_.send_on_flow(ack_, flow_); !sent) {
      state_ = *transition(state_, Event::TransportError);
      stop_all_timers();
      outcome.ended = TransactionEnd::TransportError;
      return;
    }
  }
  // Timer D: "at least 32 seconds for unreliable transports, and zero
  // seconds for reliable transports": at zero, fire it now.
  const Clock::Duration timer_d = reliable_ ? Clock::Duration::zero() : context_.settings().timer_d;
  if (timer_d <= Clock::Duration::zero()) {
    state_ = *transition(state_, Event::TimerD);
    outcome.ended = TransactionEnd::Completed;
    return;
  }
  timer_d_ = context_.start_timer(self_, TimerName::D, timer_d);
}

namespace {

// The machine's state as the layer reports it; its name is the RFC's.
TransactionState to_common(ClientInviteTransaction::State state) noexcept {
  using State = ClientInviteTransaction::State;
  switch (state) {
    case State::Calling: return TransactionState::Calling;
    case State::Proceeding: return TransactionState::Proceeding;
    case State::Completed: return TransactionState::Completed;
    case State::Accepted: return TransactionState::Accepted;
    case State::Terminated: return TransactionState::Terminated;
  }
  return TransactionState::Terminated;
}

}  // namespace

TransactionState ClientInviteTransaction::common_state() const noexcept {
  return to_common(state_);
}

std::string_view to_string(ClientInviteTransaction::State state) noexcept {
  return to_string(to_common(state));
}

std::string_view to_string(ClientInviteTransaction::Event event) noexcept {
  switch (event) {
    case ClientInviteTransaction::Event::Provisional: return "1xx";
    case ClientInviteTransaction::Event::Success: return "2xx";
    case ClientInviteTransaction::Event::Failure: return "300-699";
    case ClientInviteTransaction::Event::TimerA: return "Timer A";
    case ClientInviteTransaction::Event::TimerB: return "Timer B";
    case ClientInviteTransaction::Event::TimerD: return "Timer D";
    case ClientInviteTransaction::Event::TimerM: return "Timer M";
    case ClientInviteTransaction::Event::CancelGuard: return "CANCEL guard";
    case ClientInviteTransaction::Event::TransportError: return "transport error";
  }
  return "?";
}

}  // namespace voxgate::sip
