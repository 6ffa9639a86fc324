#include "net/http/router.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "net/http/query_params.hpp"

namespace voxgate::net {
namespace {

TEST(Router, CapturesNamedSegments) {
  Router router;
  router.add(http::verb::get, "/v1/sessions");
  EXPECT_EQ(router.add(http::verb::post, "/v1/sessions/{id}/{action}"), 1U);
  const auto lookup = router.find(http::verb::post, "/v1/sessions/42/hold");
  ASSERT_EQ(lookup.outcome, Router::Outcome::Found);
  EXPECT_EQ(lookup.params.at("id"), "42");
  EXPECT_EQ(lookup.params.at("action"), "hold");
  EXPECT_EQ(lookup.pattern, "/v1/sessions/{id}/{action}");
  EXPECT_EQ(lookup.index, 1U);
}

TEST(Router, LiteralSegmentsWinOverCaptures) {
  Router router;
  router.add(http::verb::get, "/v1/sessions/{id}");
  router.add(http::verb::get, "/v1/sessions/stats");
  EXPECT_EQ(router.find(http::verb::get, "/v1/sessions/stats").pattern, "/v1/sessions/stats");
  EXPECT_EQ(router.find(http::verb::get, "/v1/sessions/7").pattern, "/v1/sessions/{id}");
}

TEST(Router, OtherMethodIs405WithAllow) {
  Router router;
  router.add(http::verb::get, "/v1/sessions/{id}");
  router.add(http::verb::delete_, "/v1/sessions/{id}");
  const auto lookup = router.find(http::verb::put, "/v1/sessions/1");
  EXPECT_EQ(lookup.outcome, Router::Outcome::MethodNotAllowed);
  EXPECT_EQ(lookup.allow, "GET, DELETE");
}

TEST(Router, UnknownPathIs404) {
  Router router;
  router.add(http::verb::get, "/v1/sessions");
  EXPECT_EQ(router.find(http::verb::get, "/v1/nothing").outcome, Router::Outcome::NotFound);
  EXPECT_EQ(router.find(http::verb::get, "/v1/sessions/1/2").outcome, Router::Outcome::NotFound);
}

TEST(Router, DuplicateRouteIsABug) {
  Router router;
  router.add(http::verb::get, "/v1/sessions");
  EXPECT_THROW(router.add(http::verb::get, "/v1/sessions"), std::logic_error);
  EXPECT_THROW(router.add(http::verb::get, "v1"), std::logic_error);
}

TEST(QueryParams, DecodesEscapesAndPlusInOrder) {
  auto params = parse_query("state=connected&meta.team=a%20b&from=sip%3Aalice+x&flag");
  ASSERT_TRUE(params);
  ASSERT_EQ(params->size(), 4U);
  EXPECT_EQ((*params)[1], (std::pair<std::string, std::string>{"meta.team", "a b"}));
  EXPECT_EQ((*params)[2].second, "sip:alice x");
  EXPECT_EQ((*params)[3].first, "flag");
  EXPECT_EQ((*params)[3].second, "");
}

TEST(QueryParams, BadEscapeIsInvalidArgument) {
  EXPECT_EQ(parse_query("a=%4").error().code, Errc::InvalidArgument);
  EXPECT_EQ(parse_query("a=%zz").error().code, Errc::InvalidArgument);
}

}  // namespace
}  // namespace voxgate::net
