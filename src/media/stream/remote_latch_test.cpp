#include "media/stream/remote_latch.hpp"

#include <gtest/gtest.h>

namespace voxgate::media {
namespace {

using Endpoint = RemoteLatch::Endpoint;
using std::chrono::milliseconds;

Endpoint ep(const char* address, std::uint16_t port) {
  return {boost::asio::ip::make_address(address), port};
}

const Clock::TimePoint t0{std::chrono::seconds(100)};

TEST(RemoteLatch, SendsToTheSignalledAddressUntilAPacketArrives) {
  RemoteLatch latch(ep("192.0.2.1", 4000), milliseconds(2000));
  EXPECT_EQ(latch.destination(), ep("192.0.2.1", 4000));
  EXPECT_FALSE(latch.latched());
  EXPECT_TRUE(latch.has_destination());
}

TEST(RemoteLatch, LatchesToTheSourceOfTheFirstPacketBehindANat) {
  RemoteLatch latch(ep("10.0.0.5", 4000), milliseconds(2000));
  EXPECT_EQ(latch.on_packet(ep("198.51.100.7", 61000), t0), RemoteLatch::Verdict::Latched);
  EXPECT_EQ(latch.destination(), ep("198.51.100.7", 61000));
  EXPECT_EQ(latch.on_packet(ep("198.51.100.7", 61000), t0 + milliseconds(20)), RemoteLatch::Verdict::FromLatched);
}

TEST(RemoteLatch, RefusesAThirdAddressWhileTheLatchedSourceIsLive) {
  RemoteLatch latch(ep("192.0.2.1", 4000), milliseconds(2000));
  latch.on_packet(ep("192.0.2.1", 4000), t0);
  latch.on_packet(ep("192.0.2.1", 4000), t0 + milliseconds(1000));
  EXPECT_EQ(latch.on_packet(ep("203.0.113.66", 5000), t0 + milliseconds(2500)), RemoteLatch::Verdict::Refused);
  EXPECT_EQ(latch.destination(), ep("192.0.2.1", 4000));
}

TEST(RemoteLatch, RelatchesOnceTheLatchedSourceWasSilentLongEnough) {
  RemoteLatch latch(ep("192.0.2.1", 4000), milliseconds(2000));
  latch.on_packet(ep("192.0.2.1", 4000), t0);
  EXPECT_EQ(latch.on_packet(ep("192.0.2.1", 4002), t0 + milliseconds(2000)), RemoteLatch::Verdict::Relatched);
  EXPECT_EQ(latch.destination(), ep("192.0.2.1", 4002));
  // The old source is now the third address.
  EXPECT_EQ(latch.on_packet(ep("192.0.2.1", 4000), t0 + milliseconds(2010)), RemoteLatch::Verdict::Refused);
}

TEST(RemoteLatch, StartsOverWhenTheSignalledAddressChanges) {
  RemoteLatch latch(ep("192.0.2.1", 4000), milliseconds(2000));
  latch.on_packet(ep("192.0.2.1", 4000), t0);
  latch.reset(ep("192.0.2.9", 6000));
  EXPECT_FALSE(latch.latched());
  EXPECT_EQ(latch.destination(), ep("192.0.2.9", 6000));
  EXPECT_EQ(latch.on_packet(ep("192.0.2.9", 6000), t0 + milliseconds(10)), RemoteLatch::Verdict::Latched);
}

TEST(RemoteLatch, HasNoDestinationForTheHoldAddressOfRfc3264) {
  EXPECT_FALSE(RemoteLatch(ep("0.0.0.0", 4000), milliseconds(2000)).has_destination());
  EXPECT_FALSE(RemoteLatch(ep("192.0.2.1", 0), milliseconds(2000)).has_destination());
}

}  // namespace
}  // namespace voxgate::media
