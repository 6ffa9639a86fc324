// libFuzzer target: what the control plane reads from the outside, other than
// HTTP framing (Boost.Beast's) and JSON syntax (Boost.JSON's). The first byte
// picks the parser, the rest is its input. Links voxgate_api only.
//
//   0  a request target's query: net::parse_query, then session_filter_from (the
//      filters of GET /v1/sessions and /v1/events)
//   1  a time of a query (created_after=...): parse_time
//   2  an X-Voxgate-Signature header, body and secret (split at the first
//      two '\n'): verify_webhook_signature
//   3  a path segment or a query integer: parse_session_id, parse_count,
//      parse_direction, parse_session_state
//
// Invariants (a violation traps, and libFuzzer keeps the input):
//  - every refusal is Errc::InvalidArgument with a message (what the API
//    turns into INVALID_ARGUMENT, never a 500);
//  - a time that parses formats to RFC 3339 text that parses back to the
//    same millisecond, rounded down;
//  - a header we sign ourselves, over the fuzzed body and secret, verifies;
//    the fuzzed header verifies at most when it carries that signature;
//  - a count that parses prints as digits that parse to it; a session id
//    is a count other than zero.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "api/json_codec.hpp"
#include "api/session_query.hpp"
#include "api/webhooks/webhook_signature.hpp"
#include "fuzz_check.hpp"
#include "net/http/query_params.hpp"

namespace voxgate::api::fuzz {
namespace {

using voxgate::fuzz::refused_properly;

void sink(std::string_view text) {
  std::uint64_t h = text.size();
  for (const char c : text) h = h * 31 + static_cast<unsigned char>(c);
  voxgate::fuzz::sink(h);
}

void fuzz_query(std::string_view input) {
  const auto params = net::parse_query(input);
  FUZZ_CHECK(refused_properly(params));
  if (!params) return;
  for (const auto& [name, value] : *params) {
    FUZZ_CHECK(name.size() <= input.size() && value.size() <= input.size());
  }
  const auto filter = session_filter_from(*params);
  FUZZ_CHECK(refused_properly(filter));
  if (filter) voxgate::fuzz::sink(filter->metadata.size() + filter->limit);
}

void fuzz_time(std::string_view input) {
  const auto time = parse_time(input);
  FUZZ_CHECK(refused_properly(time));
  if (!time) return;
  const std::string text = format_time(*time);
  const auto again = parse_time(text);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == std::chrono::floor<std::chrono::milliseconds>(*time));
  FUZZ_CHECK(format_time(*again) == text);
}

void fuzz_signature(std::string_view input) {
  const std::size_t first = input.find('\n');
  const std::string_view header = input.substr(0, first);
  std::string_view rest = first == std::string_view::npos ? std::string_view() : input.substr(first + 1);
  const std::size_t second = rest.find('\n');
  const std::string_view body = rest.substr(0, second);
  const std::string_view secret = second == std::string_view::npos ? std::string_view() : rest.substr(second + 1);

  constexpr std::int64_t kNow = 1'800'000'000;
  const Clock::WallTime now{std::chrono::seconds(kNow)};
  const auto verdict = verify_webhook_signature(header, body, secret, now);
  FUZZ_CHECK(refused_properly(verdict));

  const std::string ours = webhook_signature_header(secret, kNow, body);
  FUZZ_CHECK(verify_webhook_signature(ours, body, secret, now).has_value());
  if (verdict) {
    // Accepted: some v1 entry is the HMAC of its own timestamp and the body.
    bool carries = false;
    for (std::int64_t t = kNow - 300; t <= kNow + 300 && !carries; ++t) {
      carries = header.find(webhook_signature_hex(secret, t, body)) != std::string_view::npos;
    }
    FUZZ_CHECK(carries);
  }
}

void fuzz_scalars(std::string_view input) {
  const auto count = parse_count("limit", input);
  FUZZ_CHECK(refused_properly(count));
  if (count) FUZZ_CHECK(parse_count("limit", fmt::format("{}", *count)) == *count);
  const auto id = parse_session_id(input);
  FUZZ_CHECK(refused_properly(id));
  if (id) FUZZ_CHECK(count && id->value() == *count && *count != 0);
  FUZZ_CHECK(refused_properly(parse_direction(input)));
  if (const auto state = parse_session_state(input)) sink(session::to_string(*state));
}

}  // namespace
}  // namespace voxgate::api::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: voxgate::api::fuzz::fuzz_query(input); break;
    case 1: voxgate::api::fuzz::fuzz_time(input); break;
    case 2: voxgate::api::fuzz::fuzz_signature(input); break;
    default: voxgate::api::fuzz::fuzz_scalars(input); break;
  }
  return 0;
}
