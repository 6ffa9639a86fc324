#include "sip/transaction/request_builders.hpp"

#include <gtest/gtest.h>

#include "sip/message/validate.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::sip {
namespace {

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;rport\r\n"
    "Max-Forwards: 70\r\n"
    "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
    "Route: <sip:p3.example.com;lr>\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.com>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

constexpr std::string_view kBusy =
    "SIP/2.0 486 Busy Here\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;rport=5060\r\n"
    "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

TEST(BuildAckForNon2xx, CopiesTheInviteAndTakesToFromTheResponse) {
  const Message invite = test::parse_ok(kInvite);
  const Message busy = test::parse_ok(kBusy);
  const auto ack = build_ack_for_non2xx(invite, busy);
  ASSERT_TRUE(ack.has_value());
  const Message parsed = test::parse_ok(ack->serialize());
  EXPECT_TRUE(validate_message(parsed).has_value());
  EXPECT_EQ(parsed.method(), Method::Ack);
  EXPECT_EQ(parsed.request_uri_text(), "sip:bob@biloxi.com");
  EXPECT_EQ(parsed.values(HeaderId::Via).size(), 1U);
  EXPECT_EQ(parsed.first_value(HeaderId::Via), "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;rport");
  EXPECT_EQ(parsed.values(HeaderId::Route), invite.values(HeaderId::Route));
  EXPECT_EQ(parsed.first_value(HeaderId::To), "Bob <sip:bob@biloxi.com>;tag=a6c85cf");
  EXPECT_EQ(parsed.first_value(HeaderId::From), "Alice <sip:alice@atlanta.com>;tag=1928301774");
  EXPECT_EQ(parsed.first_value(HeaderId::CallId), "a84b4c76e66710");
  EXPECT_EQ(parsed.first_value(HeaderId::CSeq), "314159 ACK");
  EXPECT_EQ(parsed.first_value(HeaderId::MaxForwards), "70");
  EXPECT_TRUE(parsed.body().empty());
  EXPECT_FALSE(parsed.has(HeaderId::Contact));
}

TEST(BuildCancel, CopiesTheRequestWithCSeqMethodCancel) {
  const Message invite = test::parse_ok(kInvite);
  const auto cancel = build_cancel(invite);
  ASSERT_TRUE(cancel.has_value());
  const Message parsed = test::parse_ok(cancel->serialize());
  EXPECT_TRUE(validate_message(parsed).has_value());
  EXPECT_EQ(parsed.method(), Method::Cancel);
  EXPECT_EQ(parsed.request_uri_text(), "sip:bob@biloxi.com");
  EXPECT_EQ(parsed.first_value(HeaderId::Via), "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;rport");
  EXPECT_EQ(parsed.values(HeaderId::Route), invite.values(HeaderId::Route));
  EXPECT_EQ(parsed.first_value(HeaderId::To), "Bob <sip:bob@biloxi.com>");
  EXPECT_EQ(parsed.first_value(HeaderId::CSeq), "314159 CANCEL");
  EXPECT_TRUE(parsed.body().empty());
}

TEST(BuildCancel, TakesOnlyTheTopViaOfSeveral) {
  Message invite = test::parse_ok(kInvite);
  invite.insert_header(0, HeaderId::Via,
                       "SIP/2.0/TCP top.example.com;branch=z9hG4bKtop, SIP/2.0/UDP second;branch=z9hG4bK2");
  const auto cancel = build_cancel(invite);
  ASSERT_TRUE(cancel.has_value());
  EXPECT_EQ(cancel->values(HeaderId::Via).size(), 1U);
  EXPECT_EQ(cancel->first_value(HeaderId::Via), "SIP/2.0/TCP top.example.com;branch=z9hG4bKtop");
}

TEST(BuildCancel, RefusesARequestWithoutCSeq) {
  Message broken = test::parse_ok(kInvite);
  broken.remove_headers(HeaderId::CSeq);
  EXPECT_FALSE(build_cancel(broken).has_value());
}

}  // namespace
}  // namespace voxgate::sip
