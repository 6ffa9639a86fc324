#include "app/routing_config.hpp"

#include <string>

#include <gtest/gtest.h>

#include "app/config.hpp"

namespace voxgate::app {
namespace {

using namespace std::chrono_literals;

// The error of a configuration that must not load.
std::string error_of(std::string_view toml) {
  auto config = parse_config(toml);
  if (config) return "<loaded>";
  return config.error().message;
}

TEST(RoutingConfig, NoRoutesIsAnEmptyList) {
  auto config = parse_config("");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->routes.empty());
}

TEST(RoutingConfig, ReadsEveryActionInOrder) {
  auto config = parse_config(R"(
[media]
record_dir = "/tmp"

[[routes]]
name = "echo"
match = { user = "echo", host = "*.example.com", from = "sip:*@example.com*", source = "127.0.0.0/8", headers = { "X-Tenant" = "acme*" } }
action = "app"
app = "echo"
metadata = { team = "support", tier = "gold" }
events_url = "http://127.0.0.1:9000/events"
events_secret = "s3cret"

[[routes]]
name = "tone"
match = { user = "tone", source = ["10.0.0.0/8", "2001:db8::/32"] }
action = "app"
app = "tone"
tone_hz = 600

[[routes]]
name = "busy"
match = { user = "busy" }
action = "reject"
status = 486
reason = "Busy Here"

[[routes]]
name = "ring"
action = "ring"
ring_ms = 2000
app = "record"

[[routes]]
name = "forever"
action = "ring"
answer = false
max_ring_ms = 5000

[[routes]]
name = "hold"
action = "hold"

[[routes]]
name = "park"
action = "park"

[[routes]]
name = "hook"
action = "webhook"
decision_url = "http://127.0.0.1:9000/decide"
decision_timeout_ms = 1500
max_ring_ms = 30000
fallback = { action = "app", app = "silence" }
)");
  ASSERT_TRUE(config) << config.error().message;
  const auto& routes = config->routes;
  ASSERT_EQ(routes.size(), 8U);

  EXPECT_EQ(routes[0].name, "echo");
  EXPECT_EQ(routes[0].match.user, "echo");
  EXPECT_EQ(routes[0].match.host, "*.example.com");
  EXPECT_EQ(routes[0].match.from, "sip:*@example.com*");
  ASSERT_EQ(routes[0].match.sources.size(), 1U);
  EXPECT_EQ(routes[0].match.sources[0].text, "127.0.0.0/8");
  EXPECT_EQ(routes[0].match.headers, (std::vector<HeaderCondition>{{"X-Tenant", "acme*"}}));
  EXPECT_EQ(routes[0].action.kind, RouteActionKind::App);
  EXPECT_EQ(routes[0].action.app.kind, MediaAppKind::Echo);
  EXPECT_EQ(routes[0].metadata, (session::Metadata{{"team", "support"}, {"tier", "gold"}}));
  EXPECT_EQ(routes[0].events_url, "http://127.0.0.1:9000/events");
  EXPECT_EQ(routes[0].events_secret, "s3cret");

  EXPECT_EQ(routes[1].match.sources.size(), 2U);
  EXPECT_FALSE(routes[1].match.user == std::nullopt);
  EXPECT_EQ(routes[1].match.host, std::nullopt);
  EXPECT_EQ(routes[1].action.app.tone_hz, 600.0);

  EXPECT_EQ(routes[2].action.kind, RouteActionKind::Reject);
  EXPECT_EQ(routes[2].action.status, 486);
  EXPECT_EQ(routes[2].action.reason, "Busy Here");

  EXPECT_EQ(routes[3].action.kind, RouteActionKind::Ring);
  EXPECT_TRUE(routes[3].action.answer);
  EXPECT_EQ(routes[3].action.ring, 2000ms);
  EXPECT_EQ(routes[3].action.app.kind, MediaAppKind::Record);

  EXPECT_FALSE(routes[4].action.answer);
  EXPECT_EQ(routes[4].max_ring, 5000ms);

  EXPECT_EQ(routes[5].action.kind, RouteActionKind::Hold);
  EXPECT_EQ(routes[6].action.kind, RouteActionKind::Park);
  EXPECT_EQ(routes[6].max_ring, 60000ms);

  EXPECT_EQ(routes[7].action.kind, RouteActionKind::Webhook);
  EXPECT_EQ(routes[7].decision.url, "http://127.0.0.1:9000/decide");
  EXPECT_EQ(routes[7].decision.timeout, 1500ms);
  EXPECT_EQ(routes[7].max_ring, 30000ms);
  EXPECT_EQ(routes[7].decision.fallback.kind, RouteActionKind::App);
  EXPECT_EQ(routes[7].decision.fallback.app.kind, MediaAppKind::Silence);

  EXPECT_EQ(find_route(routes, "park"), &routes[6]);
  EXPECT_EQ(find_route(routes, "nope"), nullptr);
}

TEST(RoutingConfig, AWebhookFallsBackTo503ByDefault) {
  auto config = parse_config(R"(
[[routes]]
name = "hook"
action = "webhook"
decision_url = "http://127.0.0.1:9000/decide"
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->routes[0].decision.fallback, RouteAction::reject(503));
  EXPECT_EQ(config->routes[0].decision.timeout, 2000ms);
}

TEST(RoutingConfig, UnknownKeysAreNamedWhereverTheyAre) {
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\ncolour = 1\n"), "routes[0].colour: unknown setting");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nmatch = { usr = \"x\" }\n"),
            "routes[0].match.usr: unknown setting");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"webhook\"\ndecision_url = \"http://h/\"\n"
                     "fallback = { action = \"hold\", colour = 1 }\n"),
            "routes[0].fallback.colour: unknown setting");
  EXPECT_EQ(
      error_of("[[routes]]\nname = \"a\"\naction = \"app\"\n[[routes]]\nname = \"b\"\naction = \"park\"\nx = 1\n"),
      "routes[1].x: unknown setting");
}

