#include "sip/transport/listener_set.hpp"

#include <gtest/gtest.h>

namespace voxgate::sip {
namespace {

Address addr(std::string_view ip, std::uint16_t port) {
  return Address{boost::asio::ip::make_address(ip), port};
}

ListenerSet dual_stack() {
  return ListenerSet({
      {0, TransportKind::Udp, addr("192.0.2.1", 5060), "192.0.2.1:5060"},
      {1, TransportKind::Tcp, addr("192.0.2.1", 5060), "192.0.2.1:5060"},
      {2, TransportKind::Udp, addr("2001:db8::1", 5062), "[2001:db8::1]:5062"},
      {3, TransportKind::Udp, addr("192.0.2.2", 5080), "192.0.2.2:5080"},
  });
}

TEST(ListenerSet, SendsFromTheFirstListenerOfTheDestinationsFamily) {
  const ListenerSet set = dual_stack();
  EXPECT_EQ(set.for_destination(TransportKind::Udp, boost::asio::ip::make_address("198.51.100.1"))->index, 0U);
  EXPECT_EQ(set.for_destination(TransportKind::Udp, boost::asio::ip::make_address("2001:db8::7"))->index, 2U);
  EXPECT_EQ(set.for_destination(TransportKind::Tcp, boost::asio::ip::make_address("198.51.100.1"))->index, 1U);
  EXPECT_EQ(set.for_destination(TransportKind::Tcp, boost::asio::ip::make_address("2001:db8::7")), nullptr);
}

TEST(ListenerSet, FindsTheListenerARequestArrivedOn) {
  const ListenerSet set = dual_stack();
  EXPECT_EQ(set.at(TransportKind::Udp, addr("192.0.2.2", 5080))->index, 3U);
  EXPECT_EQ(set.at(TransportKind::Tcp, addr("192.0.2.2", 5080)), nullptr);
  EXPECT_EQ(set.first(TransportKind::Tcp)->index, 1U);
}

}  // namespace
}  // namespace voxgate::sip
