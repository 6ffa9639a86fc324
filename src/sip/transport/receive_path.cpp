#include "sip/transport/receive_path.hpp"

#include <utility>

#include "base/ascii.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/validate.hpp"
#include "sip/transport/via_rewrite.hpp"

namespace voxgate::sip {

namespace {

ReceiveOutcome outcome(ReceiveDisposition disposition, std::optional<Message> message = {}, std::string reason = {}) {
  return ReceiveOutcome{disposition, std::move(message), std::move(reason)};
}

// A malformed request we can identify gets `status`; an ACK never gets a
// response (§17.2.1: ACK is not answered) and is dropped instead.
ReceiveOutcome reject(Message& request, const Flow& flow, std::uint16_t status, std::string reason) {
  if (request.method() == Method::Ack) return outcome(ReceiveDisposition::Dropped, {}, std::move(reason));
  stamp_received_rport(request, flow.remote);
  Message response = make_stateless_response(request, status, reason);
  return outcome(ReceiveDisposition::Rejected, std::move(response), std::move(reason));
}

bool is_new_request(const Message& request) {
  const auto to = request.to();
  return to && !to->tag();
}

}  // namespace

std::string stateless_to_tag(const Message& request) {
  std::uint64_t hash = 14695981039346656037ULL;
  const auto mix = [&hash](std::optional<std::string_view> text) {
    const std::string_view s = text.value_or("");
    hash ^= ascii::fnv1a(s);
    hash *= 1099511628211ULL;
  };
  mix(request.first_value(HeaderId::CallId));
  mix(request.first_value(HeaderId::From));
  mix(request.first_value(HeaderId::CSeq));
  mix(request.first_value(HeaderId::Via));
  return fmt::format("{:016x}", hash);
}

Message make_stateless_response(const Message& request, std::uint16_t status, std::string_view reason) {
  return make_response(request, status, reason, stateless_to_tag(request)).build();
}

ReceiveOutcome process_received(std::string bytes, const Flow& flow, const ReceivePolicy& policy,
                                SourceLimiter& limiter) {
  auto parsed = parse_message(std::move(bytes), policy.parse);
  if (!parsed) {
    ParseFailure& failure = parsed.error();
    if (failure.error.code == ParseErrorCode::Empty) return outcome(ReceiveDisposition::KeepAlive);
    if (failure.error.respond() && failure.request && failure.request->is_request()) {
      return reject(*failure.request, flow, failure.error.status, std::move(failure.error.reason));
    }
    return outcome(ReceiveDisposition::Dropped, {}, std::move(failure.error.reason));
  }
  Message& message = *parsed;
  if (auto valid = validate_message(message); !valid) {
    if (message.is_request() && valid.error().respond()) {
      return reject(message, flow, valid.error().status, std::move(valid.error().reason));
    }
    return outcome(ReceiveDisposition::Dropped, {}, std::move(valid.error().reason));
  }
  if (message.is_response()) return outcome(ReceiveDisposition::Deliver, std::move(message));

  stamp_received_rport(message, flow.remote);
  if (is_new_request(message) && !limiter.allow(normalize_source(flow.remote.ip))) {
    if (message.method() == Method::Ack) return outcome(ReceiveDisposition::RateLimitedDropped);
    Message response = make_stateless_response(message, 503, {});
    response.add_header(HeaderId::RetryAfter, fmt::format_int(policy.retry_after_seconds).c_str());
    return outcome(ReceiveDisposition::RateLimited, std::move(response), "source over its request rate");
  }
  return outcome(ReceiveDisposition::Deliver, std::move(message));
}

}  // namespace voxgate::sip
