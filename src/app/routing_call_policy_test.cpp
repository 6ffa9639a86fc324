#include "app/routing_call_policy.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include "base/clock.hpp"
#include "media/apps/basic_apps.hpp"
#include "net/http/http_server.hpp"
#include "session/registry/in_memory_session_registry.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::app {
namespace {

using namespace std::chrono_literals;
using Kind = session::IncomingDecision::Kind;
using CommandKind = api::SessionCommand::Kind;

class Call {
 public:
  explicit Call(std::string user, std::string extra_headers = {})
      : request_uri_(fmt::format("sip:{}@127.0.0.1:5060", user)),
        invite_(test::parse_ok(fmt::format("INVITE {} SIP/2.0\r\n"
                                           "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
                                           "From: Alice <sip:alice@127.0.0.1:5070>;tag=1\r\n"
                                           "To: <{}>\r\n"
                                           "Call-ID: call-{}\r\n"
                                           "CSeq: 1 INVITE\r\n"
                                           "{}"
                                           "Content-Length: 0\r\n\r\n",
                                           request_uri_, request_uri_, user, extra_headers))) {}

  [[nodiscard]] session::IncomingCall incoming(std::uint64_t id = 7) const {
    return session::IncomingCall{session::SessionId(id),
                                 session::Party{"sip:alice@127.0.0.1:5070", "Alice"},
                                 session::Party{request_uri_, ""},
                                 request_uri_,
                                 "127.0.0.1",
                                 invite_};
  }

 private:
  std::string request_uri_;
  sip::Message invite_;
};

// Records the commands the policy sends for deferred calls.
class FakeSessionControl final : public api::SessionControl {
 public:
  struct Sent {
    session::SessionId id;
    std::string call_id;
    api::SessionCommand command;
    std::chrono::steady_clock::time_point at;
  };

  void originate(api::OriginateRequest, Originated done) override {
    done(make_error(Errc::Unsupported, "not in this test"));
  }
  void command(session::SessionId id, std::string call_id, api::SessionCommand command, Done done) override {
    if (on_sent) on_sent();
    sent.push_back(Sent{id, std::move(call_id), std::move(command), std::chrono::steady_clock::now()});
    done({});
  }

  std::vector<Sent> sent;
  std::function<void()> on_sent;  // what the test checks as a command arrives
};

// A decision webhook on the test's io_context: answers each request as
// `answer` says (nullopt: never, until the client gives up).
class DecisionServer final : public net::HttpHandler {
 public:
  using Answer = std::function<std::optional<std::pair<unsigned, std::string>>(const net::HttpRequest&)>;

  DecisionServer(boost::asio::io_context& io, Answer answer)
      : server_(io, config(), *this, Logger()), answer_(std::move(answer)) {
    auto bound = server_.start();
    EXPECT_TRUE(bound) << bound.error().message;
    if (bound) url = fmt::format("http://127.0.0.1:{}/decide", bound->port());
  }
  ~DecisionServer() override { server_.stop(); }
  DecisionServer(const DecisionServer&) = delete;
  DecisionServer& operator=(const DecisionServer&) = delete;

  void on_request(net::HttpRequest request, net::Reply reply) override {
    requests.push_back(request);
    auto answer = answer_(request);
    if (!answer) {
      held_.push_back(std::move(reply));
      return;
    }
    reply(net::make_response(request, static_cast<net::http::status>(answer->first), answer->second));
  }
  void on_websocket(const net::HttpRequest& request, net::WebSocketUpgrade upgrade) override {
    upgrade.refuse(net::make_response(request, net::http::status::forbidden, "no"));
  }

  std::string url;
  std::vector<net::HttpRequest> requests;

 private:
  static net::HttpServerConfig config() {
    net::HttpServerConfig out;
    out.address = "127.0.0.1";
    out.port = 0;
    return out;
  }

