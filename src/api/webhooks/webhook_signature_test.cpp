#include "api/webhooks/webhook_signature.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace voxgate::api {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kSigningSecret = "whsec_test_secret";
constexpr std::int64_t kTimestamp = 1700000000;
constexpr std::string_view kBody = R"({"event":"session.ended","id":"s-42"})";
// python3 -c 'import hmac, hashlib; print(hmac.new(b"whsec_test_secret",
//   b"1700000000." + b"{\"event\":\"session.ended\",\"id\":\"s-42\"}", hashlib.sha256).hexdigest())'
constexpr std::string_view kExpectedHex = "5cc7ed481485f2998a2ea0ec5f0d444d60bfa8d14e8e231400b876a86fbfa19b";

Clock::WallTime at(std::int64_t unix_seconds) {
  return Clock::WallTime(std::chrono::seconds(unix_seconds));
}

TEST(WebhookSignature, MatchesHmacSha256ComputedIndependently) {
  EXPECT_EQ(webhook_signature_hex(kSigningSecret, kTimestamp, kBody), kExpectedHex);
  // python3: hmac.new(b"key", b"1.", hashlib.sha256).hexdigest()
  EXPECT_EQ(webhook_signature_hex("key", 1, ""), "53123bc365c2fe4bee48bc5cc6cd6c19699147d43513154ed34277c7c063e80f");
}

TEST(WebhookSignature, HeaderCarriesTimestampAndLowercaseHexSignature) {
  EXPECT_EQ(webhook_signature_header(kSigningSecret, kTimestamp, kBody),
            "t=1700000000,v1=" + std::string(kExpectedHex));
}

TEST(WebhookSignature, UnixSecondsRoundsDown) {
  EXPECT_EQ(unix_seconds(at(kTimestamp) + 999ms), kTimestamp);
}

TEST(WebhookSignature, VerifyAcceptsAGenuineSignatureWithinTheTolerance) {
  const auto header = webhook_signature_header(kSigningSecret, kTimestamp, kBody);
  EXPECT_TRUE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp)));
  EXPECT_TRUE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp + 300)));
  EXPECT_TRUE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp - 300)));
}

TEST(WebhookSignature, VerifyRejectsATamperedBody) {
  const auto header = webhook_signature_header(kSigningSecret, kTimestamp, kBody);
  const auto result =
      verify_webhook_signature(header, R"({"event":"session.ended","id":"s-43"})", kSigningSecret, at(kTimestamp));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::InvalidArgument);
  EXPECT_NE(result.error().message.find("does not match"), std::string::npos) << result.error().message;
}

TEST(WebhookSignature, VerifyRejectsAnotherSecret) {
  const auto header = webhook_signature_header("other secret", kTimestamp, kBody);
  EXPECT_FALSE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp)));
}

TEST(WebhookSignature, VerifyRejectsAnAlteredTimestamp) {
  // The signature was made for kTimestamp; the attacker moves t forward.
  const auto header = "t=" + std::to_string(kTimestamp + 100) + ",v1=" + std::string(kExpectedHex);
  EXPECT_FALSE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp + 100)));
}

TEST(WebhookSignature, VerifyRejectsATimestampOlderOrNewerThanTheTolerance) {
  const auto header = webhook_signature_header(kSigningSecret, kTimestamp, kBody);
  const auto old = verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp + 301));
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("tolerance"), std::string::npos) << old.error().message;
  EXPECT_FALSE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp - 301)));
  EXPECT_FALSE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp + 11), 10s));
}

TEST(WebhookSignature, VerifyAcceptsAnyMatchingV1AmongSeveralAndIgnoresUnknownEntries) {
  const auto header = "t=1700000000, v0=abc, v1=" + std::string(64, '0') + ", v1=" + std::string(kExpectedHex);
  EXPECT_TRUE(verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp)));
}

TEST(WebhookSignature, VerifyRejectsMalformedHeaders) {
  const std::string v1 = "v1=" + std::string(kExpectedHex);
  for (const std::string& header : std::vector<std::string>{
           std::string(), std::string("garbage"),
           std::string("t=1700000000"),                               // no signature
           v1,                                                        // no timestamp
           "t=," + v1,                                                // empty timestamp
           "t=-1700000000," + v1,                                     // sign
           "t=17e8," + v1,                                            // not digits
           "t=99999999999999999999," + v1,                            // overflows
           "t=1700000000,t=1700000000," + v1,                         // ambiguous
           "t=1700000000,v1=" + std::string(kExpectedHex).substr(1),  // truncated
       }) {
    const auto result = verify_webhook_signature(header, kBody, kSigningSecret, at(kTimestamp));
    EXPECT_FALSE(result) << header;
    if (!result) {
      EXPECT_EQ(result.error().code, Errc::InvalidArgument) << header;
    }
  }
}

}  // namespace
}  // namespace voxgate::api
