#include "sip/transaction/client_non_invite_transaction.hpp"

#include <algorithm>
#include <utility>

namespace voxgate::sip {

auto ClientNonInviteTransaction::transition(State from, Event event) -> Result<State> {
  switch (from) {
    case State::Trying:
    case State::Proceeding:
      switch (event) {
        case Event::TimerE: return from;
        case Event::Provisional: return State::Proceeding;
        case Event::Final: return State::Completed;
        case Event::TimerF:
        case Event::TransportError: return State::Terminated;
        default: break;
      }
      break;
    case State::Completed:
      switch (event) {
        case Event::Final: return State::Completed;  // a retransmission, absorbed
        case Event::TimerK: return State::Terminated;
        default: break;
      }
      break;
    case State::Terminated: break;
  }
  return tl::unexpected(invalid_transition(TransactionKind::ClientNonInvite, to_string(from), to_string(event)));
}

ClientNonInviteTransaction::ClientNonInviteTransaction(TransactionContext& context, TransactionRef self,
                                                       Message request)
    : context_(context), self_(self), request_(std::move(request)) {}

ClientNonInviteTransaction::~ClientNonInviteTransaction() {
  stop_all_timers();
}

void ClientNonInviteTransaction::stop_all_timers() noexcept {
  context_.stop_timer(timer_e_);
  context_.stop_timer(timer_f_);
  context_.stop_timer(timer_k_);
}

Result<void> ClientNonInviteTransaction::start(const Target& target, std::string_view branch) {
  auto flow = context_.send_request(self_, request_, target, branch);
  if (!flow) return tl::unexpected(std::move(flow.error()));
  flow_ = *flow;
  enter_trying();
  return {};
}

Result<void> ClientNonInviteTransaction::start_on(const Flow& flow) {
  if (auto sent = context_.send_on_flow(request_, flow); !sent) return tl::unexpected(std::move(sent.error()));
  flow_ = flow;
  enter_trying();
  return {};
}

void ClientNonInviteTransaction::enter_trying() {
  reliable_ = is_reliable(flow_.transport);
  const TimerSettings& settings = context_.settings();
  if (!reliable_) {
    interval_e_ = settings.t1;
    timer_e_ = context_.start_timer(self_, TimerName::E, interval_e_);
  }
  timer_f_ = context_.start_timer(self_, TimerName::F, settings.transaction_timeout());
}

Result<Outcome> ClientNonInviteTransaction::on_response(const Message& response) {
  switch (classify_status(response.status())) {
    case StatusClass::Provisional: return handle(Event::Provisional);
    case StatusClass::Success:
    case StatusClass::Failure: return handle(Event::Final);
    case StatusClass::Invalid: break;
  }
  return make_error(Errc::InvalidArgument, "status {} is not a SIP response class", response.status());
}

Result<Outcome> ClientNonInviteTransaction::on_timer(TimerName name) {
  switch (name) {
    case TimerName::E: timer_e_ = {}; return handle(Event::TimerE);
    case TimerName::F: timer_f_ = {}; return handle(Event::TimerF);
    case TimerName::K: timer_k_ = {}; return handle(Event::TimerK);
    default: break;
  }
  return make_error(Errc::Internal, "client non-INVITE transaction has no {}", to_string(name));
}

Result<Outcome> ClientNonInviteTransaction::on_transport_error() {
  return handle(Event::TransportError);
}

Result<Outcome> ClientNonInviteTransaction::handle(Event event) {
  const auto next = transition(state_, event);
  if (!next) return tl::unexpected(next.error());
  const State from = state_;
  state_ = *next;

  TransactionStats& stats = context_.stats();
  const TimerSettings& settings = context_.settings();
  Outcome outcome;
  switch (event) {
    case Event::TimerE:
      // §17.1.2.2: in Trying the interval doubles up to T2; in Proceeding it
      // is T2 from then on.
      if (auto sent = context_.send_on_flow(request_, flow_); !sent) return handle(Event::TransportError);
      ++stats.retransmissions_sent;
      interval_e_ = from == State::Trying ? std::min(interval_e_ * 2, settings.t2) : settings.t2;
      timer_e_ = context_.start_timer(self_, TimerName::E, interval_e_);
      break;
    case Event::Provisional: outcome.to_user = true; break;
    case Event::Final:
      if (from == State::Completed) {
        ++stats.absorbed_retransmissions;
        break;
      }
      outcome.to_user = true;
      context_.stop_timer(timer_e_);
      context_.stop_timer(timer_f_);
      // Timer K: T4 for unreliable transports, zero (fire now) for reliable.
      if (reliable_ || settings.t4 <= Clock::Duration::zero()) {
        state_ = *transition(state_, Event::TimerK);
        outcome.ended = TransactionEnd::Completed;
      } else {
        timer_k_ = context_.start_timer(self_, TimerName::K, settings.t4);
      }
      break;
    case Event::TimerF: outcome.ended = TransactionEnd::Timeout; break;
    case Event::TimerK: outcome.ended = TransactionEnd::Completed; break;
    case Event::TransportError: outcome.ended = TransactionEnd::TransportError; break;
  }
  if (state_ == State::Terminated) stop_all_timers();
  return outcome;
}

namespace {

// The machine's state as the layer reports it; its name is the RFC's.
TransactionState to_common(ClientNonInviteTransaction::State state) noexcept {
  using State = ClientNonInviteTransaction::State;
  switch (state) {
    case State::Trying: return TransactionState::Trying;
    case State::Proceeding: return TransactionState::Proceeding;
    case State::Completed: return TransactionState::Completed;
    case State::Terminated: return TransactionState::Terminated;
  }
  return TransactionState::Terminated;
}

}  // namespace

TransactionState ClientNonInviteTransaction::common_state() const noexcept {
  return to_common(state_);
}

std::string_view to_string(ClientNonInviteTransaction::State state) noexcept {
  return to_string(to_common(state));
}

std::string_view to_string(ClientNonInviteTransaction::Event event) noexcept {
  switch (event) {
    case ClientNonInviteTransaction::Event::Provisional: return "1xx";
    case ClientNonInviteTransaction::Event::Final: return "200-699";
    case ClientNonInviteTransaction::Event::TimerE: return "Timer E";
    case ClientNonInviteTransaction::Event::TimerF: return "Timer F";
    case ClientNonInviteTransaction::Event::TimerK: return "Timer K";
    case ClientNonInviteTransaction::Event::TransportError: return "transport error";
  }
  return "?";
}

}  // namespace voxgate::sip
