#pragma once
// The client INVITE transaction: RFC 3261 §17.1.1 (Figure 5) with RFC 6026
// §7.2's Accepted state. One state variable, one event enum, one transition
// table (transition()); the entry actions run in handle().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "runtime/timer_service.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_context.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class ClientInviteTransaction {
 public:
  enum class State : std::uint8_t { Calling, Proceeding, Completed, Accepted, Terminated };
  enum class Event : std::uint8_t {
    Provisional,     // 1xx received
    Success,         // 2xx received
    Failure,         // 300-699 received
    TimerA,          // retransmit the INVITE (unreliable transports)
    TimerB,          // no final response in 64*T1
    TimerD,          // done absorbing final response retransmissions
    TimerM,          // done passing 2xx retransmissions up (RFC 6026)
    CancelGuard,     // no final response 64*T1 after our CANCEL (§9.1)
    TransportError,  // the transport failed to send the INVITE or the ACK
  };

  // Figure 5 with RFC 6026's changes: the state `event` leads to from `from`,
  // or an InvalidState error naming both.
  static Result<State> transition(State from, Event event);

  ClientInviteTransaction(TransactionContext& context, TransactionRef self, Message invite);
  ClientInviteTransaction(const ClientInviteTransaction&) = delete;
  ClientInviteTransaction& operator=(const ClientInviteTransaction&) = delete;
  ~ClientInviteTransaction();  // stops its timers

  // Sends the INVITE (the transport inserts the Via carrying `branch`) and
  // enters Calling: Timer B, and Timer A on an unreliable transport.
  Result<void> start(const Target& target, std::string_view branch);

  Result<Outcome> on_response(const Message& response);
  Result<Outcome> on_timer(TimerName name);
  Result<Outcome> on_transport_error();
  // A CANCEL for this INVITE was sent (§9.1): arm the CANCEL guard.
  void start_cancel_guard();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionState common_state() const noexcept;
  // The INVITE as sent, with its Via: what the ACK and CANCEL copy.
  [[nodiscard]] const Message& request() const noexcept { return request_; }
  [[nodiscard]] const Flow& flow() const noexcept { return flow_; }

 private:
  Result<Outcome> handle(Event event, const Message* response);
  void enter_completed(const Message& response, Outcome& outcome);
  void stop_all_timers() noexcept;

  TransactionContext& context_;
  TransactionRef self_;
  Message request_;
  Flow flow_;
  bool reliable_ = false;
  State state_ = State::Calling;
  Clock::Duration interval_a_{};
  runtime::TimerId timer_a_;
  runtime::TimerId timer_b_;
  runtime::TimerId timer_d_;
  runtime::TimerId timer_m_;
  runtime::TimerId cancel_guard_;
  std::string ack_;  // the ACK of §17.1.1.3, serialized, once Completed
};

std::string_view to_string(ClientInviteTransaction::State state) noexcept;
std::string_view to_string(ClientInviteTransaction::Event event) noexcept;

}  // namespace voxgate::sip