  net::HttpServer server_;
  Answer answer_;
  std::vector<net::Reply> held_;
};

RouteConfig route(std::string name, std::string user, RouteActionKind kind) {
  RouteConfig out;
  out.name = std::move(name);
  out.match.user = std::move(user);
  out.action.kind = kind;
  return out;
}

class RoutingCallPolicyTest : public ::testing::Test {
 protected:
  RoutingCallPolicy make(std::vector<RouteConfig> routes) {
    return {std::move(routes), media_, answer_, control_, *registry_, io_, Logger()};
  }

  // Runs the io_context until `done` or 5 s.
  void run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(10ms);
    }
  }

  RouteConfig webhook(const std::string& url, std::chrono::milliseconds timeout = 2000ms) {
    RouteConfig out = route("hook", "hook", RouteActionKind::Webhook);
    out.decision.url = url;
    out.decision.timeout = timeout;
    out.max_ring = 30s;
    out.metadata = {{"team", "support"}};
    return out;
  }

  MediaConfig media_;
  AnswerConfig answer_;
  FakeSessionControl control_;
  ManualClock clock_;
  std::unique_ptr<session::InMemorySessionRegistry> registry_ =
      session::InMemorySessionRegistry::create(clock_).value();
  boost::asio::io_context io_;
};

template <class App>
bool serves_with(const session::IncomingDecision& decision) {
  return dynamic_cast<const App*>(decision.media_app.get()) != nullptr;
}

TEST_F(RoutingCallPolicyTest, WithoutRoutesEveryCallGetsTheMediaAppAfterTheAnswerDelay) {
  answer_.answer_delay = 1500ms;
  media_.app = MediaAppKind::Tone;
  auto policy = make({});
  ASSERT_EQ(policy.routes().size(), 1U);
  const auto decision = policy.on_incoming_call(Call("anyone").incoming());
  EXPECT_EQ(decision.kind, Kind::Accept);
  EXPECT_EQ(decision.answer_after, 1500ms);
  EXPECT_TRUE(serves_with<media::ToneApp>(decision));
  EXPECT_TRUE(decision.metadata.empty());  // as before routing
}

// A stand-in for the bot's SessionApp.
struct FakeBotApp final : session::SessionApp {};

TEST_F(RoutingCallPolicyTest, TheBotAppAnswersWithTheBotsSessionAppOverSilenceOrRefusesWhenNoBotRuns) {
  RouteConfig bot = route("bot", "bot", RouteActionKind::App);
  bot.action.app.kind = MediaAppKind::Bot;
  std::vector<std::string> asked_for;
  RoutingCallPolicy policy({bot}, media_, answer_, control_, *registry_, io_, Logger(),
                           {[&](std::string_view call_id, std::string_view) -> std::unique_ptr<session::SessionApp> {
                              asked_for.emplace_back(call_id);
                              return std::make_unique<FakeBotApp>();
                            },
                            {}});
  const Call call("bot");
  const auto decision = policy.on_incoming_call(call.incoming());
  EXPECT_EQ(decision.kind, Kind::Accept);
  EXPECT_NE(dynamic_cast<const FakeBotApp*>(decision.app.get()), nullptr);
  EXPECT_TRUE(serves_with<media::SilenceApp>(decision));
  ASSERT_EQ(asked_for.size(), 1U);
  EXPECT_FALSE(asked_for[0].empty()) << "the factory finds the call's loop by its Call-ID";

  auto without = make({bot});
  const auto refused = without.on_incoming_call(Call("bot").incoming());
  EXPECT_EQ(refused.kind, Kind::Reject);
  EXPECT_EQ(refused.status, 500);
}

