// DTMF in SIP INFO bodies (RFC 6086 §9 legacy usage): application/dtmf-relay
// and application/dtmf, as gateways and softphones send them.

#include "sip/message/dtmf_relay.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

using namespace std::string_view_literals;

DtmfDigit relay_ok(std::string_view body) {
  const DtmfParsed parsed = parse_dtmf_relay(body);
  EXPECT_TRUE(parsed.has_value()) << body << " -> " << (parsed ? "" : reason_phrase(parsed.error()));
  return parsed.value_or(DtmfDigit{});
}

DtmfBodyError relay_error(std::string_view body) {
  const DtmfParsed parsed = parse_dtmf_relay(body);
  EXPECT_FALSE(parsed.has_value()) << body << " -> " << (parsed ? parsed->digit : ' ');
  return parsed ? DtmfBodyError::TooLarge : parsed.error();
}

DtmfDigit plain_ok(std::string_view body) {
  const DtmfParsed parsed = parse_dtmf(body);
  EXPECT_TRUE(parsed.has_value()) << body << " -> " << (parsed ? "" : reason_phrase(parsed.error()));
  return parsed.value_or(DtmfDigit{});
}

TEST(DtmfRelay, ParsesSignalAndDurationFromCrlfLines) {
  const DtmfDigit d = relay_ok("Signal=5\r\nDuration=160\r\n");
  EXPECT_EQ(d.digit, '5');
  EXPECT_EQ(d.duration_ms, 160U);
}

TEST(DtmfRelay, AcceptsLfAndBareCrLineEndsAndNoneAfterTheLastLine) {
  EXPECT_EQ(relay_ok("Signal=7\nDuration=100\n").duration_ms, 100U);
  EXPECT_EQ(relay_ok("Signal=7\rDuration=120\r").duration_ms, 120U);
  const DtmfDigit last = relay_ok("Signal=8\r\nDuration=90");
  EXPECT_EQ(last.digit, '8');
  EXPECT_EQ(last.duration_ms, 90U);
}

TEST(DtmfRelay, KeysAreCaseInsensitiveAndBlanksAroundEqualsAreIgnored) {
  const DtmfDigit d = relay_ok("signal = 3\r\nDURATION\t=\t200 \r\n");
  EXPECT_EQ(d.digit, '3');
  EXPECT_EQ(d.duration_ms, 200U);
  EXPECT_EQ(relay_ok("  SiGnAl=9  ").digit, '9');
}

TEST(DtmfRelay, EveryDigitStarHashAndAToDIsASignalWithLetterDigitsInUpperCase) {
  for (const char c : std::string_view("0123456789*#ABCD")) {
    EXPECT_EQ(relay_ok(std::string("Signal=") + c).digit, c);
  }
  EXPECT_EQ(relay_ok("Signal=a").digit, 'A');
  EXPECT_EQ(relay_ok("Signal=d").digit, 'D');
}

TEST(DtmfRelay, EventNumbersTenToFifteenMeanStarHashAndAToD) {
  EXPECT_EQ(relay_ok("Signal=10").digit, '*');
  EXPECT_EQ(relay_ok("Signal=11").digit, '#');
  EXPECT_EQ(relay_ok("Signal=12").digit, 'A');
  EXPECT_EQ(relay_ok("Signal=15").digit, 'D');
}

TEST(DtmfRelay, DurationIsOptionalAndDefaults) {
  EXPECT_EQ(relay_ok("Signal=1\r\n").duration_ms, kDefaultDtmfDurationMs);
}

TEST(DtmfRelay, DurationFromZeroToTheMaximumIsAccepted) {
  EXPECT_EQ(relay_ok("Signal=1\r\nDuration=0\r\n").duration_ms, 0U);
  EXPECT_EQ(relay_ok("Signal=1\r\nDuration=60000\r\n").duration_ms, kMaxDtmfDurationMs);
  EXPECT_EQ(relay_ok("Duration=250\r\nSignal=1\r\n").duration_ms, 250U) << "in any order";
}

TEST(DtmfRelay, BlankLinesAndUnknownKeysAreIgnored) {
  const DtmfDigit d = relay_ok("\r\n\r\nVolume=10\r\n  \r\nSignal=#\r\n\r\nX-Vendor=anything = at all\r\n");
  EXPECT_EQ(d.digit, '#');
  EXPECT_EQ(d.duration_ms, kDefaultDtmfDurationMs);
}

TEST(DtmfRelay, NoSignalIsMissingSignal) {
  EXPECT_EQ(relay_error(""), DtmfBodyError::MissingSignal);
  EXPECT_EQ(relay_error("\r\n"), DtmfBodyError::MissingSignal);
  EXPECT_EQ(relay_error("Duration=160\r\n"), DtmfBodyError::MissingSignal);
  EXPECT_EQ(relay_error("Signals=5\r\n"), DtmfBodyError::MissingSignal) << "another key";
}

TEST(DtmfRelay, ASignalOutsideTheDtmfSetIsBadSignal) {
  for (std::string_view value : {""sv, "E"sv, "e"sv, "16"sv, "55"sv, "01"sv, "-1"sv, "5 5"sv, "!"sv, "1\0"sv}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(relay_error(std::string("Signal=") + std::string(value)), DtmfBodyError::BadSignal);
  }
}

