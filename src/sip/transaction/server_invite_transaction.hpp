#pragma once
// The server INVITE transaction: RFC 3261 §17.2.1 (Figure 7) with RFC 6026
// §7.1's Accepted state. One state variable, one event enum, one transition
// table (transition()); the entry actions run in handle().

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "runtime/timer_service.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_context.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class ServerInviteTransaction {
 public:
  enum class State : std::uint8_t { Proceeding, Completed, Confirmed, Accepted, Terminated };
  enum class Event : std::uint8_t {
    RequestRetransmission,  // the INVITE again
    Provisional,            // 1xx from the TU
    Success,                // 2xx from the TU
    Failure,                // 300-699 from the TU
    Ack,                    // an ACK matched this transaction
    TimerG,                 // retransmit the final response (unreliable transports)
    TimerH,                 // no ACK in 64*T1
    TimerI,                 // done absorbing ACK retransmissions
    TimerL,                 // done absorbing INVITE retransmissions after a 2xx (RFC 6026)
    TransportError,         // the transport failed to send a response
  };

  // Figure 7 with RFC 6026's changes: the state `event` leads to from
  // `from`, or an InvalidState error naming both.
  static Result<State> transition(State from, Event event);

  // Enters Proceeding for an INVITE that arrived on `request_flow`.
  ServerInviteTransaction(TransactionContext& context, TransactionRef self, const Flow& request_flow);
  ServerInviteTransaction(const ServerInviteTransaction&) = delete;
  ServerInviteTransaction& operator=(const ServerInviteTransaction&) = delete;
  ~ServerInviteTransaction();  // stops its timers

  // A response from the TU; sent, and kept for retransmission.
  Result<Outcome> respond(Message response);
  Result<Outcome> on_request_retransmission(const Flow& flow);
  Result<Outcome> on_ack();
  Result<Outcome> on_timer(TimerName name);
  Result<Outcome> on_transport_error();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionState common_state() const noexcept;
  // Whether the TU has responded at all (a 1xx or a final response).
  [[nodiscard]] bool responded() const noexcept { return responded_; }
  [[nodiscard]] bool final_response_sent() const noexcept { return state_ != State::Proceeding; }

 private:
  Result<Outcome> handle(Event event, std::optional<Message> response);
  Result<void> send_last_response();
  void stop_all_timers() noexcept;

  TransactionContext& context_;
  TransactionRef self_;
  Flow flow_;  // of the latest copy of the request: responses follow it (§18.2.2)
  bool reliable_ = false;
  State state_ = State::Proceeding;
  bool responded_ = false;
  // The response to retransmit: the latest 1xx in Proceeding, the final
  // non-2xx in Completed. Not kept in Accepted (RFC 6026 §7.1: the TU, not
  // the transaction, retransmits a 2xx), so an accepted INVITE waiting out
  // Timer L costs no copy of its 200.
  std::optional<Message> last_response_;
  Clock::Duration interval_g_{};
  runtime::TimerId timer_g_;
  runtime::TimerId timer_h_;
  runtime::TimerId timer_i_;
  runtime::TimerId timer_l_;
};

std::string_view to_string(ServerInviteTransaction::State state) noexcept;
std::string_view to_string(ServerInviteTransaction::Event event) noexcept;

}  // namespace voxgate::sip