TEST_F(RoutingCallPolicyTest, ARoutesBotProfileIsWhatTheBotFactoryIsAskedFor) {
  RouteConfig sales = route("sales", "sales", RouteActionKind::App);
  sales.action.app.kind = MediaAppKind::Bot;
  sales.action.app.bot = "sales";
  RouteConfig main = route("main", "main", RouteActionKind::App);
  main.action.app.kind = MediaAppKind::Bot;
  std::vector<std::string> profiles;
  RoutingCallPolicy policy({sales, main}, media_, answer_, control_, *registry_, io_, Logger(),
                           {[&](std::string_view, std::string_view profile) -> std::unique_ptr<session::SessionApp> {
                              profiles.emplace_back(profile);
                              return std::make_unique<FakeBotApp>();
                            },
                            {}});
  EXPECT_EQ(policy.on_incoming_call(Call("sales").incoming()).kind, Kind::Accept);
  EXPECT_EQ(policy.on_incoming_call(Call("main").incoming()).kind, Kind::Accept);
  EXPECT_EQ(profiles, (std::vector<std::string>{"sales", ""})) << "no bot: \"\", the default profile";
}

TEST_F(RoutingCallPolicyTest, AProfileTheBotDoesNotHaveRefusesTheCall) {
  RouteConfig ghost = route("ghost", "ghost", RouteActionKind::App);
  ghost.action.app.kind = MediaAppKind::Bot;
  ghost.action.app.bot = "ghost";
  RoutingCallPolicy policy(
      {ghost}, media_, answer_, control_, *registry_, io_, Logger(),
      {[&](std::string_view, std::string_view) -> std::unique_ptr<session::SessionApp> { return nullptr; }, {}});
  const auto refused = policy.on_incoming_call(Call("ghost").incoming());
  EXPECT_EQ(refused.kind, Kind::Reject);
  EXPECT_EQ(refused.status, 500);
}

TEST_F(RoutingCallPolicyTest, ACallMatchingNoRouteGets404) {
  auto policy = make({route("echo", "echo", RouteActionKind::App)});
  const auto decision = policy.on_incoming_call(Call("nobody").incoming());
  EXPECT_EQ(decision.kind, Kind::Reject);
  EXPECT_EQ(decision.status, 404);
}

TEST_F(RoutingCallPolicyTest, AppAnswersAtOnceWithTheRoutesAppAndMetadata) {
  RouteConfig echo = route("echo", "echo", RouteActionKind::App);
  echo.action.app.kind = MediaAppKind::Echo;
  echo.metadata = {{"team", "support"}};
  RouteConfig tone = route("tone", "tone", RouteActionKind::App);
  tone.action.app.kind = MediaAppKind::Tone;
  auto policy = make({echo, tone});

  auto decision = policy.on_incoming_call(Call("echo").incoming());
  EXPECT_EQ(decision.kind, Kind::Accept);
  EXPECT_EQ(decision.answer_after, 0ms);
  EXPECT_TRUE(serves_with<media::EchoApp>(decision));
  EXPECT_EQ(decision.metadata, (session::Metadata{{"route", "echo"}, {"team", "support"}}));

  decision = policy.on_incoming_call(Call("tone").incoming());
  EXPECT_TRUE(serves_with<media::ToneApp>(decision));
  EXPECT_EQ(decision.metadata, (session::Metadata{{"route", "tone"}}));
}

TEST_F(RoutingCallPolicyTest, RejectUsesTheStatusAndReason) {
  RouteConfig busy = route("busy", "busy", RouteActionKind::Reject);
  busy.action.status = 486;
  busy.action.reason = "Busy Here";
  auto policy = make({busy});
  const auto decision = policy.on_incoming_call(Call("busy").incoming());
  EXPECT_EQ(decision.kind, Kind::Reject);
  EXPECT_EQ(decision.status, 486);
  EXPECT_EQ(decision.reason, "Busy Here");
  EXPECT_EQ(decision.metadata.at("route"), "busy");
}

TEST_F(RoutingCallPolicyTest, RingAnswersAfterRingMsOrDefersUntilMaxRing) {
  RouteConfig ring = route("ring", "ring", RouteActionKind::Ring);
  ring.action.ring = 2000ms;
  ring.action.app.kind = MediaAppKind::Echo;
  RouteConfig forever = route("forever", "forever", RouteActionKind::Ring);
  forever.action.answer = false;
  forever.max_ring = 5000ms;
  auto policy = make({ring, forever});

  auto decision = policy.on_incoming_call(Call("ring").incoming());
  EXPECT_EQ(decision.kind, Kind::Accept);
  EXPECT_EQ(decision.answer_after, 2000ms);
  EXPECT_TRUE(serves_with<media::EchoApp>(decision));

  decision = policy.on_incoming_call(Call("forever").incoming());
  EXPECT_EQ(decision.kind, Kind::Defer);
  EXPECT_EQ(decision.watchdog, 5000ms);
}