TEST(RoutingConfig, AKeyOfAnotherActionIsNamedWithTheAction) {
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nstatus = 486\n"),
            "routes[0].status: not a setting of action \"app\"");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"ring\"\nanswer = false\nring_ms = 100\n"),
            "routes[0].ring_ms: not a setting of action \"ring\" with answer = false");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"reject\"\nstatus = 486\ndecision_url = \"http://h/\"\n"),
            "routes[0].decision_url: not a setting of action \"reject\"");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nmax_ring_ms = 1000\n"),
            "routes[0].max_ring_ms: not a setting of action \"app\"");
  // The route's max_ring_ms bounds the whole call, fallback included.
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"webhook\"\ndecision_url = \"http://h/\"\n"
                     "fallback = { action = \"park\", max_ring_ms = 1000 }\n"),
            "routes[0].fallback.max_ring_ms: not a setting of action \"park\" in a fallback");
}

TEST(RoutingConfig, RequiredKeysAreNamed) {
  EXPECT_EQ(error_of("[[routes]]\naction = \"app\"\n"), "routes[0].name: required (a unique, non-empty name)");
  EXPECT_EQ(error_of("[[routes]]\nname = \"\"\naction = \"app\"\n"),
            "routes[0].name: required (a unique, non-empty name)");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\n"),
            "routes[0].action: required (app, reject, ring, hold, park, webhook)");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"reject\"\n"), "routes[0].status: required (400-699)");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"ring\"\n"),
            "routes[0].ring_ms: required (1-3600000) unless answer = false");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"webhook\"\n"),
            "routes[0].decision_url: required for action \"webhook\"");
}

TEST(RoutingConfig, DuplicateNamesAreRefused) {
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\n[[routes]]\nname = \"a\"\naction = \"hold\"\n"),
            "routes[1].name: \"a\" names an earlier route too");
}

TEST(RoutingConfig, StatusMustBeAFinalErrorStatus) {
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"reject\"\nstatus = 700\n"),
            "routes[0].status: must be between 400 and 699 (got 700)");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"reject\"\nstatus = 302\n"),
            "routes[0].status: must be between 400 and 699 (got 302)");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"reject\"\nstatus = \"486\"\n"),
            "routes[0].status: must be an integer");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"reject\"\nstatus = 486\nreason = \"a\\r\\nX: y\"\n"),
            "routes[0].reason: must be one line");
}

