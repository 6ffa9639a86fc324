#include "sip/transport/response_routing.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sip/transport/connection_id.hpp"

namespace voxgate::sip {
namespace {

Address ip_port(std::string_view ip, std::uint16_t port) {
  return Address{boost::asio::ip::make_address(ip), port};
}

Flow udp_from(const Address& remote) {
  return Flow{TransportKind::Udp, remote, ip_port("192.0.2.100", 5060), ConnectionId{}};
}

Flow tcp_from(const Address& remote, ConnectionId id) {
  return Flow{TransportKind::Tcp, remote, ip_port("192.0.2.100", 5060), id};
}

ResponseRoute route(std::string_view via_text, const Flow& flow) {
  const auto via = parse_via(via_text);
  EXPECT_TRUE(via) << via_text;
  auto routed = route_response(*via, flow);
  EXPECT_TRUE(routed) << via_text << ": " << (routed ? "" : routed.error().message);
  return routed ? *routed : ResponseRoute{};
}

TEST(ResponseRouting, SendsToReceivedAndRportOverUdp) {
  // RFC 3581 §4: the source address and port of the request.
  const auto r = route("SIP/2.0/UDP 10.0.0.1:5070;rport=40000;received=203.0.113.5;branch=z9hG4bK1",
                       udp_from(ip_port("203.0.113.5", 40000)));
  EXPECT_EQ(r.transport, TransportKind::Udp);
  EXPECT_EQ(r.destination, ip_port("203.0.113.5", 40000));
}

TEST(ResponseRouting, SendsToReceivedAndTheSentByPortWithoutRport) {
  // §18.2.2: "the address in the received parameter, using the port in sent-by".
  const auto r =
      route("SIP/2.0/UDP 10.0.0.1:5070;received=203.0.113.5;branch=z9hG4bK1", udp_from(ip_port("203.0.113.5", 40000)));
  EXPECT_EQ(r.destination, ip_port("203.0.113.5", 5070));
}

TEST(ResponseRouting, DefaultsToPort5060) {
  const auto r =
      route("SIP/2.0/UDP 10.0.0.1;received=203.0.113.5;branch=z9hG4bK1", udp_from(ip_port("203.0.113.5", 40000)));
  EXPECT_EQ(r.destination, ip_port("203.0.113.5", 5060));
}

TEST(ResponseRouting, SendsToTheSentByWhenNothingWasStamped) {
  const auto r = route("SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK1", udp_from(ip_port("192.0.2.1", 5080)));
  EXPECT_EQ(r.destination, ip_port("192.0.2.1", 5080));
}

TEST(ResponseRouting, SendsToMaddrWithTheSentByPort) {
  const auto r = route("SIP/2.0/UDP 192.0.2.1:5080;maddr=198.51.100.9;received=203.0.113.5;rport=1;branch=z9hG4bK1",
                       udp_from(ip_port("203.0.113.5", 1)));
  EXPECT_EQ(r.destination, ip_port("198.51.100.9", 5080));
}

TEST(ResponseRouting, UsesTheRequestsConnectionOverTcp) {
  const ConnectionId id = make_connection_id(1, 7);
  const auto r = route("SIP/2.0/TCP 10.0.0.1:5070;rport=40000;received=203.0.113.5;branch=z9hG4bK1",
                       tcp_from(ip_port("203.0.113.5", 40000), id));
  EXPECT_EQ(r.transport, TransportKind::Tcp);
  EXPECT_EQ(r.connection, id);
  // Reconnect target if the connection has closed: received + sent-by port,
  // not rport (§18.2.2).
  EXPECT_EQ(r.destination, ip_port("203.0.113.5", 5070));
}

TEST(ResponseRouting, IgnoresMaddrOverTcp) {
  const ConnectionId id = make_connection_id(0, 1);
  const auto r =
      route("SIP/2.0/TCP 192.0.2.1;maddr=198.51.100.9;branch=z9hG4bK1", tcp_from(ip_port("192.0.2.1", 40000), id));
  EXPECT_EQ(r.connection, id);
  EXPECT_EQ(r.destination, ip_port("192.0.2.1", 5060));
}

TEST(ResponseRouting, KeepsTheConnectionWhenTheSentByIsANameWithoutReceived) {
  const ConnectionId id = make_connection_id(0, 1);
  const auto r = route("SIP/2.0/TCP client.example.com;branch=z9hG4bK1", tcp_from(ip_port("192.0.2.1", 40000), id));
  EXPECT_EQ(r.connection, id);
  EXPECT_FALSE(r.destination);
}

TEST(ResponseRouting, HandlesIPv6Received) {
  const auto r = route("SIP/2.0/UDP [2001:db8::1]:5070;rport=4000;received=2001:db8::99;branch=z9hG4bK1",
                       udp_from(ip_port("2001:db8::99", 4000)));
  EXPECT_EQ(r.destination, ip_port("2001:db8::99", 4000));
  const auto r2 = route("SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1", udp_from(ip_port("2001:db8::1", 5070)));
  EXPECT_EQ(r2.destination, ip_port("2001:db8::1", 5070));
}

TEST(ResponseRouting, RefusesANameItWouldHaveToResolve) {
  const auto via = parse_via("SIP/2.0/UDP client.example.com;branch=z9hG4bK1");
  ASSERT_TRUE(via);
  const auto routed = route_response(*via, udp_from(ip_port("192.0.2.1", 5060)));
  ASSERT_FALSE(routed);
  EXPECT_EQ(routed.error().code, Errc::Unsupported);
}

TEST(ResponseRouting, RoutesBackTheWayARequestCameWhenItsViaIsUnusable) {
  const auto flow = tcp_from(ip_port("192.0.2.1", 40000), make_connection_id(2, 3));
  const ResponseRoute r = route_back(flow);
  EXPECT_EQ(r.transport, TransportKind::Tcp);
  EXPECT_EQ(r.connection, flow.connection);
  EXPECT_EQ(r.destination, flow.remote);
}

}  // namespace
}  // namespace voxgate::sip