TEST_F(RoutingCallPolicyTest, HoldAnswersWithSilenceAndParkDefers) {
  RouteConfig park = route("park", "park", RouteActionKind::Park);
  park.max_ring = 45s;
  auto policy = make({route("hold", "hold", RouteActionKind::Hold), park});

  auto decision = policy.on_incoming_call(Call("hold").incoming());
  EXPECT_EQ(decision.kind, Kind::Accept);
  EXPECT_EQ(decision.answer_after, 0ms);
  EXPECT_TRUE(serves_with<media::SilenceApp>(decision));

  decision = policy.on_incoming_call(Call("park").incoming());
  EXPECT_EQ(decision.kind, Kind::Defer);
  EXPECT_EQ(decision.watchdog, 45s);
  EXPECT_EQ(decision.metadata.at("route"), "park");
  io_.run_for(20ms);
  EXPECT_TRUE(control_.sent.empty());
}

TEST_F(RoutingCallPolicyTest, AnAppThatCannotBeBuiltRefusesTheCall) {
  RouteConfig play = route("play", "play", RouteActionKind::App);
  play.action.app.kind = MediaAppKind::Play;
  play.action.app.play_file = "/nonexistent/prompt.wav";
  auto policy = make({play});
  const auto decision = policy.on_incoming_call(Call("play").incoming());
  EXPECT_EQ(decision.kind, Kind::Reject);
  EXPECT_EQ(decision.status, 500);
}

TEST_F(RoutingCallPolicyTest, AWebhookDecidesAndTheCommandAnswersTheDeferredCall) {
  DecisionServer hook(io_, [](const net::HttpRequest&) {
    return std::pair<unsigned, std::string>(200, R"({"action":"app","app":"tone","tone_hz":600})");
  });
  auto policy = make({webhook(hook.url)});
  const auto decision = policy.on_incoming_call(Call("hook").incoming(42));
  EXPECT_EQ(decision.kind, Kind::Defer);
  EXPECT_EQ(decision.watchdog, 30s);
  EXPECT_EQ(decision.metadata, (session::Metadata{{"route", "hook"}, {"team", "support"}}));

  run_until([&] { return !control_.sent.empty(); });
  ASSERT_EQ(control_.sent.size(), 1U);
  const auto& sent = control_.sent[0];
  EXPECT_EQ(sent.id, session::SessionId(42));
  EXPECT_EQ(sent.call_id, "call-hook");
  EXPECT_EQ(sent.command.kind, CommandKind::Answer);
  ASSERT_TRUE(sent.command.app);
  EXPECT_EQ(sent.command.app->name, "tone");
  EXPECT_EQ(sent.command.app->tone_hz, 600);

  ASSERT_EQ(hook.requests.size(), 1U);
  EXPECT_EQ(hook.requests[0].method(), net::http::verb::post);
  EXPECT_EQ(hook.requests[0].target(), "/decide");
  EXPECT_EQ(hook.requests[0][net::http::field::content_type], "application/json");
  const auto body = boost::json::parse(hook.requests[0].body()).as_object();
  EXPECT_EQ(body.at("session_id").as_string(), "42");
  EXPECT_EQ(body.at("route").as_string(), "hook");
  EXPECT_EQ(body.at("request_uri").as_string(), "sip:hook@127.0.0.1:5060");
}

