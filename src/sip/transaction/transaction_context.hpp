#pragma once
// What the four state machines share and act through: the transport, the
// loop's timers, the timer settings and the counters. The machines send and
// arm timers themselves; the layer routes timer expiries and late send
// failures back to them by TransactionRef, and acts on their Outcome.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "runtime/timer_service.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/timer_settings.hpp"
#include "sip/transaction/transaction_ids.hpp"
#include "sip/transaction/transaction_stats.hpp"
#include "sip/transport/flow.hpp"
#include "sip/transport/message_transport.hpp"

namespace voxgate::sip {

// One word naming a client or server transaction (the side in the top bit),
// so a timer or send-failure callback captures only the layer and this.
class TransactionRef {
 public:
  static TransactionRef server(ServerTransactionId id) noexcept { return TransactionRef(id.value()); }
  static TransactionRef client(ClientTransactionId id) noexcept { return TransactionRef(id.value() | kClientBit); }

  [[nodiscard]] bool is_client() const noexcept { return (bits_ & kClientBit) != 0; }
  [[nodiscard]] ServerTransactionId server_id() const noexcept { return ServerTransactionId{bits_}; }
  [[nodiscard]] ClientTransactionId client_id() const noexcept { return ClientTransactionId{bits_ & ~kClientBit}; }
  [[nodiscard]] std::uint64_t bits() const noexcept { return bits_; }

 private:
  static constexpr std::uint64_t kClientBit = std::uint64_t{1} << 63U;
  explicit TransactionRef(std::uint64_t bits) noexcept : bits_(bits) {}
  std::uint64_t bits_;
};

// What a machine tells the layer after an event.
struct Outcome {
  bool to_user = false;                 // pass the message (response, ACK) up to the user
  std::optional<TransactionEnd> ended;  // the machine entered Terminated, and why
};

// Implemented by the layer: where the machines' timers and late send failures go.
class TransactionEvents {
 public:
  virtual void on_transaction_timer(TransactionRef owner, TimerName name) = 0;
  virtual void on_transaction_send_failure(TransactionRef owner) = 0;

 protected:
  TransactionEvents() = default;
  TransactionEvents(const TransactionEvents&) = default;
  TransactionEvents& operator=(const TransactionEvents&) = default;
  ~TransactionEvents() = default;
};

class TransactionContext {
 public:
  TransactionContext(MessageTransport& transport, runtime::Timers& timers, const TimerSettings& settings,
                     TransactionStats& stats, TransactionEvents& events);

  [[nodiscard]] const TimerSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] TransactionStats& stats() noexcept { return stats_; }

  // Arms Timer `name` of `owner` to fire after `delay`.
  runtime::TimerId start_timer(TransactionRef owner, TimerName name, Clock::Duration delay);
  // Cancels `id` and clears it; a cleared id is left alone.
  void stop_timer(runtime::TimerId& id) noexcept;

  // The first send of a request: the transport adds the Via with `branch`.
  Result<Flow> send_request(TransactionRef owner, Message& request, const Target& target, std::string_view branch);
  // A response (first send or retransmission) per §18.2.2.
  Result<void> send_response(TransactionRef owner, const Message& response, const Flow& request_flow);
  // `bytes` (or `message`, serialized) on `flow`: request retransmissions,
  // and the ACK and CANCEL, which carry their INVITE's Via and go where it
  // went (§17.1.1.3, §9.1).
  Result<void> send_on_flow(std::string_view bytes, const Flow& flow);
  Result<void> send_on_flow(const Message& message, const Flow& flow);

 private:
  SendFailureHandler failure_handler(TransactionRef owner);

  MessageTransport& transport_;
  runtime::Timers& timers_;
  const TimerSettings& settings_;
  TransactionStats& stats_;
  TransactionEvents& events_;
  std::string scratch_;  // serialization buffer reused by every send_on_flow(Message)
};

// The error a machine returns for an event its state does not accept.
Error invalid_transition(TransactionKind kind, std::string_view state, std::string_view event);

// Status classes as the machines' events see them.
enum class StatusClass : std::uint8_t { Provisional, Success, Failure, Invalid };
StatusClass classify_status(std::uint16_t status) noexcept;

}  // namespace voxgate::sip
