#pragma once
// What happens to received bytes before any transaction sees them (RFC 3261
// §18.2.1, §18.1.2, RFC 3581 §4): parse, validate, per-source rate limit,
// stamp received/rport on the top Via of requests; or answer statelessly
// (400/505/513 for a malformed request, 503 over the rate) or drop. No
// sockets here: the UDP and TCP paths call it and act on the outcome.

#include <cstdint>
#include <optional>
#include <string>

#include "sip/message/message.hpp"
#include "sip/message/parser.hpp"
#include "sip/transport/flow.hpp"
#include "sip/transport/source_limiter.hpp"

namespace voxgate::sip {

enum class ReceiveDisposition : std::uint8_t {
  Deliver,             // `message`: a valid request (Via stamped) or response, to hand up
  KeepAlive,           // CRLFs only (RFC 5626 §4.4.1): ignored
  Rejected,            // `message`: the stateless 400/505/513 for a malformed request
  Dropped,             // unparseable, a malformed response or ACK: nothing to answer
  RateLimited,         // `message`: the stateless 503 for a new request over its source's rate
  RateLimitedDropped,  // an ACK over the rate: never answered
};

struct ReceiveOutcome {
  ReceiveDisposition disposition = ReceiveDisposition::Dropped;
  std::optional<Message> message;
  std::string reason;  // why it was rejected or dropped, for logs
};

struct ReceivePolicy {
  ParseOptions parse;
  std::uint32_t retry_after_seconds = 5;
};

// `bytes` is one datagram or one frame from StreamFramer; `flow` where it
// came from. `limiter` is charged one token per new request (no To tag).
ReceiveOutcome process_received(std::string bytes, const Flow& flow, const ReceivePolicy& policy,
                                SourceLimiter& limiter);

// A To tag for a response we send without a transaction: the same request
// always gets the same tag (its retransmissions must), different requests
// different ones (§8.2.6.2, §19.3).
std::string stateless_to_tag(const Message& request);

// The stateless response for `request` (Via already stamped), To tag added.
Message make_stateless_response(const Message& request, std::uint16_t status, std::string_view reason);

}  // namespace voxgate::sip
