#include "api/json_codec.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <boost/json/value.hpp>

namespace voxgate::api {
namespace {

using namespace std::chrono_literals;
using WallTime = Clock::WallTime;

// 2023-11-14T22:13:20Z plus `extra`.
WallTime wall(Clock::Duration extra = {}) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::seconds(1'700'000'000) + extra));
}

WallTime parsed(std::string_view text) {
  auto time = parse_time(text);
  EXPECT_TRUE(time) << text << ": " << time.error().message;
  return time.value_or(WallTime{});
}

TEST(FormatTime, WritesRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(format_time(wall()), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(format_time(wall(123'456'789ns)), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_time(WallTime{}), "1970-01-01T00:00:00.000Z");
}

TEST(FormatTime, ParseOfTheFormattedTextGivesTheTimeToTheMillisecond) {
  for (const std::chrono::nanoseconds extra :
       {0ns, 1ms + 999'999ns, 59s + 999ms + 0ns, 86'399s + 1ns, std::chrono::nanoseconds(24h * 400)}) {
    const WallTime time = wall(extra);
    const auto text = format_time(time);
    EXPECT_EQ(parsed(text), std::chrono::floor<std::chrono::milliseconds>(time)) << text;
    EXPECT_EQ(format_time(parsed(text)), text);
  }
}

TEST(ParseTime, ReadsOffsetsAsTheSameInstantInUtc) {
  EXPECT_EQ(parsed("2023-11-14T22:13:20Z"), wall());
  EXPECT_EQ(parsed("2023-11-15T00:13:20+02:00"), wall());
  EXPECT_EQ(parsed("2023-11-14T17:43:20-04:30"), wall());
  EXPECT_EQ(parsed("2023-11-14T22:13:20+00:00"), wall());
  EXPECT_EQ(parsed("2023-11-14t22:13:20z"), wall());  // RFC 3339 §5.6 NOTE: case-insensitive
}

TEST(ParseTime, ReadsFractionsOfAnyLength) {
  EXPECT_EQ(parsed("2023-11-14T22:13:20.5Z"), wall(500ms));
  EXPECT_EQ(parsed("2023-11-14T22:13:20.123Z"), wall(123ms));
  EXPECT_EQ(parsed("2023-11-14T22:13:20.123456789Z"), wall(123'456'789ns));
  EXPECT_EQ(parsed("2023-11-15T00:13:20.25+02:00"), wall(250ms));
}

TEST(ParseTime, ReadsPlainEpochSeconds) {
  EXPECT_EQ(parsed("1700000000"), wall());
  EXPECT_EQ(parsed("0"), WallTime{});
}

TEST(ParseTime, RejectsWhatIsNotRfc3339OrEpochSeconds) {
  for (const std::string_view bad :
       {"", "garbage", "2023-13-14T22:13:20Z", "2023-00-14T22:13:20Z", "2023-02-30T22:13:20Z", "2023-11-14T24:00:00Z",
        "2023-11-14T22:60:20Z", "2023-11-14T22:13:20", "2023-11-14 22:13:20Z", "2023-11-14T22:13:20.Z",
        "2023-11-14T22:13:20Zjunk", "2023-11-14T22:13:20+0200", "2023-11-14T22:13:20+02", "2023-11-14",
        "2023/11/14T22:13:20Z", "-1700000000", "1700000000.5", "99999999999999999999"}) {
    const auto time = parse_time(bad);
    ASSERT_FALSE(time) << "'" << bad << "' was accepted as " << format_time(*time);
    EXPECT_EQ(time.error().code, Errc::InvalidArgument);
    EXPECT_NE(time.error().message.find(bad), std::string::npos) << time.error().message;
  }
}

TEST(ParseTime, RejectsSignedFields) {
  // from_chars reads a '-' for a signed int: each field must be digits only.
  for (const std::string_view bad :
       {"2023-11-14T-1:13:20Z", "2023-11-14T22:-1:20Z", "2023-11-14T22:13:-1Z", "-023-11-14T22:13:20Z",
        "2023-11-14T22:13:20+-1:00", "2023-11-14T22:13:20+02:-1"}) {
    EXPECT_FALSE(parse_time(bad)) << "'" << bad << "' was accepted";
  }
}

TEST(ParseTime, RejectsOffsetsOutOfRange) {
  EXPECT_FALSE(parse_time("2023-11-14T22:13:20+24:00"));
  EXPECT_FALSE(parse_time("2023-11-14T22:13:20+02:60"));
  EXPECT_TRUE(parse_time("2023-11-14T22:13:20+23:59"));
}

TEST(ParseTime, RejectsTimesBeyondTheWallClocksRangeInsteadOfOverflowing) {
  // system_clock counts nanoseconds in 64 bits: about 1678 to 2261.
  for (const std::string_view bad : {"9999-12-31T23:59:59Z", "2300-01-01T00:00:00Z", "1600-01-01T00:00:00Z",
                                     "0000-01-01T00:00:00Z", "9223372036", "99999999999999"}) {
    const auto time = parse_time(bad);
    EXPECT_FALSE(time) << "'" << bad << "' was accepted as " << format_time(*time);
  }
  EXPECT_TRUE(parse_time("2261-12-31T23:59:59.999Z"));
  EXPECT_TRUE(parse_time("1700-01-01T00:00:00Z"));
  EXPECT_TRUE(parse_time("9223372035"));
}

TEST(FormatTime, RoundsDownBeforeTheEpochAndParsesBackToTheSameMillisecond) {
  const auto t = parse_time("1969-12-31T23:59:59.5Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_time(*t), "1969-12-31T23:59:59.500Z");
  const auto early = Clock::WallTime(std::chrono::microseconds(-1));
  EXPECT_EQ(format_time(early), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(parse_time(format_time(early)), std::chrono::floor<std::chrono::milliseconds>(early));
}

TEST(SnakeCase, SpellsCamelCaseAndKebabCaseNamesInSnakeCase) {
  EXPECT_EQ(snake_case("OnHold"), "on_hold");
  EXPECT_EQ(snake_case("Connected"), "connected");
  EXPECT_EQ(snake_case("HangupLocal"), "hangup_local");
  EXPECT_EQ(snake_case("hangup-remote"), "hangup_remote");
  EXPECT_EQ(snake_case("media-started"), "media_started");
  EXPECT_EQ(snake_case("created"), "created");
  EXPECT_EQ(snake_case(""), "");
}

session::SessionRecord sample_record(session::Direction direction) {
  session::SessionRecord record;
  record.id = session::SessionId(18'446'744'073'709'551'615ULL);  // beyond a JSON double's integers
  record.call_id = "abc@host";
  record.local_tag = "lt";
  record.remote_tag = "rt";
  record.direction = direction;
  record.local = {"sip:gateway@voxgate.example", "Gateway"};
  record.remote = {"sip:alice@example.com", "Alice"};
  record.created = wall();
  record.state = session::SessionState::OnHold;
  record.media_state = session::MediaState::Paused;
  record.last_cause = session::TransitionCause::HoldLocal;
  record.metadata = {{"team", "a"}, {"tier", "gold"}};
  record.version = 7;
  return record;
}

TEST(SessionJson, WritesEveryFieldWithIdsAsStringsAndSnakeCaseStates) {
  const auto json = to_json(sample_record(session::Direction::Inbound));
  EXPECT_EQ(json.at("id"), "18446744073709551615");
  EXPECT_EQ(json.at("call_id"), "abc@host");
  EXPECT_EQ(json.at("direction"), "inbound");
  EXPECT_EQ(json.at("state"), "on_hold");
  EXPECT_EQ(json.at("media_state"), "paused");
  EXPECT_EQ(json.at("last_cause"), "hold_local");
  EXPECT_EQ(json.at("local_tag"), "lt");
  EXPECT_EQ(json.at("remote_tag"), "rt");
  EXPECT_EQ(json.at("local").at("uri"), "sip:gateway@voxgate.example");
  EXPECT_EQ(json.at("local").at("display_name"), "Gateway");
  EXPECT_EQ(json.at("remote").at("uri"), "sip:alice@example.com");
  EXPECT_EQ(json.at("remote").at("display_name"), "Alice");
  EXPECT_EQ(json.at("created"), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(json.at("version"), 7);
  EXPECT_EQ(json.at("metadata"), (boost::json::object{{"team", "a"}, {"tier", "gold"}}));
}

TEST(SessionJson, FromIsTheCallerAndToTheCalleeWhicheverSideWeAre) {
  const auto inbound = to_json(sample_record(session::Direction::Inbound));
  EXPECT_EQ(inbound.at("from"), "sip:alice@example.com");
  EXPECT_EQ(inbound.at("to"), "sip:gateway@voxgate.example");
  const auto outbound = to_json(sample_record(session::Direction::Outbound));
  EXPECT_EQ(outbound.at("direction"), "outbound");
  EXPECT_EQ(outbound.at("from"), "sip:gateway@voxgate.example");
  EXPECT_EQ(outbound.at("to"), "sip:alice@example.com");
}

TEST(SessionJson, WhatHasNotHappenedYetIsNull) {
  auto record = sample_record(session::Direction::Inbound);
  record.last_cause.reset();
  const auto json = to_json(record);
  EXPECT_TRUE(json.at("answered").is_null());
  EXPECT_TRUE(json.at("ended").is_null());
  EXPECT_TRUE(json.at("end").is_null());
  EXPECT_TRUE(json.at("media").is_null());
  EXPECT_FALSE(json.contains("last_cause"));
}

TEST(SessionJson, AnEndedSessionHasItsTimesEndAndMedia) {
  auto record = sample_record(session::Direction::Outbound);
  record.state = session::SessionState::Terminated;
  record.answered = wall(2s);
  record.ended = wall(62s + 5ms);
  record.end_info =
      session::EndInfo{session::EndedBy::Remote, 487, "SIP;cause=487", session::TransitionCause::Cancelled};
  record.media = session::MediaSummary{"PCMU/8000", "192.0.2.10:40000"};
  const auto json = to_json(record);
  EXPECT_EQ(json.at("state"), "terminated");
  EXPECT_EQ(json.at("answered"), "2023-11-14T22:13:22.000Z");
  EXPECT_EQ(json.at("ended"), "2023-11-14T22:14:22.005Z");
  EXPECT_EQ(json.at("end"),
            (boost::json::object{
                {"by", "remote"}, {"sip_status", 487}, {"reason", "SIP;cause=487"}, {"cause", "cancelled"}}));
  EXPECT_EQ(json.at("media"), (boost::json::object{{"codec", "PCMU/8000"}, {"remote_rtp", "192.0.2.10:40000"}}));
}

}  // namespace
}  // namespace voxgate::api
