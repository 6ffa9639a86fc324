#include "sip/transport/via_rewrite.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/sip_parse.hpp"

namespace voxgate::sip {
namespace {

Address source(std::string_view ip, std::uint16_t port) {
  return Address{boost::asio::ip::make_address(ip), port};
}

std::string stamped(std::string_view element, const Address& from) {
  const auto via = parse_via(element);
  EXPECT_TRUE(via) << element;
  auto out = stamp_via_element(element, *via, from);
  return out ? *out : std::string(element);
}

std::string request_with_via(std::string_view via_lines) {
  return fmt::format(
      "OPTIONS sip:a@example.com SIP/2.0\r\n{}"
      "From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c1\r\n"
      "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
      via_lines);
}

TEST(ViaRewrite, LeavesAViaWhoseSentByIsTheSourceAndWithoutRportUnchanged) {
  const std::string element = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1";
  const auto via = parse_via(element);
  ASSERT_TRUE(via);
  EXPECT_FALSE(stamp_via_element(element, *via, source("192.0.2.1", 5060)));
}

TEST(ViaRewrite, AddsReceivedWhenTheSentByHostDiffersFromTheSource) {
  // §18.2.1
  EXPECT_EQ(stamped("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", source("198.51.100.7", 5060)),
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=198.51.100.7");
}

TEST(ViaRewrite, AddsReceivedWhenTheSentByIsADomainName) {
  EXPECT_EQ(stamped("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1", source("192.0.2.1", 5060)),
            "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1;received=192.0.2.1");
}

TEST(ViaRewrite, FillsAnEmptyRportAndAddsReceivedEvenWhenTheHostMatches) {
  // RFC 3581 §4: received is added "even if it is identical" when rport is there.
  EXPECT_EQ(stamped("SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1", source("192.0.2.1", 40000)),
            "SIP/2.0/UDP 192.0.2.1:5060;rport=40000;branch=z9hG4bK1;received=192.0.2.1");
}

TEST(ViaRewrite, KeepsAnRportThatAlreadyHasAValue) {
  EXPECT_EQ(stamped("SIP/2.0/UDP 192.0.2.1;rport=1234;branch=z9hG4bK1", source("192.0.2.1", 40000)),
            "SIP/2.0/UDP 192.0.2.1;rport=1234;branch=z9hG4bK1;received=192.0.2.1");
}

TEST(ViaRewrite, ReplacesAWrongReceived) {
  EXPECT_EQ(stamped("SIP/2.0/UDP host.invalid;received=10.0.0.1;branch=z9hG4bK1", source("192.0.2.9", 5060)),
            "SIP/2.0/UDP host.invalid;received=192.0.2.9;branch=z9hG4bK1");
}

TEST(ViaRewrite, WritesAnIPv6ReceivedWithoutBrackets) {
  // §25.1 received = IPv6address; RFC 5118 §4.5.
  EXPECT_EQ(stamped("SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bK1", source("2001:db8::9:255", 5060)),
            "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bK1;received=2001:db8::9:255");
}

TEST(ViaRewrite, ComparesIPv6SentByWithTheSourceRegardlessOfNotation) {
  EXPECT_TRUE(sent_by_host_is("[2001:db8:0::1]", boost::asio::ip::make_address("2001:db8::1")));
  EXPECT_FALSE(sent_by_host_is("[2001:db8::2]", boost::asio::ip::make_address("2001:db8::1")));
  EXPECT_FALSE(sent_by_host_is("localhost", boost::asio::ip::make_address("127.0.0.1")));
}

TEST(ViaRewrite, TreatsAnIPv4MappedSourceAsIPv4) {
  EXPECT_TRUE(sent_by_host_is("192.0.2.1", boost::asio::ip::make_address("::ffff:192.0.2.1")));
}

TEST(ViaRewrite, StampsOnlyTheFirstElementOfACommaSeparatedViaField) {
  auto request = voxgate::test::parse_ok(request_with_via(
      "Via: SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bK1 , SIP/2.0/UDP 192.0.2.2;rport;branch=z9hG4bK2\r\n"));
  ASSERT_TRUE(stamp_received_rport(request, source("203.0.113.5", 7000)));
  EXPECT_EQ(*request.first_value(HeaderId::Via),
            "SIP/2.0/UDP 192.0.2.1;rport=7000;branch=z9hG4bK1;received=203.0.113.5 , "
            "SIP/2.0/UDP 192.0.2.2;rport;branch=z9hG4bK2");
  const auto top = request.top_via();
  ASSERT_TRUE(top);
  EXPECT_EQ(top->rport(), 7000);
  EXPECT_EQ(top->received(), "203.0.113.5");
}

TEST(ViaRewrite, StampsOnlyTheFirstViaField) {
  auto request = voxgate::test::parse_ok(request_with_via(
      "Via: SIP/2.0/UDP a.invalid;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b.invalid;rport;branch=z9hG4bK2\r\n"));
  ASSERT_TRUE(stamp_received_rport(request, source("203.0.113.5", 7000)));
  const auto vias = request.values(HeaderId::Via);
  ASSERT_EQ(vias.size(), 2U);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP a.invalid;branch=z9hG4bK1;received=203.0.113.5");
  EXPECT_EQ(vias[1], "SIP/2.0/UDP b.invalid;rport;branch=z9hG4bK2");
}

TEST(ViaRewrite, KeepsAQuotedCommaInsideTheFirstElement) {
  auto request = voxgate::test::parse_ok(
      request_with_via("Via: SIP/2.0/UDP a.invalid;x=\"p,q\";branch=z9hG4bK1, SIP/2.0/UDP b.invalid\r\n"));
  ASSERT_TRUE(stamp_received_rport(request, source("203.0.113.5", 7000)));
  EXPECT_EQ(*request.first_value(HeaderId::Via),
            "SIP/2.0/UDP a.invalid;x=\"p,q\";branch=z9hG4bK1;received=203.0.113.5, SIP/2.0/UDP b.invalid");
}

TEST(ViaRewrite, ReportsARequestWithoutAParseableVia) {
  auto request = voxgate::test::parse_ok(request_with_via("Via: not a via\r\n"));
  EXPECT_FALSE(stamp_received_rport(request, source("203.0.113.5", 7000)));
  EXPECT_EQ(*request.first_value(HeaderId::Via), "not a via");
}

TEST(ViaRewrite, SerializesTheStampedMessage) {
  auto request = voxgate::test::parse_ok(request_with_via("Via: SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bK1\r\n"));
  ASSERT_TRUE(stamp_received_rport(request, source("192.0.2.1", 5062)));
  const std::string wire = request.serialize();
  EXPECT_NE(wire.find("Via: SIP/2.0/UDP 192.0.2.1;rport=5062;branch=z9hG4bK1;received=192.0.2.1\r\n"),
            std::string::npos)
      << wire;
}

TEST(ViaRewrite, MakesOurViaWithBranchAndAnEmptyRport) {
  // RFC 3581 §3: a client asks for symmetric response routing with rport.
  EXPECT_EQ(make_via_value(TransportKind::Udp, "192.0.2.1:5060", "z9hG4bKabc"),
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;rport");
  EXPECT_EQ(make_via_value(TransportKind::Tcp, "[::1]:5070", "z9hG4bKabc"),
            "SIP/2.0/TCP [::1]:5070;branch=z9hG4bKabc;rport");
}

TEST(ViaRewrite, BracketsIPv6InSentBy) {
  EXPECT_EQ(format_host_port(format_host(boost::asio::ip::make_address("::1")), 5060), "[::1]:5060");
  EXPECT_EQ(format_host_port("2001:db8::1", 5060), "[2001:db8::1]:5060");
  EXPECT_EQ(format_host_port("sip.example.com", 5060), "sip.example.com:5060");
  EXPECT_EQ(format_host_port(format_host(boost::asio::ip::make_address("127.0.0.1")), 1), "127.0.0.1:1");
}

}  // namespace
}  // namespace voxgate::sip
