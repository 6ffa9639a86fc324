// The next hop of a request (RFC 3261 §8.1.2; RFC 3263 §4 for IP literals).

#include "sip/dialog/next_hop.hpp"

#include <gtest/gtest.h>

#include "sip/dialog/detail/test_messages.hpp"

namespace voxgate::sip {
namespace {

Target hop(std::string_view uri) {
  auto target = next_hop_for_uri(uri);
  EXPECT_TRUE(target) << uri << ": " << (target ? "" : target.error().message);
  return target.value_or(Target{});
}

TEST(NextHop, AnIpv4SipUriGoesOverUdpToPort5060) {
  const Target t = hop("sip:bob@192.0.2.4");
  EXPECT_EQ(t.transport, TransportKind::Udp);
  EXPECT_EQ(t.address.ip.to_string(), "192.0.2.4");
  EXPECT_EQ(t.address.port, 5060);
}

TEST(NextHop, TheUrisPortWins) {
  EXPECT_EQ(hop("sip:bob@192.0.2.4:5080").address.port, 5080);
}

TEST(NextHop, TheTransportParameterChoosesTheTransportInAnyCase) {
  EXPECT_EQ(hop("sip:bob@192.0.2.4;transport=tcp").transport, TransportKind::Tcp);
  EXPECT_EQ(hop("sip:bob@192.0.2.4;transport=TCP").transport, TransportKind::Tcp);
  EXPECT_EQ(hop("sip:bob@192.0.2.4;transport=udp").transport, TransportKind::Udp);
}

TEST(NextHop, SipsGoesOverTcpToPort5061) {
  const Target t = hop("sips:bob@192.0.2.4");
  EXPECT_EQ(t.transport, TransportKind::Tcp);
  EXPECT_EQ(t.address.port, 5061);
}

TEST(NextHop, AnIpv6ReferenceLosesItsBrackets) {
  const Target t = hop("sip:bob@[2001:db8::10]:5070");
  EXPECT_TRUE(t.address.ip.is_v6());
  EXPECT_EQ(t.address.ip.to_string(), "2001:db8::10");
  EXPECT_EQ(t.address.port, 5070);
}

TEST(NextHop, MaddrReplacesTheHost) {
  EXPECT_EQ(hop("sip:proxy.example.com;maddr=192.0.2.77;lr").address.ip.to_string(), "192.0.2.77");
  EXPECT_EQ(hop("sip:192.0.2.1;maddr=[2001:db8::1]").address.ip.to_string(), "2001:db8::1");
}

TEST(NextHop, AHostNameIsRefusedUntilDnsExists) {
  auto t = next_hop_for_uri("sip:bob@biloxi.example.com");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, Errc::Unsupported);
  EXPECT_NE(t.error().message.find("biloxi.example.com"), std::string::npos);
}

TEST(NextHop, TransportsWeDoNotSpeakAreRefused) {
  auto t = next_hop_for_uri("sip:bob@192.0.2.4;transport=tls");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, Errc::Unsupported);
  EXPECT_FALSE(next_hop_for_uri("sip:bob@192.0.2.4;transport=sctp"));
}

TEST(NextHop, NonSipUrisAndGarbageAreRefused) {
  EXPECT_EQ(next_hop_for_uri("tel:+15551234567").error().code, Errc::InvalidArgument);
  EXPECT_EQ(next_hop_for_uri("not a uri").error().code, Errc::InvalidArgument);
}

TEST(NextHop, ARequestGoesToItsFirstRoute) {
  const Message request = dialog_detail::sip_message(
      "BYE sip:alice@192.0.2.101 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
      "Route: <sip:192.0.2.20;lr;transport=tcp>, <sip:192.0.2.30;lr>\n"
      "From: <sip:a@example.com>;tag=1\n"
      "To: <sip:b@example.com>;tag=2\n"
      "Call-ID: x@192.0.2.1\n"
      "CSeq: 2 BYE\n"
      "\n");
  auto t = next_hop_of_request(request);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->address.ip.to_string(), "192.0.2.20");
  EXPECT_EQ(t->transport, TransportKind::Tcp);
}

TEST(NextHop, ARequestWithoutRouteGoesToItsRequestUri) {
  const Message request = dialog_detail::sip_message(
      "OPTIONS sip:192.0.2.101:5066 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
      "From: <sip:a@example.com>;tag=1\n"
      "To: <sip:b@example.com>\n"
      "Call-ID: y@192.0.2.1\n"
      "CSeq: 1 OPTIONS\n"
      "\n");
  auto t = next_hop_of_request(request);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->address.ip.to_string(), "192.0.2.101");
  EXPECT_EQ(t->address.port, 5066);
}

}  // namespace
}  // namespace voxgate::sip
