#include "base/strong_id.hpp"

#include <string>
#include <type_traits>
#include <unordered_set>

#include <gtest/gtest.h>

namespace voxgate {
namespace {

using SessionId = StrongId<struct SessionIdTag>;
using OtherId = StrongId<struct OtherIdTag>;
using NamedId = StrongId<struct NamedIdTag, std::string>;

static_assert(!std::is_convertible_v<std::uint64_t, SessionId>, "no implicit construction");
static_assert(!std::is_convertible_v<SessionId, OtherId>, "kinds do not mix");
static_assert(!std::is_convertible_v<SessionId, std::uint64_t>, "no implicit unwrap");

TEST(StrongId, ComparesAndOrdersByValue) {
  EXPECT_EQ(SessionId{7}, SessionId{7});
  EXPECT_NE(SessionId{7}, SessionId{8});
  EXPECT_LT(SessionId{7}, SessionId{8});
}

TEST(StrongId, HashesForUnorderedContainers) {
  std::unordered_set<NamedId> ids{NamedId{"a"}, NamedId{"b"}, NamedId{"a"}};
  EXPECT_EQ(ids.size(), 2U);
}

TEST(StrongId, FormatsAsItsValue) {
  EXPECT_EQ(fmt::format("{}", SessionId{42}), "42");
  EXPECT_EQ(fmt::format("{}", NamedId{"abc"}), "abc");
}

}  // namespace
}  // namespace voxgate