TEST(DtmfRelay, ADurationThatIsNotMillisecondsUpToTheMaximumIsBadDuration) {
  for (std::string_view value : {"", "abc", "-5", "+5", "1.5", "160ms", "60001", "99999999999999999999999"}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(relay_error("Signal=5\r\nDuration=" + std::string(value)), DtmfBodyError::BadDuration);
  }
}

TEST(DtmfRelay, ANonBlankLineWithoutKeyAndEqualsIsMalformed) {
  EXPECT_EQ(relay_error("Signal=5\r\ngarbage\r\n"), DtmfBodyError::MalformedLine);
  EXPECT_EQ(relay_error("=5\r\n"), DtmfBodyError::MalformedLine);
  EXPECT_EQ(relay_error("5"), DtmfBodyError::MalformedLine) << "an application/dtmf body is not dtmf-relay";
}

TEST(DtmfRelay, ARepeatedSignalOrDurationIsRefused) {
  EXPECT_EQ(relay_error("Signal=5\r\nSignal=6\r\n"), DtmfBodyError::DuplicateKey);
  EXPECT_EQ(relay_error("Signal=5\r\nDuration=1\r\nduration=2\r\n"), DtmfBodyError::DuplicateKey);
}

TEST(DtmfRelay, ABodyOverTheLimitIsRefusedAndOneAtTheLimitIsParsed) {
  std::string body = "Signal=5\r\n";
  body.append(kMaxDtmfBodyBytes - body.size(), '\n');
  EXPECT_EQ(relay_ok(body).digit, '5');
  body += '\n';
  EXPECT_EQ(relay_error(body), DtmfBodyError::TooLarge);
}

TEST(DtmfRelay, ReadsNothingBeyondTheViewItIsGiven) {
  const std::string buffer = "Signal=12\r\nDuration=160\r\n";
  const DtmfDigit d = relay_ok(std::string_view(buffer).substr(0, 8));
  EXPECT_EQ(d.digit, '1') << "\"Signal=1\" ends where the view ends";
  EXPECT_EQ(d.duration_ms, kDefaultDtmfDurationMs);
}

TEST(DtmfRelay, EveryErrorHasItsOwnReasonPhrase) {
  std::set<std::string_view> phrases;
  for (DtmfBodyError e : {DtmfBodyError::TooLarge, DtmfBodyError::MalformedLine, DtmfBodyError::DuplicateKey,
                          DtmfBodyError::MissingSignal, DtmfBodyError::BadSignal, DtmfBodyError::BadDuration}) {
    EXPECT_FALSE(reason_phrase(e).empty());
    phrases.insert(reason_phrase(e));
  }
  EXPECT_EQ(phrases.size(), 6U);
}

TEST(DtmfPlain, TheBodyIsTheDigitWithTheDefaultDuration) {
  const DtmfDigit d = plain_ok("5");
  EXPECT_EQ(d.digit, '5');
  EXPECT_EQ(d.duration_ms, kDefaultDtmfDurationMs);
  EXPECT_EQ(plain_ok("*").digit, '*');
  EXPECT_EQ(plain_ok("#").digit, '#');
  EXPECT_EQ(plain_ok("b").digit, 'B');
}

TEST(DtmfPlain, TheBodyMayBeTheEventNumber) {
  EXPECT_EQ(plain_ok("0").digit, '0');
  EXPECT_EQ(plain_ok("10").digit, '*');
  EXPECT_EQ(plain_ok("11").digit, '#');
  EXPECT_EQ(plain_ok("15").digit, 'D');
}

TEST(DtmfPlain, BlanksAndLineEndsAroundTheDigitAreIgnored) {
  EXPECT_EQ(plain_ok("7\r\n").digit, '7');
  EXPECT_EQ(plain_ok(" \t11\n").digit, '#');
}

TEST(DtmfPlain, AnEmptyBodyIsMissingSignalAndAnythingElseBadSignal) {
  EXPECT_EQ(parse_dtmf("").error(), DtmfBodyError::MissingSignal);
  EXPECT_EQ(parse_dtmf("\r\n").error(), DtmfBodyError::MissingSignal);
  for (std::string_view body : {"Signal=5", "55", "16", "x", "5\r\n6"}) {
    SCOPED_TRACE(body);
    ASSERT_FALSE(parse_dtmf(body).has_value());
    EXPECT_EQ(parse_dtmf(body).error(), DtmfBodyError::BadSignal);
  }
}

TEST(DtmfPlain, ABodyOverTheLimitIsRefused) {
  std::string body(kMaxDtmfBodyBytes, ' ');
  body[0] = '5';
  EXPECT_EQ(plain_ok(body).digit, '5');
  body += ' ';
  ASSERT_FALSE(parse_dtmf(body).has_value());
  EXPECT_EQ(parse_dtmf(body).error(), DtmfBodyError::TooLarge);
}

}  // namespace
}  // namespace voxgate::sip
