#include "bot/agent/websocket_agent.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "net/http/http_server.hpp"
#include "support/io_run.hpp"

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

// A WebSocket agent service on 127.0.0.1, port 0: each request (its JSON)
// is answered with the messages the script returns for it; every request
// is kept.
class ScriptedAgentService final : public net::HttpHandler {
 public:
  using Script = std::function<std::vector<std::string>(const boost::json::object& request)>;

  ScriptedAgentService(boost::asio::io_context& io, Script script)
      : script_(std::move(script)), server_(io, config(), *this, Logger()) {
    auto bound = server_.start();
    EXPECT_TRUE(bound) << bound.error().message;
    if (bound) port_ = bound->port();
  }
  ~ScriptedAgentService() override { server_.stop(); }

  [[nodiscard]] std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/agent"; }

  void on_request(net::HttpRequest request, net::Reply reply) override {
    reply(net::make_response(request, http::status::not_found, ""));
  }
  void on_websocket(const net::HttpRequest& /*request*/, net::WebSocketUpgrade upgrade) override {
    ++connections;
    auto holder = std::make_shared<std::weak_ptr<net::WebSocketSession>>();
    *holder = upgrade.accept({[this, holder](std::string_view text) {
                                requests.push_back(boost::json::parse(text).as_object());
                                auto session = holder->lock();
                                for (auto& message : script_(requests.back())) {
                                  if (message == "<close>") {
                                    if (session) session->close();
                                  } else if (session) {
                                    session->send(std::move(message));
                                  }
                                }
                              },
                              nullptr});
  }

  std::vector<boost::json::object> requests;
  int connections = 0;

 private:
  static net::HttpServerConfig config() {
    net::HttpServerConfig out;
    out.port = 0;
    return out;
  }

  Script script_;
  net::HttpServer server_;
  std::uint16_t port_ = 0;
};

struct Sink final : AgentReplySink {
  void on_text(std::string chunk) override { said.push_back(std::move(chunk)); }
  void on_done(Result<AgentDirective> directive) override { done = std::move(directive); }

  std::vector<std::string> said;
  std::optional<Result<AgentDirective>> done;
};

class WebSocketAgentTest : public ::testing::Test {
 protected:
  // The agent and the service are gone: their closes finish, so no socket
  // operation is left holding its connection when the io_context goes.
  void TearDown() override { test::run_for(io_, 300ms); }

  // Runs the loop until `sink` is done (or 3 s passed).
  void run_until_done(const Sink& sink) {
    test::run_until(
        io_, [&sink] { return sink.done.has_value(); }, 3s);
  }

  WebSocketAgentConfig config(std::string url) {
    WebSocketAgentConfig out;
    out.url = std::move(url);
    out.timeout = 300ms;
    out.reply_timeout = 1s;
    return out;
  }

  boost::asio::io_context io_;
};

TEST_F(WebSocketAgentTest, ReplyPartsAreSpokenAsTheyComeAndTheLastCarriesTheDirective) {
  ScriptedAgentService service(io_, [](const boost::json::object& request) -> std::vector<std::string> {
    const auto seq = request.at("seq").as_int64();
    return {R"({"seq":)" + std::to_string(seq) + R"(,"text":"Hello, "})",
            R"({"seq":)" + std::to_string(seq) + R"(,"text":"sales or support?","expected":["sales","support"],)" +
                R"("done":true})"};
  });
  WebSocketAgent agent(io_, config(service.url()), "call-1");
  Sink greeting;
  agent.start(greeting);
  run_until_done(greeting);
  ASSERT_TRUE(greeting.done && *greeting.done) << (greeting.done ? greeting.done->error().message : "no reply");
  EXPECT_EQ(greeting.said, (std::vector<std::string>{"Hello, ", "sales or support?"}));
  EXPECT_EQ((*greeting.done)->expected, (std::vector<std::string>{"sales", "support"}));

  Sink turn;
  agent.respond(AgentTurn{"sales", std::nullopt}, turn);
  run_until_done(turn);
  ASSERT_TRUE(turn.done && *turn.done);
  ASSERT_EQ(service.requests.size(), 2U);
  EXPECT_EQ(service.connections, 1) << "one connection for the call";
  EXPECT_EQ(service.requests[0].at("kind"), "start");
  EXPECT_EQ(service.requests[1].at("kind"), "turn");
  EXPECT_EQ(service.requests[1].at("call_id"), "call-1");
  EXPECT_EQ(service.requests[1].at("turn").at("transcript"), "sales");
}

