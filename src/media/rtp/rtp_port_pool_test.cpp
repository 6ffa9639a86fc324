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

// Whether anyone else could bind `port` right now.
bool bindable(boost::asio::io_context& io, std::uint16_t port) {
  udp::socket other(io, udp::v4());
  boost::system::error_code ec;
  other.bind(udp::endpoint(make_address("127.0.0.1"), port), ec);
  return !ec;
}

TEST(RtpPortPool, ReservedPortsAreNotBindableByAnyoneElse) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 2);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 1);
  auto reservation = pool.reserve();
  ASSERT_TRUE(reservation) << reservation.error().message;
  EXPECT_FALSE(bindable(io, reservation->rtp_port()));
  EXPECT_FALSE(bindable(io, reservation->rtcp_port()));
  EXPECT_FALSE(pool.reserve()) << "the only pair is taken";
}

TEST(RtpPortPool, AReleasedPairStaysBoundAndComesBackWhenNothingElseIsFree) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 2);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 1);
  std::uint16_t port = 0;
  {
    auto reservation = pool.reserve();
    ASSERT_TRUE(reservation) << reservation.error().message;
    port = reservation->rtp_port();
  }
  EXPECT_EQ(pool.idle_count(), 1U);
  EXPECT_FALSE(bindable(io, port)) << "idle pairs stay ours";
  auto again = pool.reserve();
  ASSERT_TRUE(again) << "the idle pair is handed out rather than refusing";
  EXPECT_EQ(again->rtp_port(), port);
  EXPECT_EQ(pool.idle_count(), 0U);
}

TEST(RtpPortPool, AReleasedPairIsHandedOutAgainOnlyAfterReuseAfterOtherReleases) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 40);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 39, RtpPortPoolSettings{.reuse_after = 3, .max_idle = 8});
  std::optional<std::uint16_t> first_released;
  std::set<std::uint16_t> handed_out_before_reuse;
  for (int i = 0; i < 4; ++i) {
    auto r = pool.reserve();
    ASSERT_TRUE(r) << r.error().message;
    if (!first_released) first_released = r->rtp_port();
    handed_out_before_reuse.insert(r->rtp_port());
  }  // each released at once: idle grows 1, 2, 3, 4
  EXPECT_EQ(handed_out_before_reuse.size(), 4U) << "fresh pairs while at most reuse_after are idle";
  auto reused = pool.reserve();
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->rtp_port(), *first_released) << "the oldest idle pair, first in first out";
}

TEST(RtpPortPool, IdlePairsBeyondMaxIdleAreClosed) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 8);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 7, RtpPortPoolSettings{.reuse_after = 4, .max_idle = 1});
  std::vector<RtpPortReservation> held;
  for (int i = 0; i < 2; ++i) {
    auto r = pool.reserve();
    ASSERT_TRUE(r) << r.error().message;
    held.push_back(std::move(*r));
  }
  const std::uint16_t kept = held[0].rtp_port();
  const std::uint16_t closed = held[1].rtp_port();
  held.clear();
  EXPECT_EQ(pool.idle_count(), 1U);
  EXPECT_FALSE(bindable(io, kept));
  EXPECT_TRUE(bindable(io, closed));
}

TEST(RtpPortPool, DescriptorsTheMediaEngineAdoptedAreNotTakenBack) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 4);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 3);
  udp::socket adopted(io);
  std::uint16_t port = 0;
  {
    auto r = pool.reserve();
    ASSERT_TRUE(r);
    port = r->rtp_port();
    adopted.assign(udp::v4(), r->rtp_socket().release());
  }
  EXPECT_EQ(pool.idle_count(), 0U);
  adopted.close();
  EXPECT_TRUE(bindable(io, port)) << "the pool closed the RTCP half and forgot the pair";
}