TEST(RoutingConfig, BadValuesAreNamed) {
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"dance\"\n"),
            "routes[0].action: 'dance' is not one of app, reject, ring, hold, park, webhook");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\napp = \"karaoke\"\n"),
            "routes[0].app: 'karaoke' is not one of echo, tone, silence, play, record, bot, stream");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"webhook\"\ndecision_url = \"http://h/\"\n"
                     "fallback = { action = \"webhook\" }\n"),
            "routes[0].fallback.action: 'webhook' is not one of app, reject, ring, hold, park");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nmetadata = { route = \"x\" }\n"),
            "routes[0].metadata.route: reserved: voxgate sets it to the route's name");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nmetadata = { n = 1 }\n"),
            "routes[0].metadata.n: must be a string");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nmatch = { headers = { \"X Y\" = \"1\" } }\n"),
            "routes[0].match.headers: 'X Y' is not a header name");
  EXPECT_EQ(error_of("[routes]\nname = \"a\"\n"), "routes: must be an array of tables ([[routes]] sections)");
}

TEST(RoutingConfig, UrlsAreCheckedAndEventsNeedASecret) {
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nevents_url = \"http://h/e\"\n"),
            "routes[0].events_secret: events_url and events_secret go together");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nevents_secret = \"s\"\n"),
            "routes[0].events_url: events_url and events_secret go together");
  EXPECT_NE(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\nevents_url = \"ftp://h/e\"\nevents_secret = \"s\"\n")
                .find("routes[0].events_url: "),
            std::string::npos);
  EXPECT_NE(error_of("[[routes]]\nname = \"a\"\naction = \"webhook\"\ndecision_url = \"https://h/d\"\n")
                .find("routes[0].decision_url: "),
            std::string::npos);
}

TEST(RoutingConfig, CrossChecksWithMedia) {
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"app\"\napp = \"play\"\n"),
            "routes[0].play_file: app \"play\" needs a WAV file (here or in [media])");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"ring\"\nring_ms = 10\napp = \"record\"\n"),
            "routes[0].app: \"record\" needs [media] record_dir");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"webhook\"\ndecision_url = \"http://h/\"\n"
                     "fallback = { action = \"app\", app = \"record\" }\n"),
            "routes[0].fallback.app: \"record\" needs [media] record_dir");
  EXPECT_EQ(error_of("[[routes]]\nname = \"a\"\naction = \"webhook\"\ndecision_url = \"http://h/\"\n"
                     "decision_timeout_ms = 5000\nmax_ring_ms = 5000\n"),
            "routes[0].max_ring_ms: must be above decision_timeout_ms (5000 ms), or every call would end before "
            "its decision");
  // [media] play_file serves a route that names no file of its own.
  EXPECT_EQ(error_of("[media]\nplay_file = \"x.wav\"\n[[routes]]\nname = \"a\"\naction = \"app\"\napp = \"play\"\n"),
            "<loaded>");
}

TEST(RoutingConfig, SourcesAreAddressesOrCidrBlocks) {
  const auto source = [](std::string_view value) {
    return error_of(fmt::format("[[routes]]\nname = \"a\"\naction = \"app\"\nmatch = {{ source = {} }}\n", value));
  };
  EXPECT_EQ(source(R"("192.0.2.4")"), "<loaded>");
  EXPECT_EQ(source(R"("::1")"), "<loaded>");
  EXPECT_EQ(source(R"(["2001:db8::/32", "0.0.0.0/0"])"), "<loaded>");
  EXPECT_EQ(source(R"("10.0.0.0/33")"), "routes[0].match.source: '10.0.0.0/33': the prefix length must be 0-32");
  EXPECT_EQ(source(R"("2001:db8::/129")"), "routes[0].match.source: '2001:db8::/129': the prefix length must be 0-128");
  EXPECT_EQ(source(R"("10.1.0.0/8")"),
            "routes[0].match.source: '10.1.0.0/8': the address has bits set beyond the /8 prefix");
  EXPECT_EQ(source(R"("example.com")"), "routes[0].match.source: 'example.com': 'example.com' is not an IP address");
  EXPECT_EQ(source(R"("10.0.0.0/")"), "routes[0].match.source: '10.0.0.0/': the prefix length must be 0-32");
  EXPECT_EQ(source("[]"), "routes[0].match.source: must be an address or CIDR block, or a non-empty array of them");
  EXPECT_EQ(source("[1]"), "routes[0].match.source: must be an address or CIDR block, or a non-empty array of them");
}

TEST(RoutingConfig, AnIpv4MappedBlockIsKeptAsIpv4) {
  auto block = parse_address_block("::ffff:10.0.0.0/104");
  ASSERT_TRUE(block) << block.error().message;
  EXPECT_FALSE(block->v6);
  EXPECT_EQ(block->prefix, 8);
  EXPECT_EQ(block->bytes[0], 10);
}