TEST_F(WebSocketAgentTest, PartsForAReplacedTurnAreIgnored) {
  ScriptedAgentService service(io_, [](const boost::json::object& request) -> std::vector<std::string> {
    if (request.at("seq").as_int64() == 1) return {};  // still thinking when the key comes
    return {R"({"seq":1,"text":"too late","done":true})", R"({"seq":2,"text":"Key two.","done":true})"};
  });
  WebSocketAgent agent(io_, config(service.url()), "call-2");
  Sink first;
  Sink second;
  agent.respond(AgentTurn{"", '1'}, first);
  test::run_for(io_, 50ms);
  agent.respond(AgentTurn{"", '2'}, second);
  run_until_done(second);
  ASSERT_TRUE(second.done && *second.done);
  EXPECT_EQ(second.said, (std::vector<std::string>{"Key two."}));
  EXPECT_TRUE(first.said.empty());
  EXPECT_FALSE(first.done) << "a replaced reply is never finished";
}

TEST_F(WebSocketAgentTest, ACommittedDraftIsTheTurnItsReplyGoesOnAndTheServiceIsTold) {
  ScriptedAgentService service(io_, [](const boost::json::object& request) -> std::vector<std::string> {
    if (request.at("kind").as_string() != "turn") return {};
    const auto seq = std::to_string(request.at("seq").as_int64());
    return {R"({"seq":)" + seq + R"(,"text":"This is sales.","done":true})"};
  });
  WebSocketAgent agent(io_, config(service.url()), "call-5");
  ASSERT_TRUE(agent.can_draft());
  Sink draft;
  agent.draft(AgentTurn{"sales", std::nullopt}, draft);
  run_until_done(draft);
  agent.commit_draft();
  Sink next;
  agent.respond(AgentTurn{"", '1'}, next);
  run_until_done(next);
  ASSERT_TRUE(draft.done && *draft.done);
  EXPECT_EQ(draft.said, std::vector<std::string>{"This is sales."});
  ASSERT_EQ(service.requests.size(), 3U);
  EXPECT_EQ(service.requests[0], boost::json::parse(R"({"call_id": "call-5", "seq": 1, "attempt": 1, "kind": "turn",
      "turn": {"transcript": "sales", "digit": null}, "draft": true})"));
  EXPECT_EQ(service.requests[1], boost::json::parse(R"({"call_id": "call-5", "seq": 1, "attempt": 1,
      "kind": "commit"})"));
  EXPECT_EQ(service.requests[2].at("seq"), 2) << "the committed draft was turn 1";
  EXPECT_FALSE(service.requests[2].contains("draft"));
}

