#pragma once
// The client non-INVITE transaction: RFC 3261 §17.1.2 (Figure 6). One state
// variable, one event enum, one transition table (transition()); the entry
// actions run in handle().

#include <cstdint>
#include <string_view>

#include "base/result.hpp"
#include "runtime/timer_service.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_context.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class ClientNonInviteTransaction {
 public:
  enum class State : std::uint8_t { Trying, Proceeding, Completed, Terminated };
  enum class Event : std::uint8_t {
    Provisional,     // 1xx received
    Final,           // 200-699 received
    TimerE,          // retransmit the request (unreliable transports)
    TimerF,          // no final response in 64*T1
    TimerK,          // done absorbing final response retransmissions
    TransportError,  // the transport failed to send the request
  };

  // Figure 6: the state `event` leads to from `from`, or an InvalidState
  // error naming both.
  static Result<State> transition(State from, Event event);

  ClientNonInviteTransaction(TransactionContext& context, TransactionRef self, Message request);
  ClientNonInviteTransaction(const ClientNonInviteTransaction&) = delete;
  ClientNonInviteTransaction& operator=(const ClientNonInviteTransaction&) = delete;
  ~ClientNonInviteTransaction();  // stops its timers

  // Sends the request (the transport inserts the Via carrying `branch`) and
  // enters Trying: Timer F, and Timer E on an unreliable transport.
  Result<void> start(const Target& target, std::string_view branch);
  // Same, for a request that already carries its Via and must go on `flow`
  // (a CANCEL goes where its INVITE went, §9.1).
  Result<void> start_on(const Flow& flow);

  Result<Outcome> on_response(const Message& response);
  Result<Outcome> on_timer(TimerName name);
  Result<Outcome> on_transport_error();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionState common_state() const noexcept;
  [[nodiscard]] const Message& request() const noexcept { return request_; }
  [[nodiscard]] const Flow& flow() const noexcept { return flow_; }

 private:
  void enter_trying();
  Result<Outcome> handle(Event event);
  void stop_all_timers() noexcept;

  TransactionContext& context_;
  TransactionRef self_;
  Message request_;
  Flow flow_;
  bool reliable_ = false;
  State state_ = State::Trying;
  Clock::Duration interval_e_{};
  runtime::TimerId timer_e_;
  runtime::TimerId timer_f_;
  runtime::TimerId timer_k_;
};

std::string_view to_string(ClientNonInviteTransaction::State state) noexcept;
std::string_view to_string(ClientNonInviteTransaction::Event event) noexcept;

}  // namespace voxgate::sip
