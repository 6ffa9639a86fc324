#include "api/session_query.hpp"

#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "api/json_codec.hpp"

namespace voxgate::api {
namespace {

using session::SessionState;

session::SessionFilter filter_of(const net::QueryParams& params) {
  auto filter = session_filter_from(params);
  EXPECT_TRUE(filter) << filter.error().message;
  return filter.value_or(session::SessionFilter{});
}

Error error_of(const net::QueryParams& params) {
  auto filter = session_filter_from(params);
  EXPECT_FALSE(filter);
  return filter ? Error{Errc::Internal, "accepted"} : filter.error();
}

TEST(SessionFilterFrom, NoParametersMatchEverythingWithTheDefaultLimit) {
  const auto filter = filter_of({});
  EXPECT_TRUE(filter.states.empty());
  EXPECT_FALSE(filter.direction);
  EXPECT_TRUE(filter.from.empty() && filter.to.empty() && filter.party.empty() && filter.metadata.empty());
  EXPECT_FALSE(filter.created_after || filter.created_before || filter.cursor);
  EXPECT_EQ(filter.limit, session::SessionFilter::kDefaultLimit);
}

TEST(SessionFilterFrom, StateIsACommaSeparatedListOfSnakeCaseNames) {
  const auto filter = filter_of({{"state", "on_hold,connected"}, {"state", "terminating"}});
  EXPECT_TRUE(filter.states.contains(SessionState::OnHold));
  EXPECT_TRUE(filter.states.contains(SessionState::Connected));
  EXPECT_TRUE(filter.states.contains(SessionState::Terminating));
  EXPECT_FALSE(filter.states.contains(SessionState::Ringing));
  EXPECT_FALSE(filter.states.contains(SessionState::Terminated));
}

TEST(SessionFilterFrom, EveryStateIsAcceptedByItsSnakeCaseName) {
  for (std::size_t i = 0; i < session::kSessionStateCount; ++i) {
    const auto state = static_cast<SessionState>(i);
    const std::string name = snake_case(session::to_string(state));
    EXPECT_EQ(parse_session_state(name), state) << name;
    EXPECT_TRUE(filter_of({{"state", name}}).states.contains(state)) << name;
  }
}

TEST(SessionFilterFrom, AStateNotSpelledInSnakeCaseIsRejectedByName) {
  for (const std::string_view bad : {"OnHold", "onhold", "connected,bogus", "on-hold", ","}) {
    const auto error = error_of({{"state", std::string(bad)}});
    EXPECT_EQ(error.code, Errc::InvalidArgument) << bad;
    EXPECT_NE(error.message.find("state"), std::string::npos) << error.message;
  }
  EXPECT_NE(error_of({{"state", "connected,bogus"}}).message.find("'bogus'"), std::string::npos);
  EXPECT_FALSE(parse_session_state("OnHold"));
}

TEST(SessionFilterFrom, DirectionIsInboundOrOutbound) {
  EXPECT_EQ(filter_of({{"direction", "inbound"}}).direction, session::Direction::Inbound);
  EXPECT_EQ(filter_of({{"direction", "outbound"}}).direction, session::Direction::Outbound);
  const auto error = error_of({{"direction", "sideways"}});
  EXPECT_EQ(error.code, Errc::InvalidArgument);
  EXPECT_NE(error.message.find("sideways"), std::string::npos);
}

TEST(SessionFilterFrom, FromToAndPartyAreTakenAsGiven) {
  const auto filter = filter_of({{"from", "alice@"}, {"to", "sip:gw"}, {"party", "example.com"}});
  EXPECT_EQ(filter.from, "alice@");
  EXPECT_EQ(filter.to, "sip:gw");
  EXPECT_EQ(filter.party, "example.com");
}

TEST(SessionFilterFrom, EveryMetaParameterIsOneMoreCriterion) {
  const auto filter = filter_of({{"meta.team", "a"}, {"meta.tier", "gold"}, {"meta.team", "b"}});
  const std::vector<std::pair<std::string, std::string>> expected{{"team", "a"}, {"tier", "gold"}, {"team", "b"}};
  EXPECT_EQ(filter.metadata, expected);
  EXPECT_EQ(filter_of({{"meta.a.b", ""}}).metadata.front(), (std::pair<std::string, std::string>{"a.b", ""}));
  EXPECT_EQ(error_of({{"meta.", "x"}}).code, Errc::InvalidArgument);
}

TEST(SessionFilterFrom, CreatedAfterAndBeforeTakeRfc3339OrEpochSeconds) {
  const auto filter = filter_of({{"created_after", "2023-11-14T22:13:20Z"}, {"created_before", "1700000060"}});
  ASSERT_TRUE(filter.created_after && filter.created_before);
  EXPECT_EQ(*filter.created_after, Clock::WallTime(std::chrono::seconds(1'700'000'000)));
  EXPECT_EQ(*filter.created_before, Clock::WallTime(std::chrono::seconds(1'700'000'060)));
  const auto error = error_of({{"created_before", "yesterday"}});
  EXPECT_EQ(error.code, Errc::InvalidArgument);
  EXPECT_NE(error.message.find("created_before"), std::string::npos) << error.message;
}

TEST(SessionFilterFrom, LimitAndCursorPage) {
  const auto filter = filter_of({{"limit", "2"}, {"cursor", "17"}});
  EXPECT_EQ(filter.limit, 2U);
  EXPECT_EQ(filter.cursor, session::SessionId(17));
  EXPECT_EQ(filter_of({{"limit", "1000"}}).limit, 1000U);
}

TEST(SessionFilterFrom, LimitOutside1To1000OrNotANumberIsRejected) {
  for (const std::string_view bad : {"0", "1001", "-1", "ten", "", "5x"}) {
    EXPECT_EQ(error_of({{"limit", std::string(bad)}}).code, Errc::InvalidArgument) << "'" << bad << "'";
  }
  EXPECT_EQ(error_of({{"cursor", "x"}}).code, Errc::InvalidArgument);
}

TEST(SessionFilterFrom, AnUnknownParameterIsRejectedByName) {
  const auto error = error_of({{"state", "connected"}, {"stat", "ringing"}});
  EXPECT_EQ(error.code, Errc::InvalidArgument);
  EXPECT_NE(error.message.find("'stat'"), std::string::npos) << error.message;
}

TEST(SessionFilterFrom, ParametersTheEndpointReadsItselfAreSkipped) {
  static constexpr std::string_view kOwn[] = {"cursor"};
  const auto filter = session_filter_from({{"cursor", "not-a-session-id"}, {"direction", "inbound"}}, kOwn);
  ASSERT_TRUE(filter) << filter.error().message;
  EXPECT_FALSE(filter->cursor);
  EXPECT_EQ(filter->direction, session::Direction::Inbound);
}

TEST(ParseSessionId, TakesPositiveDecimalNumbersOnly) {
  EXPECT_EQ(parse_session_id("1"), session::SessionId(1));
  EXPECT_EQ(parse_session_id("18446744073709551615"), session::SessionId(18'446'744'073'709'551'615ULL));
  for (const std::string_view bad : {"0", "", "abc", "-1", "+1", "1.5", " 1", "1 ", "0x10", "18446744073709551616"}) {
    const auto id = parse_session_id(bad);
    ASSERT_FALSE(id) << "'" << bad << "'";
    EXPECT_EQ(id.error().code, Errc::InvalidArgument);
  }
}

}  // namespace
}  // namespace voxgate::api