TEST(RouteDecision, ReadsAnActionWithMetadata) {
  auto decision = parse_route_decision(R"({"action":"app","app":"tone","tone_hz":600,"metadata":{"k":"v"}})");
  ASSERT_TRUE(decision) << decision.error().message;
  EXPECT_EQ(decision->action.kind, RouteActionKind::App);
  EXPECT_EQ(decision->action.app.kind, MediaAppKind::Tone);
  EXPECT_EQ(decision->action.app.tone_hz, 600.0);
  EXPECT_EQ(decision->metadata, (session::Metadata{{"k", "v"}}));

  decision = parse_route_decision(R"({"action":"reject","status":486,"reason":"Busy Here"})");
  ASSERT_TRUE(decision) << decision.error().message;
  EXPECT_EQ(decision->action, RouteAction::reject(486, "Busy Here"));

  decision = parse_route_decision(R"({"action":"ring","ring_ms":1500,"app":"echo"})");
  ASSERT_TRUE(decision) << decision.error().message;
  EXPECT_EQ(decision->action.ring, 1500ms);

  decision = parse_route_decision(R"({"action":"park"})");
  ASSERT_TRUE(decision) << decision.error().message;
  EXPECT_EQ(decision->action.kind, RouteActionKind::Park);
}

TEST(RouteDecision, RefusesWhatARouteWouldRefuseNamingTheKey) {
  const auto error = [](std::string_view json) {
    auto decision = parse_route_decision(json);
    return decision ? std::string("<parsed>") : decision.error().message;
  };
  EXPECT_EQ(error("[1]"), "not a JSON object");
  EXPECT_EQ(error("{").rfind("not JSON: ", 0), 0U) << error("{");
  EXPECT_EQ(error(R"({"status":486})"), "action: required (app, reject, ring, hold, park)");
  EXPECT_EQ(error(R"({"action":"webhook"})"), "action: 'webhook' is not one of app, reject, ring, hold, park");
  EXPECT_EQ(error(R"({"action":"reject","status":200})"), "status: must be between 400 and 699 (got 200)");
  EXPECT_EQ(error(R"({"action":"reject","status":486.5})"), "status: must be an integer");
  EXPECT_EQ(error(R"({"action":"app","colour":1})"), "colour: unknown setting");
  EXPECT_EQ(error(R"({"action":"app","status":486})"), "status: not a setting of action \"app\" in a decision");
  EXPECT_EQ(error(R"({"action":"park","max_ring_ms":1000})"),
            "max_ring_ms: not a setting of action \"park\" in a decision");
  EXPECT_EQ(error(R"({"action":"app","app":null})"), "app: null is not a value");
  EXPECT_EQ(error(R"({"action":"app","metadata":{"route":"x"}})"),
            "metadata.route: reserved: voxgate sets it to the route's name");
  EXPECT_EQ(error(R"({"action":"app","metadata":{"list":[1]}})"), "metadata.list: no setting is an array");
}

TEST(RouteAction, CheckActionNeedsWhatTheAppNeeds) {
  MediaConfig media;
  RouteAction play;
  play.app.kind = MediaAppKind::Play;
  EXPECT_FALSE(check_action(play, media));
  play.app.play_file = "x.wav";
  EXPECT_TRUE(check_action(play, media));
  // Not answered: no app to build.
  RouteAction forever;
  forever.kind = RouteActionKind::Ring;
  forever.answer = false;
  forever.app.kind = MediaAppKind::Record;
  EXPECT_TRUE(check_action(forever, media));
}

TEST(RouteAction, MediaConfigForOverridesOnlyWhatTheRouteSets) {
  MediaConfig base;
  base.app = MediaAppKind::Echo;
  base.tone_hz = 440;
  base.play_loop = false;
  RouteApp app;
  app.kind = MediaAppKind::Tone;
  app.tone_hz = 700;
  const MediaConfig config = media_config_for(base, app);
  EXPECT_EQ(config.app, MediaAppKind::Tone);
  EXPECT_EQ(config.tone_hz, 700);
  EXPECT_FALSE(config.play_loop);
  EXPECT_EQ(media_config_for(base, RouteApp{}).app, MediaAppKind::Echo);
}

}  // namespace
}  // namespace voxgate::app