TEST_F(RoutingCallPolicyTest, TheDecisionsMetadataLandsOnTheSessionBeforeItsActionIsSent) {
  auto session = registry_->create(
      session::NewSession{"call-hook", "local-tag", "1", session::Direction::Inbound, {}, {}, {{"team", "support"}}});
  ASSERT_TRUE(session);
  bool metadata_set_first = false;
  control_.on_sent = [&] {
    auto record = registry_->get(session->id);
    metadata_set_first = record && record->metadata.count("ticket") == 1;
  };
  DecisionServer hook(io_, [](const net::HttpRequest&) {
    return std::pair<unsigned, std::string>(
        200, R"({"action":"app","app":"echo","metadata":{"ticket":"T-9","team":"billing"}})");
  });
  auto policy = make({webhook(hook.url)});
  (void)policy.on_incoming_call(Call("hook").incoming(session->id.value()));
  run_until([&] { return !control_.sent.empty(); });
  ASSERT_EQ(control_.sent.size(), 1U);
  EXPECT_TRUE(metadata_set_first);
  auto record = registry_->get(session->id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->metadata, (session::Metadata{{"team", "billing"}, {"ticket", "T-9"}}));
}

TEST_F(RoutingCallPolicyTest, AWebhookRejectIsSentAsAReject) {
  DecisionServer hook(io_, [](const net::HttpRequest&) {
    return std::pair<unsigned, std::string>(200, R"({"action":"reject","status":486,"reason":"Busy Here"})");
  });
  auto policy = make({webhook(hook.url)});
  (void)policy.on_incoming_call(Call("hook").incoming());
  run_until([&] { return !control_.sent.empty(); });
  ASSERT_EQ(control_.sent.size(), 1U);
  EXPECT_EQ(control_.sent[0].command.kind, CommandKind::Reject);
  EXPECT_EQ(control_.sent[0].command.status, 486);
  EXPECT_EQ(control_.sent[0].command.reason, "Busy Here");
}

TEST_F(RoutingCallPolicyTest, AWebhookRingIsTimedBeforeTheAnswer) {
  DecisionServer hook(io_, [](const net::HttpRequest&) {
    return std::pair<unsigned, std::string>(200, R"({"action":"ring","ring_ms":300,"app":"echo"})");
  });
  auto policy = make({webhook(hook.url)});
  const auto asked = std::chrono::steady_clock::now();
  (void)policy.on_incoming_call(Call("hook").incoming());
  run_until([&] { return !control_.sent.empty(); });
  ASSERT_EQ(control_.sent.size(), 1U);
  EXPECT_EQ(control_.sent[0].command.kind, CommandKind::Answer);
  EXPECT_EQ(control_.sent[0].command.app->name, "echo");
  EXPECT_GE(control_.sent[0].at - asked, 300ms);
}

TEST_F(RoutingCallPolicyTest, AWebhookParkLeavesTheCallRinging) {
  DecisionServer hook(
      io_, [](const net::HttpRequest&) { return std::pair<unsigned, std::string>(200, R"({"action":"park"})"); });
  auto policy = make({webhook(hook.url)});
  (void)policy.on_incoming_call(Call("hook").incoming());
  run_until([&] { return !hook.requests.empty(); });
  io_.restart();
  io_.run_for(50ms);
  EXPECT_TRUE(control_.sent.empty());
}

// Every way a decision can fail ends in the fallback: here the default,
// 503.
TEST_F(RoutingCallPolicyTest, FailedDecisionsTakeTheFallback) {
  const std::vector<std::pair<std::string, std::optional<std::pair<unsigned, std::string>>>> failures{
      {"an error status", std::pair<unsigned, std::string>(500, R"({"action":"app"})")},
      {"not JSON", std::pair<unsigned, std::string>(200, "<html>")},
      {"an unknown action", std::pair<unsigned, std::string>(200, R"({"action":"dance"})")},
      {"an app that cannot be built", std::pair<unsigned, std::string>(200, R"({"action":"app","app":"record"})")},
      {"no answer in time", std::nullopt},
  };
  for (const auto& [what, answer] : failures) {
    SCOPED_TRACE(what);
    control_.sent.clear();
    DecisionServer hook(io_, [&answer = answer](const net::HttpRequest&) { return answer; });
    auto policy = make({webhook(hook.url, 200ms)});
    (void)policy.on_incoming_call(Call("hook").incoming());
    run_until([&] { return !control_.sent.empty(); });
    ASSERT_EQ(control_.sent.size(), 1U);
    EXPECT_EQ(control_.sent[0].command.kind, CommandKind::Reject);
    EXPECT_EQ(control_.sent[0].command.status, 503);
  }
}

