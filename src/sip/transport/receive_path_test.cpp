#include "sip/transport/receive_path.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/sip_parse.hpp"

namespace voxgate::sip {
namespace {

Flow peer_flow() {
  return Flow{TransportKind::Udp,
              {boost::asio::ip::make_address("203.0.113.5"), 40000},
              {boost::asio::ip::make_address("192.0.2.100"), 5060},
              ConnectionId{}};
}

std::string request(std::string_view method = "INVITE", std::string_view to_tag = "",
                    std::string_view call_id = "call-1") {
  return fmt::format(
      "{0} sip:bob@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 10.0.0.1:5070;rport;branch=z9hG4bK{2}\r\n"
      "From: <sip:alice@example.com>;tag=a1\r\n"
      "To: <sip:bob@example.com>{1}\r\n"
      "Call-ID: {2}\r\n"
      "CSeq: 1 {0}\r\n"
      "Max-Forwards: 70\r\n"
      "Content-Length: 0\r\n\r\n",
      method, to_tag.empty() ? std::string() : fmt::format(";tag={}", to_tag), call_id);
}

class ReceivePath : public ::testing::Test {
 protected:
  ReceiveOutcome receive(std::string bytes) {
    return process_received(std::move(bytes), peer_flow(), policy_, limiter_);
  }

  RateLimitConfig rate_{true, 1.0, 1.0, 100, 7};
  ManualClock clock_;
  SourceLimiter limiter_{rate_, clock_};
  ReceivePolicy policy_{ParseOptions{}, 7};
};

TEST_F(ReceivePath, DeliversAValidRequestWithReceivedAndRportStamped) {
  const auto out = receive(request());
  ASSERT_EQ(out.disposition, ReceiveDisposition::Deliver);
  const auto via = out.message->top_via();
  ASSERT_TRUE(via);
  EXPECT_EQ(via->received(), "203.0.113.5");
  EXPECT_EQ(via->rport(), 40000);
}

TEST_F(ReceivePath, DeliversAResponseWithoutTouchingItsVia) {
  const std::string response =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.100:5060;branch=z9hG4bK1;rport\r\n"
      "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\nCall-ID: c\r\n"
      "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  const auto out = receive(response);
  ASSERT_EQ(out.disposition, ReceiveDisposition::Deliver);
  EXPECT_EQ(out.message->serialize(), response);
}

TEST_F(ReceivePath, IgnoresCrlfKeepAlives) {
  EXPECT_EQ(receive("\r\n\r\n").disposition, ReceiveDisposition::KeepAlive);
}

TEST_F(ReceivePath, DropsBytesThatAreNotSip) {
  const auto out = receive("\x16\x03\x01 hello, this is not SIP\r\n\r\n");
  EXPECT_EQ(out.disposition, ReceiveDisposition::Dropped);
  EXPECT_FALSE(out.message);
}

TEST_F(ReceivePath, AnswersARequestMissingAMandatoryHeaderWith400) {
  std::string bad = request();
  bad.erase(bad.find("CSeq: 1 INVITE\r\n"), 16);
  const auto out = receive(bad);
  ASSERT_EQ(out.disposition, ReceiveDisposition::Rejected);
  EXPECT_EQ(out.message->status(), 400);
  EXPECT_TRUE(voxgate::test::is_printable(out.message->reason()));
  // The response carries the stamped Via, so it routes per RFC 3581.
  const auto via = out.message->top_via();
  ASSERT_TRUE(via);
  EXPECT_EQ(via->received(), "203.0.113.5");
  EXPECT_EQ(via->rport(), 40000);
  const auto to = out.message->to();
  ASSERT_TRUE(to);
  EXPECT_TRUE(to->tag());
}

TEST_F(ReceivePath, AnswersAnotherSipVersionWith505) {
  std::string bad = request();
  bad.replace(bad.find("SIP/2.0\r\n"), 7, "SIP/7.0");
  const auto out = receive(bad);
  ASSERT_EQ(out.disposition, ReceiveDisposition::Rejected);
  EXPECT_EQ(out.message->status(), 505);
}

TEST_F(ReceivePath, AnswersAnOversizedRequestWith513) {
  policy_.parse.limits.max_message_bytes = 200;
  const auto out = receive(request() + std::string(300, 'x'));
  ASSERT_EQ(out.disposition, ReceiveDisposition::Rejected);
  EXPECT_EQ(out.message->status(), 513);
}

TEST_F(ReceivePath, DropsAMalformedAckInsteadOfAnsweringIt) {
  std::string bad = request("ACK", "b1");
  bad.erase(bad.find("Call-ID: call-1\r\n"), 17);
  EXPECT_EQ(receive(bad).disposition, ReceiveDisposition::Dropped);
}

TEST_F(ReceivePath, DropsAMalformedResponse) {
  const std::string response =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.100:5060;branch=z9hG4bK1\r\n"
      "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\nCall-ID: c\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_EQ(receive(response).disposition, ReceiveDisposition::Dropped);
}

TEST_F(ReceivePath, AnswersNewRequestsOverTheSourceRateWith503AndRetryAfter) {
  ASSERT_EQ(receive(request("INVITE", "", "c1")).disposition, ReceiveDisposition::Deliver);
  const auto out = receive(request("INVITE", "", "c2"));
  ASSERT_EQ(out.disposition, ReceiveDisposition::RateLimited);
  EXPECT_EQ(out.message->status(), 503);
  EXPECT_EQ(out.message->first_value(HeaderId::RetryAfter), "7");
}

TEST_F(ReceivePath, DropsAnAckOverTheRate) {
  ASSERT_EQ(receive(request("OPTIONS", "", "c1")).disposition, ReceiveDisposition::Deliver);
  EXPECT_EQ(receive(request("ACK", "", "c2")).disposition, ReceiveDisposition::RateLimitedDropped);
}

TEST_F(ReceivePath, DoesNotChargeRequestsInsideADialog) {
  ASSERT_EQ(receive(request("INVITE", "", "c1")).disposition, ReceiveDisposition::Deliver);
  EXPECT_EQ(receive(request("BYE", "b1", "c1")).disposition, ReceiveDisposition::Deliver);
  EXPECT_EQ(receive(request("ACK", "b1", "c1")).disposition, ReceiveDisposition::Deliver);
}

TEST(StatelessToTag, IsStableForOneRequestAndDiffersBetweenRequests) {
  const Message a = voxgate::test::parse_ok(request("INVITE", "", "c1"));
  const Message a_again = voxgate::test::parse_ok(request("INVITE", "", "c1"));
  const Message b = voxgate::test::parse_ok(request("INVITE", "", "c2"));
  EXPECT_EQ(stateless_to_tag(a), stateless_to_tag(a_again));
  EXPECT_NE(stateless_to_tag(a), stateless_to_tag(b));
}

}  // namespace
}  // namespace voxgate::sip
