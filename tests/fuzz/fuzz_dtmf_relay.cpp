// libFuzzer target: parse_dtmf_relay and parse_dtmf on arbitrary INFO bodies
// (RFC 6086 §9 legacy usage), read in place: the view is libFuzzer's exactly
// sized copy of the input, so ASan sees any read past the body.
//
// Invariants (a violation traps, and libFuzzer keeps the input):
//  - TooLarge exactly when the body is over kMaxDtmfBodyBytes;
//  - a digit is one of 0-9 * # A-D, a duration at most kMaxDtmfDurationMs,
//    and application/dtmf always has the default duration;
//  - the verdict (digit and duration, or the error) does not change when
//    every CR becomes LF (line ends are all alike) nor when the body is
//    upper-cased (keys and letter digits are case-insensitive);
//  - a parsed digit written back in the usual form parses to the same digit
//    and duration, with either parser;
//  - every error has a reason phrase (it becomes a 400's).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/ascii.hpp"
#include "fuzz_check.hpp"
#include "sip/message/dtmf_relay.hpp"

namespace voxgate::sip::fuzz {
namespace {

bool same(const DtmfParsed& a, const DtmfParsed& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return a.error() == b.error();
  return a->digit == b->digit && a->duration_ms == b->duration_ms;
}

void check_one(std::string_view body, const DtmfParsed& parsed, bool relay) {
  FUZZ_CHECK((body.size() > kMaxDtmfBodyBytes) == (!parsed && parsed.error() == DtmfBodyError::TooLarge));
  if (!parsed) {
    FUZZ_CHECK(!reason_phrase(parsed.error()).empty());
    voxgate::fuzz::sink(static_cast<std::uint64_t>(parsed.error()));
    return;
  }
  FUZZ_CHECK(std::string_view("0123456789*#ABCD").find(parsed->digit) != std::string_view::npos);
  FUZZ_CHECK(parsed->duration_ms <= kMaxDtmfDurationMs);
  if (!relay) FUZZ_CHECK(parsed->duration_ms == kDefaultDtmfDurationMs);
  voxgate::fuzz::sink(static_cast<std::uint64_t>(parsed->digit) + parsed->duration_ms);

  const std::string written =
      std::string("Signal=") + parsed->digit + "\r\nDuration=" + std::to_string(parsed->duration_ms) + "\r\n";
  FUZZ_CHECK(same(parse_dtmf_relay(written), parsed));
  const DtmfParsed plain = parse_dtmf(std::string(1, parsed->digit));
  FUZZ_CHECK(plain && plain->digit == parsed->digit);
}

void run(std::string_view body) {
  const DtmfParsed relay = parse_dtmf_relay(body);
  const DtmfParsed plain = parse_dtmf(body);
  check_one(body, relay, true);
  check_one(body, plain, false);

  std::string line_feeds(body);
  for (char& c : line_feeds) {
    if (c == '\r') c = '\n';
  }
  FUZZ_CHECK(same(parse_dtmf_relay(line_feeds), relay));
  FUZZ_CHECK(same(parse_dtmf(line_feeds), plain));

  std::string upper(body);
  for (char& c : upper) c = ascii::to_upper(c);
  FUZZ_CHECK(same(parse_dtmf_relay(upper), relay));
  FUZZ_CHECK(same(parse_dtmf(upper), plain));
}

}  // namespace
}  // namespace voxgate::sip::fuzz

// libFuzzer's entry point: the name is libFuzzer's, not ours to style.
// NOLINTNEXTLINE(readability-identifier-naming)
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxgate::sip::fuzz::run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