TEST_F(RoutingCallPolicyTest, AnUnreachableWebhookTakesTheConfiguredFallback) {
  RouteConfig hook = webhook("http://127.0.0.1:1/decide", 500ms);
  hook.decision.fallback = RouteAction{};
  hook.decision.fallback.app.kind = MediaAppKind::Echo;
  auto policy = make({hook});
  (void)policy.on_incoming_call(Call("hook").incoming());
  run_until([&] { return !control_.sent.empty(); });
  ASSERT_EQ(control_.sent.size(), 1U);
  EXPECT_EQ(control_.sent[0].command.kind, CommandKind::Answer);
  EXPECT_EQ(control_.sent[0].command.app->name, "echo");
}

TEST_F(RoutingCallPolicyTest, WorkQueuedWhenThePolicyGoesIsDropped) {
  {
    auto policy = make({webhook("http://127.0.0.1:1/decide", 100ms)});
    (void)policy.on_incoming_call(Call("hook").incoming());
  }
  io_.run_for(300ms);
  EXPECT_TRUE(control_.sent.empty());
}

TEST(DecisionRequestBody, CarriesTheCallAndItsHeadersButNoCredentials) {
  const Call call("hook", "X-Tenant: acme\r\nAuthorization: Digest username=\"a\"\r\n");
  RouteConfig hook = route("hook", "hook", RouteActionKind::Webhook);
  hook.metadata = {{"team", "support"}};
  const auto body = boost::json::parse(decision_request_body(call.incoming(9), hook)).as_object();
  EXPECT_EQ(body.at("route").as_string(), "hook");
  EXPECT_EQ(body.at("session_id").as_string(), "9");
  EXPECT_EQ(body.at("call_id").as_string(), "call-hook");
  EXPECT_EQ(body.at("from").as_string(), "sip:alice@127.0.0.1:5070");
  EXPECT_EQ(body.at("from_name").as_string(), "Alice");
  EXPECT_EQ(body.at("to").as_string(), "sip:hook@127.0.0.1:5060");
  EXPECT_EQ(body.at("request_uri").as_string(), "sip:hook@127.0.0.1:5060");
  EXPECT_EQ(body.at("source").as_string(), "127.0.0.1");
  EXPECT_EQ(body.at("metadata").as_object().at("team").as_string(), "support");
  std::vector<std::string> names;
  for (const auto& header : body.at("headers").as_array()) {
    names.emplace_back(header.as_object().at("name").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Via", "From", "To", "Call-ID", "CSeq", "X-Tenant", "Content-Length"}));
}

TEST(CommandFor, AnswersRejectsOrLeavesRinging) {
  MediaConfig media;
  media.tone_hz = 500;
  RouteAction app;
  app.app.kind = MediaAppKind::Tone;
  auto command = command_for(app, media);
  ASSERT_TRUE(command);
  EXPECT_EQ(command->kind, CommandKind::Answer);
  EXPECT_EQ(command->app->name, "tone");
  EXPECT_EQ(command->app->tone_hz, 500);  // [media]'s, the route set none

  RouteAction hold;
  hold.kind = RouteActionKind::Hold;
  EXPECT_EQ(command_for(hold, media)->app->name, "silence");

  EXPECT_EQ(command_for(RouteAction::reject(486), media)->kind, CommandKind::Reject);

  RouteAction park;
  park.kind = RouteActionKind::Park;
  EXPECT_FALSE(command_for(park, media));
  RouteAction forever;
  forever.kind = RouteActionKind::Ring;
  forever.answer = false;
  EXPECT_FALSE(command_for(forever, media));
}

}  // namespace
}  // namespace voxgate::app
