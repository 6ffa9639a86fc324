#include "sip/transaction/server_non_invite_transaction.hpp"

#include <utility>

namespace voxgate::sip {

auto ServerNonInviteTransaction::transition(State from, Event event) -> Result<State> {
  switch (from) {
    case State::Trying:
      switch (event) {
        case Event::RequestRetransmission: return State::Trying;  // absorbed: nothing to resend yet
        case Event::Provisional: return State::Proceeding;
        case Event::Final: return State::Completed;
        default: break;
      }
      break;
    case State::Proceeding:
      switch (event) {
        case Event::RequestRetransmission:
        case Event::Provisional: return State::Proceeding;
        case Event::Final: return State::Completed;
        case Event::TransportError: return State::Terminated;
        default: break;
      }
      break;
    case State::Completed:
      switch (event) {
        case Event::RequestRetransmission: return State::Completed;
        case Event::TimerJ:
        case Event::TransportError: return State::Terminated;
        default: break;
      }
      break;
    case State::Terminated: break;
  }
  return tl::unexpected(invalid_transition(TransactionKind::ServerNonInvite, to_string(from), to_string(event)));
}

ServerNonInviteTransaction::ServerNonInviteTransaction(TransactionContext& context, TransactionRef self,
                                                       const Flow& request_flow)
    : context_(context), self_(self), flow_(request_flow), reliable_(is_reliable(request_flow.transport)) {}

ServerNonInviteTransaction::~ServerNonInviteTransaction() {
  context_.stop_timer(timer_j_);
}

Result<Outcome> ServerNonInviteTransaction::respond(Message response) {
  switch (classify_status(response.status())) {
    case StatusClass::Provisional: return handle(Event::Provisional, std::move(response));
    case StatusClass::Success:
    case StatusClass::Failure: return handle(Event::Final, std::move(response));
    case StatusClass::Invalid: break;
  }
  return make_error(Errc::InvalidArgument, "status {} is not a SIP response class", response.status());
}

Result<Outcome> ServerNonInviteTransaction::on_request_retransmission(const Flow& flow) {
  flow_ = flow;
  return handle(Event::RequestRetransmission, std::nullopt);
}

Result<Outcome> ServerNonInviteTransaction::on_timer(TimerName name) {
  if (name == TimerName::J) {
    timer_j_ = {};
    return handle(Event::TimerJ, std::nullopt);
  }
  return make_error(Errc::Internal, "server non-INVITE transaction has no {}", to_string(name));
}

Result<Outcome> ServerNonInviteTransaction::on_transport_error() {
  return handle(Event::TransportError, std::nullopt);
}

Result<Outcome> ServerNonInviteTransaction::handle(Event event, std::optional<Message> response) {
  const auto next = transition(state_, event);
  if (!next) return tl::unexpected(next.error());
  const State from = state_;
  state_ = *next;

  TransactionStats& stats = context_.stats();
  Outcome outcome;
  switch (event) {
    case Event::RequestRetransmission:
      // §17.2.2: Trying absorbs; Proceeding and Completed resend the latest response.
      ++stats.absorbed_retransmissions;
      if (from != State::Trying && last_response_) {
        if (auto sent = context_.send_response(self_, *last_response_, flow_); !sent) {
          return handle(Event::TransportError, std::nullopt);
        }
        ++stats.retransmissions_sent;
      }
      break;
    case Event::Provisional:
    case Event::Final:
      last_response_ = std::move(response);
      if (auto sent = context_.send_response(self_, *last_response_, flow_); !sent) {
        return handle(Event::TransportError, std::nullopt);
      }
      if (event == Event::Final) {
        // Timer J: 64*T1 for unreliable transports, zero (fire now) for reliable.
        if (reliable_) {
          state_ = *transition(state_, Event::TimerJ);
          outcome.ended = TransactionEnd::Completed;
        } else {
          timer_j_ = context_.start_timer(self_, TimerName::J, context_.settings().transaction_timeout());
        }
      }
      break;
    case Event::TimerJ: outcome.ended = TransactionEnd::Completed; break;
    case Event::TransportError: outcome.ended = TransactionEnd::TransportError; break;
  }
  if (state_ == State::Terminated) context_.stop_timer(timer_j_);
  return outcome;
}

namespace {

// The machine's state as the layer reports it; its name is the RFC's.
TransactionState to_common(ServerNonInviteTransaction::State state) noexcept {
  using State = ServerNonInviteTransaction::State;
  switch (state) {
    case State::Trying: return TransactionState::Trying;
    case State::Proceeding: return TransactionState::Proceeding;
    case State::Completed: return TransactionState::Completed;
    case State::Terminated: return TransactionState::Terminated;
  }
  return TransactionState::Terminated;
}

}  // namespace

TransactionState ServerNonInviteTransaction::common_state() const noexcept {
  return to_common(state_);
}

std::string_view to_string(ServerNonInviteTransaction::State state) noexcept {
  return to_string(to_common(state));
}

std::string_view to_string(ServerNonInviteTransaction::Event event) noexcept {
  switch (event) {
    case ServerNonInviteTransaction::Event::RequestRetransmission: return "request retransmission";
    case ServerNonInviteTransaction::Event::Provisional: return "1xx from TU";
    case ServerNonInviteTransaction::Event::Final: return "200-699 from TU";
    case ServerNonInviteTransaction::Event::TimerJ: return "Timer J";
    case ServerNonInviteTransaction::Event::TransportError: return "transport error";
  }
  return "?";
}

}  // namespace voxgate::sip
