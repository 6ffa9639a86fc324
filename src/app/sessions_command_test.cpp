#include "app/sessions_command.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "api/json_codec.hpp"

namespace voxgate::app {
namespace {

using namespace std::chrono_literals;

TEST(SessionsQuery, MapsTheFiltersToTheApisParametersEscaped) {
  SessionsOptions options;
  EXPECT_EQ(sessions_query(options).value(), "");
  options.states = {"connected,ringing", "on_hold"};
  options.direction = "outbound";
  options.from = "sip:alice@";
  options.meta = {"run=a b", "team=x=y"};
  options.limit = 5;
  EXPECT_EQ(sessions_query(options).value(),
            "?state=connected%2Cringing%2Con_hold&direction=outbound&from=sip%3Aalice%40&meta.run=a%20b&"
            "meta.team=x%3Dy&limit=5");
}

TEST(SessionsQuery, AMetaWithoutKeyOrEqualsIsAUsageError) {
  SessionsOptions options;
  options.meta = {"novalue"};
  EXPECT_FALSE(sessions_query(options));
  options.meta = {"=x"};
  EXPECT_FALSE(sessions_query(options));
  options.meta = {"k="};  // an empty value is a value
  EXPECT_EQ(sessions_query(options).value(), "?meta.k=");
}

TEST(FormatAge, ReadsAtAGlance) {
  EXPECT_EQ(format_age(-5s), "0s");
  EXPECT_EQ(format_age(45s), "45s");
  EXPECT_EQ(format_age(192s), "3m12s");
  EXPECT_EQ(format_age(2h + 5min + 9s), "2h05m");
  EXPECT_EQ(format_age(76h), "3d04h");
}

TEST(SessionTable, ShowsAgeOfLiveSessionsAndTalkTimeOfEndedOnes) {
  const auto now = api::parse_time("2026-11-22T10:05:17Z").value();
  const auto sessions = boost::json::parse(R"([
    {"id": "7", "state": "connected", "direction": "outbound", "from": "sip:voxgate@127.0.0.1",
     "to": "sip:service@127.0.0.1:5070", "created": "2026-11-22T10:04:05.123Z", "answered": "2026-11-22T10:04:06.000Z",
     "ended": null, "metadata": {"run": "x", "team": "support"}},
    {"id": "12", "state": "terminated", "direction": "inbound", "from": "sip:alice-with-a-very-long-name@example.com",
     "to": "sip:bob@127.0.0.1", "created": "2026-11-22T10:00:00.000Z", "answered": "2026-11-22T10:00:02.000Z",
     "ended": "2026-11-22T10:01:32.000Z", "metadata": {}},
    {"id": "13", "state": "terminated", "direction": "inbound", "from": "sip:c@x", "to": "sip:d@x",
     "created": "2026-11-22T10:00:00.000Z", "answered": null, "ended": "2026-11-22T10:00:09.000Z", "metadata": {}}
  ])")
                            .as_array();
  std::ostringstream out;
  print_session_table(sessions, now, out);
  EXPECT_EQ(out.str(),
            "ID  STATE       DIRECTION  FROM                              TO                          "
            "CREATED              AGE/DURATION  METADATA\n"
            "7   connected   outbound   sip:voxgate@127.0.0.1             sip:service@127.0.0.1:5070  "
            "2026-11-22 10:04:05  1m11s         run=x,team=support\n"  // 71.877 s, whole seconds
            "12  terminated  inbound    sip:alice-with-a-very-long-na...  sip:bob@127.0.0.1           "
            "2026-11-22 10:00:00  1m30s\n"  // answered to ended
            "13  terminated  inbound    sip:c@x                           sip:d@x                     "
            "2026-11-22 10:00:00  -\n");  // never answered
}

TEST(SessionTable, SaysSoWhenThereAreNone) {
  std::ostringstream out;
  print_session_table(boost::json::array{}, {}, out);
  EXPECT_EQ(out.str(), "no sessions\n");
}

}  // namespace
}  // namespace voxgate::app
