#pragma once
// The server non-INVITE transaction: RFC 3261 §17.2.2 (Figure 8). One state
// variable, one event enum, one transition table (transition()); the entry
// actions run in handle().

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "runtime/timer_service.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_context.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class ServerNonInviteTransaction {
 public:
  enum class State : std::uint8_t { Trying, Proceeding, Completed, Terminated };
  enum class Event : std::uint8_t {
    RequestRetransmission,  // the request again
    Provisional,            // 1xx from the TU
    Final,                  // 200-699 from the TU
    TimerJ,                 // done absorbing request retransmissions
    TransportError,         // the transport failed to send a response
  };

  // Figure 8: the state `event` leads to from `from`, or an InvalidState
  // error naming both.
  static Result<State> transition(State from, Event event);

  // Enters Trying for a request that arrived on `request_flow`.
  ServerNonInviteTransaction(TransactionContext& context, TransactionRef self, const Flow& request_flow);
  ServerNonInviteTransaction(const ServerNonInviteTransaction&) = delete;
  ServerNonInviteTransaction& operator=(const ServerNonInviteTransaction&) = delete;
  ~ServerNonInviteTransaction();  // stops its timer

  Result<Outcome> respond(Message response);
  Result<Outcome> on_request_retransmission(const Flow& flow);
  Result<Outcome> on_timer(TimerName name);
  Result<Outcome> on_transport_error();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionState common_state() const noexcept;
  [[nodiscard]] const Message* last_response() const noexcept { return last_response_ ? &*last_response_ : nullptr; }

 private:
  Result<Outcome> handle(Event event, std::optional<Message> response);

  TransactionContext& context_;
  TransactionRef self_;
  Flow flow_;
  bool reliable_ = false;
  State state_ = State::Trying;
  std::optional<Message> last_response_;
  runtime::TimerId timer_j_;
};

std::string_view to_string(ServerNonInviteTransaction::State state) noexcept;
std::string_view to_string(ServerNonInviteTransaction::Event event) noexcept;

}  // namespace voxgate::sip
