#include "sip/transaction/transaction_context.hpp"

#include <fmt/format.h>

namespace voxgate::sip {

TransactionContext::TransactionContext(MessageTransport& transport, runtime::Timers& timers,
                                       const TimerSettings& settings, TransactionStats& stats,
                                       TransactionEvents& events)
    : transport_(transport), timers_(timers), settings_(settings), stats_(stats), events_(events) {}

runtime::TimerId TransactionContext::start_timer(TransactionRef owner, TimerName name, Clock::Duration delay) {
  // Captures two words and a byte: kept inline by TimerCallback.
  return timers_.schedule(delay, [events = &events_, owner, name] { events->on_transaction_timer(owner, name); });
}

void TransactionContext::stop_timer(runtime::TimerId& id) noexcept {
  if (id == runtime::TimerId{}) return;
  timers_.cancel(id);
  id = runtime::TimerId{};
}

SendFailureHandler TransactionContext::failure_handler(TransactionRef owner) {
  // Two words, trivially copyable: std::function stores it without allocating.
  return [events = &events_, owner](const Error&) { events->on_transaction_send_failure(owner); };
}

Result<Flow> TransactionContext::send_request(TransactionRef owner, Message& request, const Target& target,
                                              std::string_view branch) {
  return transport_.send_request(request, target, branch, failure_handler(owner));
}

Result<void> TransactionContext::send_response(TransactionRef owner, const Message& response,
                                               const Flow& request_flow) {
  return transport_.send_response(response, request_flow, failure_handler(owner));
}

Result<void> TransactionContext::send_on_flow(std::string_view bytes, const Flow& flow) {
  return transport_.resend(bytes, flow);
}

Result<void> TransactionContext::send_on_flow(const Message& message, const Flow& flow) {
  scratch_.clear();
  message.serialize_to(scratch_);
  return transport_.resend(scratch_, flow);
}

Error invalid_transition(TransactionKind kind, std::string_view state, std::string_view event) {
  return Error{Errc::InvalidState,
               fmt::format("{} transaction: event {} is not allowed in state {}", to_string(kind), event, state)};
}

StatusClass classify_status(std::uint16_t status) noexcept {
  if (status >= 100 && status <= 199) return StatusClass::Provisional;
  if (status >= 200 && status <= 299) return StatusClass::Success;
  if (status >= 300 && status <= 699) return StatusClass::Failure;
  return StatusClass::Invalid;
}

}  // namespace voxgate::sip
