#include "base/result.hpp"

#include <gtest/gtest.h>

namespace voxgate {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(Errc::InvalidArgument, "{} is not positive", v);
  return v;
}

TEST(Result, CarriesValueOnSuccess) {
  auto r = parse_positive(3);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 3);
}

TEST(Result, CarriesCodeAndFormattedMessageOnFailure) {
  auto r = parse_positive(-2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::InvalidArgument);
  EXPECT_EQ(r.error().message, "-2 is not positive");
  EXPECT_EQ(fmt::format("{}", r.error()), "invalid argument: -2 is not positive");
}

TEST(Result, EveryErrcHasAName) {
  for (auto code : {Errc::InvalidArgument, Errc::NotFound, Errc::InvalidState, Errc::LimitExceeded, Errc::Unsupported,
                    Errc::Timeout, Errc::Io, Errc::Internal}) {
    EXPECT_NE(to_string(code), "unknown error");
  }
}

}  // namespace
}  // namespace voxgate