TEST_F(WebSocketAgentTest, ACancelledDraftIsNeverAnsweredAndTheFinalTurnTakesANewSeq) {
  ScriptedAgentService service(io_, [](const boost::json::object& request) -> std::vector<std::string> {
    const auto& kind = request.at("kind").as_string();
    if (kind == "cancel") return {R"({"seq":1,"text":"draft reply","done":true})"};  // already on its way
    if (request.contains("draft")) return {};  // still thinking when the final words come
    return {R"({"seq":)" + std::to_string(request.at("seq").as_int64()) + R"(,"text":"This is support.","done":true})"};
  });
  WebSocketAgent agent(io_, config(service.url()), "call-6");
  Sink draft;
  agent.draft(AgentTurn{"sales", std::nullopt}, draft);
  ASSERT_TRUE(test::run_until(
      io_, [&] { return service.requests.size() == 1; }, 3s));
  agent.cancel_draft();
  Sink final_turn;
  agent.respond(AgentTurn{"support", std::nullopt}, final_turn);
  run_until_done(final_turn);
  test::run_for(io_, 100ms);  // anything more for the draft would have come by now
  EXPECT_TRUE(draft.said.empty());
  EXPECT_FALSE(draft.done) << "a cancelled draft is never finished";
  EXPECT_EQ(final_turn.said, std::vector<std::string>{"This is support."});
  ASSERT_EQ(service.requests.size(), 3U);
  EXPECT_EQ(service.requests[1], boost::json::parse(R"({"call_id": "call-6", "seq": 1, "attempt": 1,
      "kind": "cancel"})"));
  EXPECT_EQ(service.requests[2].at("seq"), 2) << "parts of the draft's seq cannot be taken for the final turn's";
}

TEST_F(WebSocketAgentTest, NoReplyWithinTheTimeoutFailsTheTurn) {
  ScriptedAgentService service(io_, [](const boost::json::object&) { return std::vector<std::string>{}; });
  WebSocketAgent agent(io_, config(service.url()), "call-3");
  Sink sink;
  const auto asked = std::chrono::steady_clock::now();
  agent.start(sink);
  run_until_done(sink);
  ASSERT_TRUE(sink.done);
  ASSERT_FALSE(*sink.done);
  EXPECT_NE(sink.done->error().message.find("no reply within 300 ms"), std::string::npos) << sink.done->error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - asked, 300ms);
}

TEST_F(WebSocketAgentTest, AServiceThatIsDownFailsTheTurnWithTheConnectError) {
  WebSocketAgentConfig down = config("ws://127.0.0.1:1/agent");  // nothing listens on port 1
  WebSocketAgent agent(io_, down, "call-4");
  Sink sink;
  agent.start(sink);
  run_until_done(sink);
  ASSERT_TRUE(sink.done);
  EXPECT_FALSE(*sink.done);
  EXPECT_NE(sink.done->error().message.find("connect"), std::string::npos) << sink.done->error().message;
}

TEST_F(WebSocketAgentTest, AConnectionClosedMidReplyFailsItAndTheNextTurnReconnects) {
  ScriptedAgentService service(io_, [](const boost::json::object& request) -> std::vector<std::string> {
    if (request.at("seq").as_int64() == 1) return {R"({"seq":1,"text":"Hel"})", "<close>"};
    return {R"({"seq":2,"text":"Back.","done":true})"};
  });
  WebSocketAgent agent(io_, config(service.url()), "call-5");
  Sink broken;
  agent.start(broken);
  run_until_done(broken);
  ASSERT_TRUE(broken.done);
  EXPECT_FALSE(*broken.done);
  EXPECT_EQ(broken.said, (std::vector<std::string>{"Hel"}));
  Sink next;
  agent.respond(AgentTurn{"hello", std::nullopt}, next);
  run_until_done(next);
  ASSERT_TRUE(next.done && *next.done) << (next.done ? next.done->error().message : "no reply");
  EXPECT_EQ(next.said, (std::vector<std::string>{"Back."}));
  EXPECT_EQ(service.connections, 2);
}

TEST_F(WebSocketAgentTest, ABadUrlIsRefusedByValidation) {
  EXPECT_FALSE(validate(WebSocketAgentConfig{}));
  EXPECT_EQ(validate(config("wss://example.com/")).error().code, Errc::Unsupported);
  EXPECT_FALSE(validate(config("http://127.0.0.1/")));
  EXPECT_TRUE(validate(config("ws://127.0.0.1:9000/agent")));
}

}  // namespace
}  // namespace voxgate::bot