TEST(RtpPortPool, UnderRtcpMuxTheOddPortIsFreedAndBoundAgainOnRequest) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 2);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 1);
  auto r = pool.reserve();
  ASSERT_TRUE(r) << r.error().message;
  r->close_rtcp();
  EXPECT_FALSE(r->rtcp_socket());
  EXPECT_TRUE(bindable(io, r->rtcp_port())) << "one descriptor per call under RFC 5761";
  EXPECT_FALSE(bindable(io, r->rtp_port()));
  ASSERT_TRUE(r->rebind_rtcp());
  EXPECT_FALSE(bindable(io, r->rtcp_port()));
  EXPECT_TRUE(r->rebind_rtcp()) << "already bound: nothing to do";
}

TEST(RtpPortPool, RebindingAnRtcpPortSomeoneElseTookFailsWithIo) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 2);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 1);
  auto r = pool.reserve();
  ASSERT_TRUE(r);
  r->close_rtcp();
  udp::socket thief(io, udp::endpoint(make_address("127.0.0.1"), r->rtcp_port()));
  auto rebound = r->rebind_rtcp();
  ASSERT_FALSE(rebound);
  EXPECT_EQ(rebound.error().code, Errc::Io);
}

// Reserves a pair, closes its RTCP socket as a stream under rtcp-mux does,
// and gives it back; returns its RTP port (0 when nothing could be reserved).
std::uint16_t release_under_rtcp_mux(RtpPortPool& pool) {
  auto r = pool.reserve();
  if (!r) return 0;
  r->close_rtcp();
  return r->rtp_port();
}

TEST(RtpPortPool, APairGivenBackWithoutItsRtcpSocketIsReusedWithItBoundAgain) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 2);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 1);
  const std::uint16_t port = release_under_rtcp_mux(pool);
  ASSERT_NE(port, 0);
  EXPECT_EQ(pool.idle_count(), 1U) << "the RTP socket alone is worth keeping";
  EXPECT_FALSE(bindable(io, port));
  auto again = pool.reserve();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->rtp_port(), port);
  EXPECT_TRUE(again->rtcp_socket());
  EXPECT_FALSE(bindable(io, again->rtcp_port()));
}

TEST(RtpPortPool, AnIdlePairWhoseRtcpPortWasTakenIsPassedOver) {
  boost::asio::io_context io;
  const auto base = free_even_base(io, 2);
  RtpPortPool pool(make_address("127.0.0.1"), base, base + 1);
  const std::uint16_t port = release_under_rtcp_mux(pool);
  ASSERT_NE(port, 0);
  udp::socket thief(io, udp::endpoint(make_address("127.0.0.1"), static_cast<std::uint16_t>(port + 1)));
  auto refused = pool.reserve();
  ASSERT_FALSE(refused) << "the only pair lost its RTCP port";
  EXPECT_EQ(refused.error().code, Errc::LimitExceeded);
  EXPECT_EQ(pool.idle_count(), 0U);
  EXPECT_TRUE(bindable(io, port)) << "its RTP socket was closed, not leaked";
  thief.close();
  EXPECT_TRUE(pool.reserve()) << "the pair is bound afresh once its port is free";
}

TEST(RtpPortPool, SplitCutsTheRangeIntoDisjointSlicesOfWholePairs) {
  const auto slices = RtpPortPool::split(10001, 10020, 3);  // pairs 10002..10019: 9
  ASSERT_EQ(slices.size(), 3U);
  EXPECT_EQ(slices[0], (std::pair<std::uint16_t, std::uint16_t>{10002, 10007}));
  EXPECT_EQ(slices[1], (std::pair<std::uint16_t, std::uint16_t>{10008, 10013}));
  EXPECT_EQ(slices[2], (std::pair<std::uint16_t, std::uint16_t>{10014, 10019}));
  const auto uneven = RtpPortPool::split(20000, 20009, 2);  // 5 pairs
  EXPECT_EQ(uneven[0], (std::pair<std::uint16_t, std::uint16_t>{20000, 20005}));
  EXPECT_EQ(uneven[1], (std::pair<std::uint16_t, std::uint16_t>{20006, 20009}));
  EXPECT_THROW(RtpPortPool::split(20000, 20003, 3), std::invalid_argument);
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
