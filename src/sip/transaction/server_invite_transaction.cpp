#include "sip/transaction/server_invite_transaction.hpp"

#include <algorithm>
#include <utility>

namespace voxgate::sip {

auto ServerInviteTransaction::transition(State from, Event event) -> Result<State> {
  switch (from) {
    case State::Proceeding:
      switch (event) {
        case Event::RequestRetransmission:
        case Event::Provisional: return State::Proceeding;
        case Event::Success: return State::Accepted;  // RFC 6026 §7.1 (RFC 3261: Terminated)
        case Event::Failure: return State::Completed;
        case Event::TransportError: return State::Terminated;
        default: break;
      }
      break;
    case State::Completed:
      switch (event) {
        case Event::RequestRetransmission:
        case Event::TimerG: return State::Completed;
        case Event::Ack: return State::Confirmed;
        case Event::TimerH:
        case Event::TransportError: return State::Terminated;
        default: break;
      }
      break;
    case State::Confirmed:
      switch (event) {
        case Event::RequestRetransmission:
        case Event::Ack: return State::Confirmed;  // absorbed
        case Event::TimerI: return State::Terminated;
        default: break;
      }
      break;
    case State::Accepted:
      switch (event) {
        case Event::RequestRetransmission:        // absorbed
        case Event::Success:                      // the TU's 2xx retransmissions are sent
        case Event::Ack: return State::Accepted;  // passed to the TU
        case Event::TimerL:
        case Event::TransportError: return State::Terminated;  // §17.2.4
        default: break;
      }
      break;
    case State::Terminated: break;
  }
  return tl::unexpected(invalid_transition(TransactionKind::ServerInvite, to_string(from), to_string(event)));
}

ServerInviteTransaction::ServerInviteTransaction(TransactionContext& context, TransactionRef self,
                                                 const Flow& request_flow)
    : context_(context), self_(self), flow_(request_flow), reliable_(is_reliable(request_flow.transport)) {}

ServerInviteTransaction::~ServerInviteTransaction() {
  stop_all_timers();
}

void ServerInviteTransaction::stop_all_timers() noexcept {
  context_.stop_timer(timer_g_);
  context_.stop_timer(timer_h_);
  context_.stop_timer(timer_i_);
  context_.stop_timer(timer_l_);
}

Result<Outcome> ServerInviteTransaction::respond(Message response) {
  switch (classify_status(response.status())) {
    case StatusClass::Provisional: return handle(Event::Provisional, std::move(response));
    case StatusClass::Success: return handle(Event::Success, std::move(response));
    case StatusClass::Failure: return handle(Event::Failure, std::move(response));
    case StatusClass::Invalid: break;
  }
  return make_error(Errc::InvalidArgument, "status {} is not a SIP response class", response.status());
}

Result<Outcome> ServerInviteTransaction::on_request_retransmission(const Flow& flow) {
  flow_ = flow;
  return handle(Event::RequestRetransmission, std::nullopt);
}

Result<Outcome> ServerInviteTransaction::on_ack() {
  return handle(Event::Ack, std::nullopt);
}

Result<Outcome> ServerInviteTransaction::on_timer(TimerName name) {
  switch (name) {
    case TimerName::G: timer_g_ = {}; return handle(Event::TimerG, std::nullopt);
    case TimerName::H: timer_h_ = {}; return handle(Event::TimerH, std::nullopt);
    case TimerName::I: timer_i_ = {}; return handle(Event::TimerI, std::nullopt);
    case TimerName::L: timer_l_ = {}; return handle(Event::TimerL, std::nullopt);
    default: break;
  }
  return make_error(Errc::Internal, "server INVITE transaction has no {}", to_string(name));
}

Result<Outcome> ServerInviteTransaction::on_transport_error() {
  return handle(Event::TransportError, std::nullopt);
}

Result<void> ServerInviteTransaction::send_last_response() {
  return context_.send_response(self_, *last_response_, flow_);
}

Result<Outcome> ServerInviteTransaction::handle(Event event, std::optional<Message> response) {
  const auto next = transition(state_, event);
  if (!next) return tl::unexpected(next.error());
  const State from = state_;
  state_ = *next;

  TransactionStats& stats = context_.stats();
  const TimerSettings& settings = context_.settings();
  Outcome outcome;
  switch (event) {
    case Event::RequestRetransmission:
      ++stats.absorbed_retransmissions;
      // §17.2.1: in Proceeding resend the latest provisional response, in
      // Completed the final one; Confirmed and Accepted (RFC 6026) send nothing.
      if ((from == State::Proceeding || from == State::Completed) && last_response_) {
        if (auto sent = send_last_response(); !sent) return handle(Event::TransportError, std::nullopt);
        ++stats.retransmissions_sent;
      }
      break;
    case Event::Provisional:
    case Event::Success:
    case Event::Failure:
      responded_ = true;
      last_response_ = std::move(response);
      if (auto sent = send_last_response(); !sent) return handle(Event::TransportError, std::nullopt);
      if (event == Event::Success) last_response_.reset();  // Accepted: nothing to retransmit
      if (event == Event::Success && from == State::Proceeding) {
        // RFC 6026 §7.1: Timer L, 64*T1, keeps absorbing INVITE retransmissions.
        timer_l_ = context_.start_timer(self_, TimerName::L, settings.transaction_timeout());
      } else if (event == Event::Failure) {
        // §17.2.1: Timer G (unreliable only) retransmits; Timer H waits for the ACK.
        if (!reliable_) {
          interval_g_ = settings.t1;
          timer_g_ = context_.start_timer(self_, TimerName::G, interval_g_);
        }
        timer_h_ = context_.start_timer(self_, TimerName::H, settings.transaction_timeout());
      }
      break;
    case Event::TimerG:
      if (auto sent = send_last_response(); !sent) return handle(Event::TransportError, std::nullopt);
      ++stats.retransmissions_sent;
      interval_g_ = std::min(interval_g_ * 2, settings.t2);
      timer_g_ = context_.start_timer(self_, TimerName::G, interval_g_);
      break;
    case Event::Ack:
      if (from == State::Accepted) {
        outcome.to_user = true;  // RFC 6026 §7.1
        break;
      }
      if (from == State::Confirmed) {
        ++stats.absorbed_retransmissions;
        break;
      }
      // Completed -> Confirmed: the response retransmissions stop; Timer I
      // (T4 unreliable, zero reliable) absorbs ACK retransmissions.
      context_.stop_timer(timer_g_);
      context_.stop_timer(timer_h_);
      if (reliable_ || settings.t4 <= Clock::Duration::zero()) {
        state_ = *transition(state_, Event::TimerI);
        outcome.ended = TransactionEnd::Completed;
      } else {
        timer_i_ = context_.start_timer(self_, TimerName::I, settings.t4);
      }
      break;
    case Event::TimerH: outcome.ended = TransactionEnd::Timeout; break;
    case Event::TimerI:
    case Event::TimerL: outcome.ended = TransactionEnd::Completed; break;
    case Event::TransportError: outcome.ended = TransactionEnd::TransportError; break;
  }
  if (state_ == State::Terminated) stop_all_timers();
  return outcome;
}

namespace {

// The machine's state as the layer reports it; its name is the RFC's.
TransactionState to_common(ServerInviteTransaction::State state) noexcept {
  using State = ServerInviteTransaction::State;
  switch (state) {
    case State::Proceeding: return TransactionState::Proceeding;
    case State::Completed: return TransactionState::Completed;
    case State::Confirmed: return TransactionState::Confirmed;
    case State::Accepted: return TransactionState::Accepted;
    case State::Terminated: return TransactionState::Terminated;
  }
  return TransactionState::Terminated;
}

}  // namespace

TransactionState ServerInviteTransaction::common_state() const noexcept {
  return to_common(state_);
}

std::string_view to_string(ServerInviteTransaction::State state) noexcept {
  return to_string(to_common(state));
}

std::string_view to_string(ServerInviteTransaction::Event event) noexcept {
  switch (event) {
    case ServerInviteTransaction::Event::RequestRetransmission: return "INVITE retransmission";
    case ServerInviteTransaction::Event::Provisional: return "1xx from TU";
    case ServerInviteTransaction::Event::Success: return "2xx from TU";
    case ServerInviteTransaction::Event::Failure: return "300-699 from TU";
    case ServerInviteTransaction::Event::Ack: return "ACK";
    case ServerInviteTransaction::Event::TimerG: return "Timer G";
    case ServerInviteTransaction::Event::TimerH: return "Timer H";
    case ServerInviteTransaction::Event::TimerI: return "Timer I";
    case ServerInviteTransaction::Event::TimerL: return "Timer L";
    case ServerInviteTransaction::Event::TransportError: return "transport error";
  }
  return "?";
}

}  // namespace voxgate::sip
