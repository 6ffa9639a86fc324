#pragma once
// The signature voxgate puts on every webhook request, so a receiver can
// check that an event comes from us, unaltered, and recently.
//
// The scheme is the one Stripe uses for its webhooks (so receivers can reuse
// their code and reasoning), with our header name:
//
//   X-Voxgate-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256>
//
// where the HMAC (RFC 2104, SHA-256) is keyed with the target's shared
// secret and computed over "<unix seconds>.<raw request body>". To verify, a
// receiver (verify_webhook_signature() does all three):
//   1. recomputes the HMAC over the timestamp from the header, a '.', and
//      the body exactly as received (before any JSON parsing);
//   2. compares it with each v1 value in constant time (a plain string
//      compare leaks, through timing, how many leading characters match);
//   3. rejects a timestamp further than a tolerance (default 5 minutes) from
//      its own clock, which bounds how long a captured request can be
//      replayed. The timestamp is signed, so it cannot be changed.
// Deduplicating on X-Voxgate-Event-Id closes the replay window entirely.
// Each delivery attempt is signed afresh, with the time of that attempt.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace voxgate::api {

inline constexpr std::string_view kWebhookSignatureHeader = "X-Voxgate-Signature";
inline constexpr std::chrono::seconds kDefaultWebhookSignatureTolerance{300};

// Lowercase hex of HMAC-SHA256(secret, "<unix_seconds>.<body>").
std::string webhook_signature_hex(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

// The header value: "t=<unix_seconds>,v1=<webhook_signature_hex(...)>".
std::string webhook_signature_header(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

// Whole seconds since the Unix epoch (rounded down).
std::int64_t unix_seconds(Clock::WallTime time) noexcept;

// Checks `header_value` (the X-Voxgate-Signature field) against the body
// received and the shared secret, at the receiver's time `now`. Accepts
// when one of the v1 entries matches (several may be sent while a secret is
// rotated); entries with other names are ignored (later schemes). Fails with
// Errc::InvalidArgument when the header is malformed, no signature matches,
// or the timestamp is more than `tolerance` before or after `now`.
Result<void> verify_webhook_signature(std::string_view header_value, std::string_view body, std::string_view secret,
                                      Clock::WallTime now,
                                      std::chrono::seconds tolerance = kDefaultWebhookSignatureTolerance);

}  // namespace voxgate::api
