#include "sip/message/session_timer_headers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

SessionExpires se_ok(std::string_view text) {
  auto parsed = parse_session_expires(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : SessionExpires{};
}

TEST(SessionExpires, ParsesIntervalWithoutRefresher) {
  const SessionExpires se = se_ok("1800");
  EXPECT_EQ(se.interval, 1800u);
  EXPECT_FALSE(se.refresher.has_value());
  EXPECT_TRUE(se.params.empty());
}

TEST(SessionExpires, ParsesRefresherUacAndUasCaseInsensitively) {
  // RFC 4028 §4: refresher-param = "refresher" EQUAL ("uas" / "uac").
  EXPECT_EQ(se_ok("4000;refresher=uac").refresher, Refresher::Uac);
  EXPECT_EQ(se_ok("4000;refresher=uas").refresher, Refresher::Uas);
  EXPECT_EQ(se_ok("4000 ; Refresher = UAS").refresher, Refresher::Uas);
  EXPECT_EQ(se_ok("4000;refresher=uac").interval, 4000u);
}

TEST(SessionExpires, RejectsInvalidRefresher) {
  for (std::string_view text : {"4000;refresher=proxy", "4000;refresher", "4000;refresher=", "4000;refresher=\"\""}) {
    auto parsed = parse_session_expires(text);
    EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
  }
}

TEST(SessionExpires, KeepsExtensionParameters) {
  const SessionExpires se = se_ok("90;x-foo=bar;refresher=uac;flag");
  EXPECT_EQ(se.interval, 90u);
  EXPECT_EQ(se.params.get("x-foo"), "bar");
  EXPECT_TRUE(se.params.has("flag"));
  EXPECT_EQ(se.refresher, Refresher::Uac);
}

TEST(SessionExpires, AcceptsDeltaSecondsRangeAndRejectsOverflow) {
  EXPECT_EQ(se_ok("0").interval, 0u);
  EXPECT_EQ(se_ok("4294967295").interval, 4294967295u);
  EXPECT_FALSE(parse_session_expires("4294967296").has_value());
}

TEST(SessionExpires, RejectsMalformedValues) {
  for (std::string_view text : {"", "abc", "-1", "1800 extra", "1800;", "1800,3600", "18 00"}) {
    EXPECT_FALSE(parse_session_expires(text).has_value()) << "accepted: " << text;
  }
}

TEST(MinSE, ParsesIntervalAndParameters) {
  auto parsed = parse_min_se(" 90 ;x=y ");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().reason;
  EXPECT_EQ(parsed->interval, 90u);
  EXPECT_EQ(parsed->params.get("x"), "y");
}

TEST(MinSE, RejectsMalformedValuesAndOverflow) {
  for (std::string_view text : {"", "ninety", "90 x", "4294967296", "90;"}) {
    EXPECT_FALSE(parse_min_se(text).has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
