#include "sip/message/via.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

Via via_ok(std::string_view text) {
  auto parsed = parse_via(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : Via{};
}

void expect_via_rejected(std::string_view text) {
  auto parsed = parse_via(text);
  EXPECT_FALSE(parsed.has_value()) << text << " was accepted";
  if (!parsed) {
    EXPECT_EQ(parsed.error().reason.rfind("bad Via", 0), 0u) << parsed.error().reason;
  }
}

TEST(Via, ParsesSentProtocolSentByAndBranch) {
  const Via via = via_ok("SIP/2.0/UDP pc33.atlanta.com:5060;branch=z9hG4bK776asdhds");
  EXPECT_EQ(via.protocol_name, "SIP");
  EXPECT_EQ(via.protocol_version, "2.0");
  EXPECT_EQ(via.transport, "UDP");
  EXPECT_EQ(via.host, "pc33.atlanta.com");
  EXPECT_EQ(via.host_kind, HostKind::Hostname);
  EXPECT_EQ(via.port, 5060);
  EXPECT_EQ(via.branch(), "z9hG4bK776asdhds");
  EXPECT_TRUE(via.has_rfc3261_branch());
  EXPECT_FALSE(via.received().has_value());
  EXPECT_FALSE(via.has_rport());
}

TEST(Via, SentByPortIsOptional) {
  const Via via = via_ok("SIP/2.0/TCP client.atlanta.example.com;branch=z9hG4bK74bf9");
  EXPECT_EQ(via.transport, "TCP");
  EXPECT_EQ(via.host, "client.atlanta.example.com");
  EXPECT_FALSE(via.port.has_value());
}

TEST(Via, KeepsTransportAsWritten) {
  EXPECT_EQ(via_ok("SIP/2.0/tls h.example.com").transport, "tls");
  EXPECT_EQ(via_ok("SIP/2.0/WSS h.example.com").transport, "WSS");
  EXPECT_EQ(via_ok("SIP/2.0/SCTP h.example.com").transport, "SCTP");
  EXPECT_EQ(via_ok("sip/2.0/udp h.example.com").protocol_name, "sip");
}

TEST(Via, AcceptsLwsAroundSlashesInSentProtocol) {
  // RFC 4475 §3.1.1.1 (wsinv): "SIP  /   2.0  / UDP".
  const Via via = via_ok("SIP  /   2.0  / UDP 192.0.2.2;branch=390skdjuw");
  EXPECT_EQ(via.protocol_name, "SIP");
  EXPECT_EQ(via.protocol_version, "2.0");
  EXPECT_EQ(via.transport, "UDP");
  EXPECT_EQ(via.host, "192.0.2.2");
  EXPECT_EQ(via.host_kind, HostKind::IPv4);
}

// "SIP/2.0/" is read on a fast path and every other sent-protocol on the
// general one: values on either side of that boundary read the same.
TEST(Via, SentProtocolReadsAlikeOnTheFastAndGeneralPaths) {
  for (std::string_view text : {"SIP/2.0/UDP h.example.com", "SIP/2.0/ UDP h.example.com", "SIP /2.0/UDP h.example.com",
                                "SIP/2.0 /UDP h.example.com", " SIP/2.0/UDP h.example.com"}) {
    const Via via = via_ok(text);
    EXPECT_EQ(via.protocol_name, "SIP") << text;
    EXPECT_EQ(via.protocol_version, "2.0") << text;
    EXPECT_EQ(via.transport, "UDP") << text;
    EXPECT_EQ(via.host, "h.example.com") << text;
  }
  const Via lower = via_ok("sip/2.0/tcp h.example.com");
  EXPECT_EQ(lower.protocol_name, "sip");
  EXPECT_EQ(lower.transport, "tcp");
  const Via other = via_ok("SIP/3.0/UDP h.example.com");
  EXPECT_EQ(other.protocol_version, "3.0");
  expect_via_rejected("SIP/2.0/@ h.example.com");
  expect_via_rejected("SIP/2.0/UDP");
}

TEST(Via, AcceptsFoldedLwsInsideTheValue) {
  const Via via = via_ok("SIP/2.0/UDP\r\n pc33.atlanta.com\r\n\t;branch=z9hG4bKx ;\r\n received=192.0.2.1");
  EXPECT_EQ(via.host, "pc33.atlanta.com");
  EXPECT_EQ(via.branch(), "z9hG4bKx");
  EXPECT_EQ(via.received(), "192.0.2.1");
}

TEST(Via, AcceptsLwsAroundSemicolonsEqualsAndPortColon) {
  const Via via = via_ok("  SIP/2.0/UDP host.example.com : 5070 ; branch = z9hG4bKabc ; rport  ");
  EXPECT_EQ(via.port, 5070);
  EXPECT_EQ(via.branch(), "z9hG4bKabc");
  EXPECT_TRUE(via.has_rport());
}

TEST(Via, ParsesIpv6SentByWithPort) {
  // RFC 5118 §4.5.
  const Via via = via_ok("SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111");
  EXPECT_EQ(via.host, "[2001:db8::9:1]");
  EXPECT_EQ(via.host_kind, HostKind::IPv6);
  EXPECT_EQ(via.port, 6050);
  EXPECT_EQ(via.branch(), "z9hG4bKas3-111");
}

TEST(Via, ParsesIpv6SentByWithoutPort) {
  const Via via = via_ok("SIP/2.0/UDP [2001:db8::9:255];branch=z9hG4bKas3");
  EXPECT_EQ(via.host, "[2001:db8::9:255]");
  EXPECT_FALSE(via.port.has_value());
}

TEST(Via, ParsesReceivedAsIpv4OrIpv6WithOrWithoutBrackets) {
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com;received=192.0.2.101").received(), "192.0.2.101");
  // RFC 5118 §4.5 writes received without brackets.
  EXPECT_EQ(via_ok("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255").received(), "2001:db8::9:255");
  EXPECT_EQ(via_ok("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]").received(), "[2001:db8::9:255]");
}

TEST(Via, RejectsReceivedThatIsNotAnIpAddress) {
  expect_via_rejected("SIP/2.0/UDP h.example.com;received=atlanta.com");
  expect_via_rejected("SIP/2.0/UDP h.example.com;received=256.1.1.1");
  expect_via_rejected("SIP/2.0/UDP h.example.com;received");
  expect_via_rejected("SIP/2.0/UDP h.example.com;received=[2001:db8:::1]");
  expect_via_rejected("SIP/2.0/UDP h.example.com;received=[192.0.2.1]");
}

TEST(Via, RportWithoutValueIsARequest) {
  // RFC 3581 §3: the client adds rport without a value.
  const Via via = via_ok("SIP/2.0/UDP h.example.com:5060;rport;branch=z9hG4bKxyz");
  EXPECT_TRUE(via.has_rport());
  EXPECT_FALSE(via.rport().has_value());
}

TEST(Via, RportWithValueIsThePortTheServerSaw) {
  // RFC 3581 §4.
  const Via via = via_ok("SIP/2.0/UDP h.example.com:5060;received=192.0.2.1;rport=9988;branch=z9hG4bKxyz");
  EXPECT_TRUE(via.has_rport());
  EXPECT_EQ(via.rport(), 9988);
  EXPECT_EQ(via.received(), "192.0.2.1");
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com;rport=65535").rport(), 65535);
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com;rport=0").rport(), 0);
}

TEST(Via, RejectsRportOutOfRangeOrNotANumber) {
  expect_via_rejected("SIP/2.0/UDP h.example.com;rport=65536");
  expect_via_rejected("SIP/2.0/UDP h.example.com;rport=abc");
  expect_via_rejected("SIP/2.0/UDP h.example.com;rport=-1");
}

TEST(Via, ParsesMaddrAndTtl) {
  const Via via = via_ok("SIP/2.0/UDP h.example.com;maddr=224.2.0.1;ttl=16;branch=z9hG4bKmc");
  EXPECT_EQ(via.maddr(), "224.2.0.1");
  EXPECT_EQ(via.ttl(), 16);
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com;ttl=0").ttl(), 0);
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com;ttl=255").ttl(), 255);
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com;maddr=mc.example.com").maddr(), "mc.example.com");
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com;maddr=[ff02::1]").maddr(), "[ff02::1]");
  EXPECT_FALSE(via_ok("SIP/2.0/UDP h.example.com").ttl().has_value());
}

TEST(Via, RejectsTtlOver255) {
  expect_via_rejected("SIP/2.0/UDP h.example.com;ttl=256");
  expect_via_rejected("SIP/2.0/UDP h.example.com;ttl=99999999999");
  expect_via_rejected("SIP/2.0/UDP h.example.com;ttl=x");
  expect_via_rejected("SIP/2.0/UDP h.example.com;ttl");
}

TEST(Via, RejectsInvalidMaddr) {
  expect_via_rejected("SIP/2.0/UDP h.example.com;maddr=-bad-");
  expect_via_rejected("SIP/2.0/UDP h.example.com;maddr");
  expect_via_rejected("SIP/2.0/UDP h.example.com;maddr=[1:::2]");
}

TEST(Via, HasRfc3261BranchOnlyWithMagicCookieAndMore) {
  EXPECT_TRUE(via_ok("SIP/2.0/UDP h.example.com;branch=z9hG4bK1").has_rfc3261_branch());
  // A bare cookie identifies nothing (RFC 4475 §3.2.1).
  EXPECT_FALSE(via_ok("SIP/2.0/UDP h.example.com;branch=z9hG4bK").has_rfc3261_branch());
  // The cookie is case-sensitive and must be a prefix.
  EXPECT_FALSE(via_ok("SIP/2.0/UDP h.example.com;branch=Z9HG4BK1234").has_rfc3261_branch());
  EXPECT_FALSE(via_ok("SIP/2.0/UDP h.example.com;branch=1234z9hG4bK").has_rfc3261_branch());
  EXPECT_FALSE(via_ok("SIP/2.0/UDP h.example.com;branch=0a1b2c").has_rfc3261_branch());
  EXPECT_FALSE(via_ok("SIP/2.0/UDP h.example.com").has_rfc3261_branch());
  EXPECT_EQ(kMagicCookie, "z9hG4bK");
}

TEST(Via, RejectsEmptyBranch) {
  expect_via_rejected("SIP/2.0/UDP h.example.com;branch");
  expect_via_rejected("SIP/2.0/UDP h.example.com;branch=");
  expect_via_rejected("SIP/2.0/UDP h.example.com;branch=\"\"");
}

TEST(Via, KeepsUnknownParametersAndParameterNamesCaseInsensitive) {
  const Via via = via_ok("SIP/2.0/UDP h.example.com;Branch=z9hG4bKa;comp=sigcomp;x-flag;x-q=\"a b\"");
  EXPECT_EQ(via.branch(), "z9hG4bKa");
  EXPECT_EQ(via.params.get("comp"), "sigcomp");
  EXPECT_TRUE(via.params.has("x-flag"));
  EXPECT_EQ(via.params.get("x-q"), "a b");
  ASSERT_EQ(via.params.size(), 4u);
  EXPECT_TRUE(via.params[3].quoted);
}

TEST(Via, RejectsMissingTransport) {
  expect_via_rejected("SIP/2.0 h.example.com");
  expect_via_rejected("SIP/2.0/ h.example.com");
  expect_via_rejected("SIP/2.0/");
  expect_via_rejected("SIP h.example.com");
  expect_via_rejected("SIP/ /UDP h.example.com");
  expect_via_rejected("/2.0/UDP h.example.com");
}

TEST(Via, RejectsMissingOrInvalidSentBy) {
  expect_via_rejected("SIP/2.0/UDP");
  expect_via_rejected("SIP/2.0/UDP ");
  expect_via_rejected("SIP/2.0/UDPh.example.com");
  expect_via_rejected("SIP/2.0/UDP ;branch=z9hG4bK1");
  expect_via_rejected("SIP/2.0/UDP -h.example.com");
  expect_via_rejected("SIP/2.0/UDP 1.2.3");
  expect_via_rejected("SIP/2.0/UDP [2001:db8::1");
  expect_via_rejected("SIP/2.0/UDP [2001:db8:::1]");
  expect_via_rejected("SIP/2.0/UDP h_x.example.com");
}

TEST(Via, RejectsBadPorts) {
  expect_via_rejected("SIP/2.0/UDP h.example.com:65536");
  expect_via_rejected("SIP/2.0/UDP h.example.com:");
  expect_via_rejected("SIP/2.0/UDP h.example.com:;branch=z9hG4bK1");
  expect_via_rejected("SIP/2.0/UDP h.example.com:50a60");
  expect_via_rejected("SIP/2.0/UDP [::1]:99999");
}

TEST(Via, AcceptsPortBoundaries) {
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com:0").port, 0);
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com:65535").port, 65535);
  // Five digits or fewer are read inline, more by the general number parse.
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com:0000065535").port, 65535);
  EXPECT_EQ(via_ok("SIP/2.0/UDP h.example.com:05060").port, 5060);
  expect_via_rejected("SIP/2.0/UDP h.example.com:0000065536");
  expect_via_rejected("SIP/2.0/UDP h.example.com:99999");
}

TEST(Via, RejectsTrailingGarbageAndSecondValue) {
  expect_via_rejected("SIP/2.0/UDP h.example.com;branch=z9hG4bK1 junk");
  // One value per call: the message splits the list first.
  expect_via_rejected("SIP/2.0/UDP a.example.com, SIP/2.0/UDP b.example.com");
  expect_via_rejected("SIP/2.0/UDP h.example.com;");
  expect_via_rejected("SIP/2.0/UDP h.example.com;=x");
  expect_via_rejected("SIP/2.0/UDP h.example.com;x=\"unterminated");
  expect_via_rejected("");
}

}  // namespace
}  // namespace voxgate::sip
