#include "sip/transport/connection_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace voxgate::sip {
namespace {

TEST(ConnectionId, CarriesTheOwningLoopInItsHighBits) {
  EXPECT_EQ(owning_loop(make_connection_id(0, 1)), 0U);
  EXPECT_EQ(owning_loop(make_connection_id(5, 123456)), 5U);
  EXPECT_EQ(owning_loop(make_connection_id(kMaxConnectionLoops - 1, kConnectionSerialMask)), kMaxConnectionLoops - 1);
}

TEST(ConnectionId, AllocatesDistinctNonZeroIdsOfItsLoop) {
  ConnectionIdAllocator ids(3);
  std::set<ConnectionId> seen;
  for (int i = 0; i < 100; ++i) {
    const ConnectionId id = ids.next();
    EXPECT_NE(id, ConnectionId{});
    EXPECT_EQ(owning_loop(id), 3U);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100U);
}

TEST(ConnectionId, LoopZeroNeverYieldsTheNullId) {
  ConnectionIdAllocator ids(0);
  EXPECT_NE(ids.next(), ConnectionId{});
}

}  // namespace
}  // namespace voxgate::sip
