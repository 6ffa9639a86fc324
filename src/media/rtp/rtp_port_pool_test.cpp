#include "media/rtp/rtp_port_pool.hpp"

#include <optional>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

namespace voxgate::media {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;

// A free even port with its odd neighbour: bind port 0 until the kernel hands
// out an even port whose successor is free too.
std::uint16_t free_even_base(boost::asio::io_context& io, std::uint16_t span) {
  for (int i = 0; i < 200; ++i) {
    udp::socket probe(io, udp::endpoint(make_address("127.0.0.1"), 0));
    const auto port = probe.local_endpoint().port();
    if (port % 2 == 0 && port + span < 65535) return port;
  }
  return 40000;
}

TEST(RtpPortPool, ReservesEvenRtpPortAndTheNextOddForRtcpBoundToThem) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 20);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 19);
  auto reservation = pool.reserve();
  ASSERT_TRUE(reservation) << reservation.error().message;
  EXPECT_EQ(reservation->rtp_port() % 2, 0);
  EXPECT_EQ(reservation->rtcp_port(), reservation->rtp_port() + 1);
  EXPECT_GE(reservation->rtp_port(), base);
  EXPECT_LE(reservation->rtcp_port(), base + 19);
  // The descriptors really are bound to the ports reported.
  udp::socket rtp(io);
  rtp.assign(udp::v4(), reservation->rtp_socket().release());
  EXPECT_EQ(rtp.local_endpoint().port(), reservation->rtp_port());
  udp::socket rtcp(io);
  rtcp.assign(udp::v4(), reservation->rtcp_socket().release());
  EXPECT_EQ(rtcp.local_endpoint().port(), reservation->rtcp_port());
}

TEST(RtpPortPool, ReservedPortsAreReallyBoundUntilReleased) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 2);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 1);
  std::uint16_t port = 0;
  {
    auto reservation = pool.reserve();
    ASSERT_TRUE(reservation) << reservation.error().message;
    port = reservation->rtp_port();
    udp::socket other(io, udp::v4());
    boost::system::error_code ec;
    other.bind(udp::endpoint(make_address("127.0.0.1"), port), ec);
    EXPECT_TRUE(ec) << "a reserved port must not be bindable by anyone else";
    EXPECT_FALSE(pool.reserve()) << "the only pair is taken";
  }
  auto again = pool.reserve();
  ASSERT_TRUE(again) << "released on destruction";
  EXPECT_EQ(again->rtp_port(), port);
}

TEST(RtpPortPool, ExhaustedRangeIsLimitExceededAndDistinctPairsAreHandedOut) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 8);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 7);
  EXPECT_EQ(pool.pair_count(), 4U);
  std::vector<RtpPortReservation> held;
  std::set<std::uint16_t> ports;
  for (int i = 0; i < 4; ++i) {
    auto r = pool.reserve();
    if (!r) break;  // another process on the shared loopback took one: fewer pairs
    ports.insert(r->rtp_port());
    held.push_back(std::move(*r));
  }
  EXPECT_EQ(ports.size(), held.size());
  auto none = pool.reserve();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::LimitExceeded);
}

TEST(RtpPortPool, RangeWithoutAPairIsRejectedAtConstruction) {
  EXPECT_THROW(RtpPortPool(make_address("127.0.0.1"), 20001, 20001), std::invalid_argument);
  EXPECT_THROW(RtpPortPool(make_address("127.0.0.1"), 20002, 20002), std::invalid_argument);
}

TEST(RtpPortPool, WorksOnIpv6Loopback) {
  boost::asio::io_context io;
  boost::system::error_code ec;
  udp::socket probe(io);
  probe.open(udp::v6(), ec);
  if (!ec) probe.bind(udp::endpoint(make_address("::1"), 0), ec);
  if (ec) GTEST_SKIP() << "no IPv6 loopback here";
  const std::uint16_t base = static_cast<std::uint16_t>(probe.local_endpoint().port() & ~1U);
  probe.close();
  RtpPortPool pool(make_address("::1"), base, base + 9);
  auto r = pool.reserve();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->address().is_v6());
}

}  // namespace
}  // namespace voxgate::media
