#include "sip/message/retry_after.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

RetryAfter retry_after_ok(std::string_view text) {
  auto parsed = parse_retry_after(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : RetryAfter{};
}

TEST(RetryAfter, ParsesDelayOnly) {
  const RetryAfter r = retry_after_ok("120");
  EXPECT_EQ(r.delay, 120u);
  EXPECT_TRUE(r.comment.empty());
  EXPECT_FALSE(r.duration.has_value());
  EXPECT_TRUE(r.params.empty());
}

TEST(RetryAfter, ParsesDelayWithDuration) {
  // RFC 3261 §20.33: "Retry-After: 18000;duration=3600".
  const RetryAfter r = retry_after_ok("18000;duration=3600");
  EXPECT_EQ(r.delay, 18000u);
  EXPECT_EQ(r.duration, 3600u);
}

TEST(RetryAfter, ParsesComment) {
  // RFC 3261 §20.33: "Retry-After: 120 (I'm in a meeting)".
  const RetryAfter r = retry_after_ok("120 (I'm in a meeting)");
  EXPECT_EQ(r.delay, 120u);
  EXPECT_EQ(r.comment, "I'm in a meeting");
  EXPECT_FALSE(r.duration.has_value());
}

TEST(RetryAfter, ParsesNestedCommentsAndQuotedPairs) {
  // §25.1: comment = LPAREN *(ctext / quoted-pair / comment) RPAREN.
  const RetryAfter nested = retry_after_ok("120 (in a meeting (until 3pm));duration=60");
  EXPECT_EQ(nested.comment, "in a meeting (until 3pm)");
  EXPECT_EQ(nested.duration, 60u);
  const RetryAfter escaped = retry_after_ok(R"(120 (smile :\) ok))");
  EXPECT_EQ(escaped.comment, R"(smile :\) ok)");
  EXPECT_FALSE(parse_retry_after("120 (a (b)").has_value());
  EXPECT_FALSE(parse_retry_after(R"(120 (a \))").has_value());
}

TEST(RetryAfter, ParsesCommentDurationAndOtherParameters) {
  const RetryAfter r = retry_after_ok("  300 (busy) ; Duration = 60 ;x-foo=bar  ");
  EXPECT_EQ(r.delay, 300u);
  EXPECT_EQ(r.comment, "busy");
  EXPECT_EQ(r.duration, 60u);
  EXPECT_EQ(r.params.get("x-foo"), "bar");
}

TEST(RetryAfter, AcceptsDeltaSecondsBounds) {
  EXPECT_EQ(retry_after_ok("0").delay, 0u);
  EXPECT_EQ(retry_after_ok("4294967295;duration=4294967295").duration, 4294967295u);
}

TEST(RetryAfter, RejectsOverflowingDelayOrDuration) {
  EXPECT_FALSE(parse_retry_after("4294967296").has_value());
  EXPECT_FALSE(parse_retry_after("1;duration=4294967296").has_value());
  EXPECT_FALSE(parse_retry_after("1;duration=abc").has_value());
  EXPECT_FALSE(parse_retry_after("1;duration").has_value());
}

TEST(RetryAfter, RejectsMalformedValues) {
  for (std::string_view text :
       {"", "(comment)", "abc", "-5", "120 (unterminated", "120 x", "120;", "120 (a) b", "120, 60"}) {
    EXPECT_FALSE(parse_retry_after(text).has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
