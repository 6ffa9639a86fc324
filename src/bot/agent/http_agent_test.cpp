#include "bot/agent/http_agent.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>

#include "net/http/http_server.hpp"
#include "support/io_run.hpp"

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
using Tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;
namespace http = boost::beast::http;

// What a scripted server does with a request.
struct Answer {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds delay{0};
  bool hang = false;  // never answer
};

Answer json(std::string body, std::chrono::milliseconds delay = 0ms) {
  Answer out;
  out.body = std::move(body);
  out.delay = delay;
  return out;
}
Answer status(unsigned code) {
  Answer out;
  out.status = code;
  out.body = R"({"error": "no"})";
  return out;
}
Answer hang() {
  Answer out;
  out.hang = true;
  return out;
}

// A net::HttpServer on 127.0.0.1, port 0, answering as the script says
// (the n-th request, 0-based); it keeps every request.
class ScriptedAgentServer final : public net::HttpHandler {
 public:
  using Script = std::function<Answer(std::size_t index, const net::HttpRequest& request)>;

  ScriptedAgentServer(boost::asio::io_context& io, Script script)
      : io_(io), script_(std::move(script)), server_(io, config(), *this, Logger()) {
    auto bound = server_.start();
    EXPECT_TRUE(bound) << bound.error().message;
    if (bound) port_ = bound->port();
  }
  ~ScriptedAgentServer() override { server_.stop(); }

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/agent"; }
  [[nodiscard]] const std::vector<net::HttpRequest>& requests() const { return requests_; }
  [[nodiscard]] boost::json::object request_json(std::size_t index) const {
    return boost::json::parse(requests_.at(index).body()).as_object();
  }

  void on_request(net::HttpRequest request, net::Reply reply) override {
    requests_.push_back(request);
    Answer answer = script_(requests_.size() - 1, request);
    if (answer.hang) {
      hung_.push_back(std::move(reply));
      return;
    }
    auto response =
        net::make_response(request, static_cast<http::status>(answer.status), answer.body, answer.content_type);
    if (answer.delay == 0ms) {
      reply(std::move(response));
      return;
    }
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, answer.delay);
    timer->async_wait([timer, reply = std::move(reply), response = std::move(response)](const ErrorCode&) mutable {
      reply(std::move(response));
    });
  }
  void on_websocket(const net::HttpRequest&, net::WebSocketUpgrade upgrade) override {
    upgrade.refuse(net::make_response(net::HttpRequest{}, http::status::not_found, ""));
  }

 private:
  static net::HttpServerConfig config() {
    net::HttpServerConfig out;
    out.port = 0;
    return out;
  }

  boost::asio::io_context& io_;
  Script script_;
  net::HttpServer server_;
  std::uint16_t port_ = 0;
  std::vector<net::HttpRequest> requests_;
  std::vector<net::Reply> hung_;
};

// A server that writes its raw response in pieces `gap` apart (the
// net::HttpServer sends whole responses only): a streamed reply.
class PiecewiseServer {
 public:
  PiecewiseServer(boost::asio::io_context& io, std::vector<std::string> pieces, std::chrono::milliseconds gap)
      : acceptor_(io, Tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)),
        timer_(io),
        pieces_(std::move(pieces)),
        gap_(gap) {
    acceptor_.async_accept([this](const ErrorCode& ec, Tcp::socket socket) {
      if (ec) return;
      socket_.emplace(std::move(socket));
      http::async_read(*socket_, buffer_, request_, [this](const ErrorCode& read, std::size_t) {
        if (!read) write(0);
      });
    });
  }

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/stream";
  }
  [[nodiscard]] std::size_t written() const { return written_; }

 private:
  void write(std::size_t index) {
    if (index == pieces_.size()) {
      ErrorCode ignored;
      socket_->shutdown(Tcp::socket::shutdown_send, ignored);
      return;
    }
    boost::asio::async_write(*socket_, boost::asio::buffer(pieces_[index]),
                             [this, index](const ErrorCode& ec, std::size_t) {
                               if (ec) return;
                               ++written_;
                               timer_.expires_after(gap_);
                               timer_.async_wait([this, index](const ErrorCode& waited) {
                                 if (!waited) write(index + 1);
                               });
                             });
  }

  Tcp::acceptor acceptor_;
  boost::asio::steady_timer timer_;
  std::vector<std::string> pieces_;
  std::chrono::milliseconds gap_;
  std::optional<Tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::size_t written_ = 0;
};

// One chunk of a chunked body (RFC 9112 §7.1).
std::string chunk(std::string_view data) {
  return fmt::format("{:x}\r\n{}\r\n", data.size(), data);
}

// What the agent told the conversation.
struct HttpReplySink final : AgentReplySink {
  explicit HttpReplySink(std::function<std::size_t()> progress = [] { return std::size_t{0}; })
      : progress_(std::move(progress)) {}
  void on_text(std::string chunk) override { texts.emplace_back(std::move(chunk), progress_()); }
  void on_done(Result<AgentDirective> directive) override {
    ++dones;
    done = std::move(directive);
  }
  [[nodiscard]] std::vector<std::string> said() const {
    std::vector<std::string> out;
    for (const auto& [text, progress] : texts) out.push_back(text);
    return out;
  }

  std::vector<std::pair<std::string, std::size_t>> texts;  // with the progress when it came
  std::optional<Result<AgentDirective>> done;
  int dones = 0;

 private:
  std::function<std::size_t()> progress_;
};

using test::run_for;
using test::run_until;

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Short times, so failures and retries take tens of milliseconds.
HttpAgentConfig quick(std::string url, int retries = 2) {
  HttpAgentConfig config;
  config.url = std::move(url);
  config.timeout = 100ms;
  config.reply_timeout = 3000ms;
  config.retries = retries;
  config.backoff = 10ms;
  config.max_backoff = 40ms;
  config.breaker.failure_threshold = 3;
  config.breaker.open_for = 1000ms;
  return config;
}

struct Fixture {
  boost::asio::io_context io;
  ManualClock clock;  // the breaker's: open_for passes only when told
  std::shared_ptr<CircuitBreaker> breaker;

  std::unique_ptr<HttpAgent> agent(const HttpAgentConfig& config, std::string call_id = "call-1@test") {
    if (!breaker) breaker = std::make_shared<CircuitBreaker>(config.breaker, clock);
    auto made = HttpAgent::create(io, config, std::move(call_id), breaker);
    EXPECT_TRUE(made) << made.error().message;
    return made ? std::move(*made) : nullptr;
  }
  void finish(HttpReplySink& sink) {
    ASSERT_TRUE(run_until(io, [&] { return sink.done.has_value(); }));
  }
};

TEST(HttpAgent, JsonReplyIsSpokenAndItsDirectiveReturned) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t index, const net::HttpRequest&) {
    return index == 0 ? json(R"({"text": "Welcome. Sales or support?", "expected": ["Sales", "support!"]})")
                      : json(R"({"text": "Bye.", "action": "hangup"})");
  });
  auto config = quick(server.url());
  config.headers = {{"Authorization", "Bearer secret"}};
  auto agent = f.agent(config);

  HttpReplySink greeting;
  agent->start(greeting);
  f.finish(greeting);
  HttpReplySink turn;
  agent->respond(AgentTurn{"", '5'}, turn);
  f.finish(turn);

  EXPECT_EQ(greeting.said(), std::vector<std::string>{"Welcome. Sales or support?"});
  ASSERT_TRUE(*greeting.done) << greeting.done->error().message;
  EXPECT_EQ((*greeting.done)->action, AgentAction::Continue);
  EXPECT_EQ((*greeting.done)->expected, (std::vector<std::string>{"sales", "support"}));
  ASSERT_TRUE(*turn.done) << turn.done->error().message;
  EXPECT_EQ(turn.said(), std::vector<std::string>{"Bye."});
  EXPECT_EQ((*turn.done)->action, AgentAction::Hangup);

  ASSERT_EQ(server.requests().size(), 2U);
  const auto& first = server.requests()[0];
  EXPECT_EQ(first.method(), http::verb::post);
  EXPECT_EQ(first.target(), "/agent");
  EXPECT_EQ(first[http::field::content_type], "application/json");
  EXPECT_EQ(first[http::field::authorization], "Bearer secret");
  EXPECT_EQ(server.request_json(0), boost::json::parse(R"({"call_id": "call-1@test", "seq": 1, "attempt": 1,
                                                          "kind": "start"})"));
  EXPECT_EQ(server.request_json(1), boost::json::parse(R"({"call_id": "call-1@test", "seq": 2, "attempt": 1,
                                                          "kind": "turn", "turn": {"transcript": "", "digit": "5"}})"));
}

TEST(HttpAgent, StreamedNdjsonReplyReachesTheSinkLineByLineBeforeTheBodyEnds) {
  Fixture f;
  PiecewiseServer server(
      f.io,
      {"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n" +
           chunk("{\"text\": \"One moment.\"}\n"),
       chunk("{\"text\": \"I am putting you through\"}\r\n{\"te") +
           chunk("xt\": \" to sales.\"}\n\n{\"action\": \"transfer\", "),
       chunk(R"("transfer_target": "sip:sales@example.com"})") + "0\r\n\r\n"},
      100ms);
  auto agent = f.agent(quick(server.url()));
  HttpReplySink sink([&server] { return server.written(); });

  agent->respond(AgentTurn{"sales please", std::nullopt}, sink);
  f.finish(sink);

  ASSERT_EQ(sink.texts.size(), 3U);
  EXPECT_EQ(sink.texts[0], std::make_pair(std::string("One moment."), std::size_t{1}))
      << "the first line was spoken while the server had sent only it";
  EXPECT_EQ(sink.texts[1].first, "I am putting you through");
  EXPECT_EQ(sink.texts[2].first, " to sales.");
  EXPECT_EQ(sink.texts[2].second, 2U) << "before the last piece";
  ASSERT_TRUE(*sink.done) << sink.done->error().message;
  EXPECT_EQ((*sink.done)->action, AgentAction::Transfer);
  EXPECT_EQ((*sink.done)->transfer_target, "sip:sales@example.com");
}

TEST(HttpAgent, SlowServerIsRetriedAndTheRetryAnswers) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t index, const net::HttpRequest&) {
    return index == 0 ? json(R"({"text": "late"})", 400ms) : json(R"({"text": "Here you are."})");
  });
  auto agent = f.agent(quick(server.url()));
  HttpReplySink sink;

  const auto started = std::chrono::steady_clock::now();
  agent->reprompt(sink);
  f.finish(sink);
  const auto took = std::chrono::steady_clock::now() - started;

  ASSERT_TRUE(*sink.done) << sink.done->error().message;
  EXPECT_EQ(sink.said(), std::vector<std::string>{"Here you are."});
  ASSERT_EQ(server.requests().size(), 2U);
  EXPECT_EQ(server.request_json(1).at("attempt"), 2);
  EXPECT_EQ(server.request_json(1).at("seq"), server.request_json(0).at("seq")) << "a retry repeats the turn";
  EXPECT_EQ(server.request_json(1).at("kind"), "reprompt");
  EXPECT_GE(took, 110ms) << "the 100 ms timeout, then 10 ms of back-off";
  EXPECT_LT(took, 400ms) << "not waiting for the slow answer";
  run_for(f.io, 400ms);  // the slow answer arrives for nobody
  EXPECT_EQ(sink.dones, 1);
  EXPECT_EQ(sink.texts.size(), 1U);
}

TEST(HttpAgent, ServerErrorsAreRetriedWithBackOffThenTheTurnFails) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t, const net::HttpRequest&) { return status(503); });
  auto config = quick(server.url());
  config.backoff = 40ms;
  config.max_backoff = 60ms;
  auto agent = f.agent(config);
  HttpReplySink sink;

  const auto started = std::chrono::steady_clock::now();
  agent->respond(AgentTurn{"hello", std::nullopt}, sink);
  f.finish(sink);
  const auto took = std::chrono::steady_clock::now() - started;

  ASSERT_FALSE(*sink.done);
  EXPECT_EQ(sink.done->error().message,
            "POST " + server.url() + R"( answered 503 Service Unavailable ({"error": "no"}) (attempt 3 of 3))");
  EXPECT_EQ(server.requests().size(), 3U);
  EXPECT_GE(took, 100ms) << "40 ms, then 60 ms (doubled, capped)";
  EXPECT_TRUE(sink.texts.empty());
  EXPECT_EQ(f.breaker->consecutive_failures(), 1);
}

TEST(HttpAgent, TooManyRequestsIsRetriedAndOtherClientErrorsAreNot) {
  Fixture f;
  ScriptedAgentServer server(
      f.io, [](std::size_t index, const net::HttpRequest&) { return index == 0 ? status(429) : status(404); });
  auto agent = f.agent(quick(server.url()));
  HttpReplySink sink;

  agent->start(sink);
  f.finish(sink);

  ASSERT_FALSE(*sink.done);
  EXPECT_EQ(server.requests().size(), 2U) << "429 retried once, then the 404 ends it";
  EXPECT_TRUE(contains(sink.done->error().message, "answered 404 Not Found")) << sink.done->error().message;
  EXPECT_TRUE(contains(sink.done->error().message, "(attempt 2 of 3), not retried")) << sink.done->error().message;
}

TEST(HttpAgent, AgentThatIsDownFailsTheTurnAfterTheRetries) {
  Fixture f;
  std::uint16_t closed = 0;
  {
    Tcp::acceptor probe(f.io, Tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    closed = probe.local_endpoint().port();
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(closed) + "/agent";
  auto agent = f.agent(quick(url));
  HttpReplySink sink;

  agent->start(sink);
  f.finish(sink);

  ASSERT_FALSE(*sink.done);
  EXPECT_EQ(sink.done->error().code, Errc::Io);
  EXPECT_TRUE(contains(sink.done->error().message, "POST " + url + ": connect")) << sink.done->error().message;
  EXPECT_TRUE(contains(sink.done->error().message, "(attempt 3 of 3)")) << sink.done->error().message;
}

TEST(HttpAgent, TimeoutOfTheLastAttemptSaysSo) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t, const net::HttpRequest&) { return hang(); });
  auto agent = f.agent(quick(server.url(), 1));
  HttpReplySink sink;

  agent->start(sink);
  f.finish(sink);

  ASSERT_FALSE(*sink.done);
  EXPECT_EQ(sink.done->error().code, Errc::Timeout);
  EXPECT_EQ(sink.done->error().message, "POST " + server.url() + " timed out after 100 ms (attempt 2 of 2)");
  EXPECT_EQ(server.requests().size(), 2U);
}

TEST(HttpAgent, ReplyTimeoutCapsAServerThatStallsAfterItsHead) {
  Fixture f;
  PiecewiseServer server(f.io, {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"},
                         2000ms);
  auto config = quick(server.url());
  config.reply_timeout = 300ms;
  auto agent = f.agent(config);
  HttpReplySink sink;

  const auto started = std::chrono::steady_clock::now();
  agent->start(sink);
  f.finish(sink);
  const auto took = std::chrono::steady_clock::now() - started;

  ASSERT_FALSE(*sink.done);
  EXPECT_EQ(sink.done->error().code, Errc::Timeout);
  EXPECT_TRUE(contains(sink.done->error().message, "no time left for another within the reply timeout of 300 ms"))
      << sink.done->error().message;
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1000ms);
}

TEST(HttpAgent, BreakerOpensAfterTheFailedTurnsAndThenFailsAtOnceWithoutARequest) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t, const net::HttpRequest&) { return status(500); });
  auto config = quick(server.url(), 0);
  config.breaker.failure_threshold = 2;
  auto agent = f.agent(config);
  auto other_call = f.agent(config, "call-2@test");  // the breaker is the process's, not the call's

  for (int turn = 0; turn < 2; ++turn) {
    HttpReplySink failed;
    agent->respond(AgentTurn{"hello", std::nullopt}, failed);
    f.finish(failed);
    ASSERT_FALSE(*failed.done);
  }
  EXPECT_EQ(f.breaker->state(), BreakerState::Open);
  HttpReplySink fast;
  other_call->respond(AgentTurn{"hello", std::nullopt}, fast);

  ASSERT_TRUE(fast.done.has_value()) << "answered at once";
  ASSERT_FALSE(*fast.done);
  EXPECT_EQ(fast.done->error().code, Errc::InvalidState);
  EXPECT_TRUE(contains(fast.done->error().message, "circuit open after 2 failed turns")) << fast.done->error().message;
  run_for(f.io, 50ms);
  EXPECT_EQ(server.requests().size(), 2U) << "no request while open";
}

TEST(HttpAgent, HalfOpenLetsOneTrialThroughWhoseSuccessClosesTheBreaker) {
  Fixture f;
  bool healthy = false;
  ScriptedAgentServer server(f.io, [&healthy](std::size_t, const net::HttpRequest&) {
    return healthy ? json(R"({"text": "Back."})", 50ms) : status(500);
  });
  auto config = quick(server.url(), 0);
  config.breaker.failure_threshold = 1;
  auto agent = f.agent(config);
  auto other_call = f.agent(config, "call-2@test");
  HttpReplySink failed;
  agent->start(failed);
  f.finish(failed);
  ASSERT_EQ(f.breaker->state(), BreakerState::Open);

  f.clock.advance(config.breaker.open_for);
  healthy = true;
  HttpReplySink trial;
  agent->start(trial);
  HttpReplySink meanwhile;
  other_call->start(meanwhile);  // while the trial is out
  ASSERT_TRUE(meanwhile.done.has_value());
  EXPECT_TRUE(contains(meanwhile.done->error().message, "circuit half-open")) << meanwhile.done->error().message;
  f.finish(trial);

  ASSERT_TRUE(*trial.done) << trial.done->error().message;
  EXPECT_EQ(trial.said(), std::vector<std::string>{"Back."});
  EXPECT_EQ(f.breaker->state(), BreakerState::Closed);
  EXPECT_EQ(server.requests().size(), 2U);
}

TEST(HttpAgent, FailedTrialOpensTheBreakerAgain) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t, const net::HttpRequest&) { return status(502); });
  auto config = quick(server.url(), 0);
  config.breaker.failure_threshold = 1;
  auto agent = f.agent(config);
  HttpReplySink first;
  agent->start(first);
  f.finish(first);

  f.clock.advance(config.breaker.open_for);
  HttpReplySink trial;
  agent->start(trial);
  f.finish(trial);
  HttpReplySink after;
  agent->start(after);

  EXPECT_EQ(server.requests().size(), 2U);
  EXPECT_EQ(f.breaker->state(), BreakerState::Open);
  ASSERT_TRUE(after.done.has_value() && !*after.done);
  EXPECT_TRUE(contains(after.done->error().message, "circuit open after 2 failed turns"))
      << after.done->error().message;
}

TEST(HttpAgent, StreamedReplyThatBreaksOffAfterItsFirstTextEndsWithoutARetry) {
  Fixture f;
  PiecewiseServer server(
      f.io,
      {"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n" +
       chunk("{\"text\": \"Let me check.\"}\n") + "40\r\n{\"text\": \"cut"},
      10ms);
  auto agent = f.agent(quick(server.url()));
  HttpReplySink sink;

  agent->start(sink);
  f.finish(sink);

  EXPECT_EQ(sink.said(), std::vector<std::string>{"Let me check."});
  ASSERT_FALSE(*sink.done);
  EXPECT_TRUE(contains(sink.done->error().message, "the streamed reply broke off")) << sink.done->error().message;
  EXPECT_EQ(f.breaker->consecutive_failures(), 1);
}

TEST(HttpAgent, MalformedRepliesFailTheTurnWithoutARetry) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t index, const net::HttpRequest&) {
    switch (index) {
      case 0: return json("not json");
      case 1: return json(R"({"text": 5})");
      case 2: return json(R"({"action": "dance"})");
      default: return json(R"({"text": "Hold on.", "action": "transfer"})");
    }
  });
  auto config = quick(server.url());
  config.breaker.failure_threshold = 0;
  auto agent = f.agent(config);
  std::vector<std::string> errors;
  for (int i = 0; i < 4; ++i) {
    HttpReplySink sink;
    agent->start(sink);
    f.finish(sink);
    ASSERT_FALSE(*sink.done);
    errors.push_back(sink.done->error().message);
  }

  EXPECT_EQ(server.requests().size(), 4U);
  EXPECT_TRUE(contains(errors[0], "the reply is malformed: not JSON")) << errors[0];
  EXPECT_TRUE(contains(errors[1], "\"text\" must be a string")) << errors[1];
  EXPECT_TRUE(contains(errors[2], "'dance' is not one of continue, hangup, transfer")) << errors[2];
  EXPECT_TRUE(contains(errors[3], "transfer needs a \"transfer_target\"")) << errors[3];
}

TEST(HttpAgent, NewTurnReplacesTheReplyUnderWay) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t index, const net::HttpRequest&) {
    return index == 0 ? hang() : json(R"({"text": "You pressed 2."})");
  });
  auto agent = f.agent(quick(server.url()));
  HttpReplySink first;
  agent->respond(AgentTurn{"", '1'}, first);
  ASSERT_TRUE(run_until(f.io, [&] { return server.requests().size() == 1; }));

  HttpReplySink second;
  agent->respond(AgentTurn{"", '2'}, second);
  f.finish(second);
  run_for(f.io, 200ms);  // past the first request's timeout

  EXPECT_EQ(first.dones, 0);
  EXPECT_TRUE(first.texts.empty());
  ASSERT_TRUE(*second.done);
  EXPECT_EQ(second.said(), std::vector<std::string>{"You pressed 2."});
  EXPECT_EQ(server.requests().size(), 2U);
}

TEST(HttpAgent, AgentDestroyedWhileItsRequestIsInFlightCallsNothing) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t, const net::HttpRequest&) { return json(R"({"text": "x"})", 50ms); });
  auto agent = f.agent(quick(server.url()));
  HttpReplySink sink;
  agent->start(sink);
  ASSERT_TRUE(run_until(f.io, [&] { return server.requests().size() == 1; }));

  agent.reset();
  run_for(f.io, 200ms);

  EXPECT_EQ(sink.dones, 0);
  EXPECT_TRUE(sink.texts.empty());
  EXPECT_EQ(f.breaker->consecutive_failures(), 0) << "an abandoned turn is no failure";
}

TEST(HttpAgent, ConfigurationIsValidated) {
  HttpAgentConfig config;
  EXPECT_EQ(validate(config).error().message, "url: required for the HTTP agent");
  config.url = "https://agent.example/turn";
  EXPECT_EQ(validate(config).error().code, Errc::Unsupported);
  config.url = "ftp://agent.example/turn";
  EXPECT_EQ(validate(config).error().code, Errc::InvalidArgument);
  config.url = "http://agent.example/turn";
  EXPECT_TRUE(validate(config));
  config.headers = {{"Bad Name", "x"}};
  EXPECT_TRUE(contains(validate(config).error().message, "'Bad Name' is not a header name"));
  config.headers = {{"X-Evil", "a\r\nInjected: 1"}};
  EXPECT_EQ(validate(config).error().message, "headers: X-Evil contains CR, LF or NUL");
  config.headers = {{"Content-Length", "3"}};
  EXPECT_EQ(validate(config).error().message, "headers: Content-Length is set by the HTTP client");
}

TEST(HttpAgent, ACommittedDraftIsTheTurnAndItsReplyGoesOn) {
  Fixture f;
  ScriptedAgentServer server(
      f.io, [](std::size_t, const net::HttpRequest&) { return json(R"({"text": "This is sales."})", 50ms); });
  auto agent = f.agent(quick(server.url()));
  ASSERT_TRUE(agent->can_draft());
  HttpReplySink sink;
  agent->draft(AgentTurn{"sales", std::nullopt}, sink);
  ASSERT_TRUE(run_until(f.io, [&] { return server.requests().size() == 1; }));
  agent->commit_draft();
  f.finish(sink);
  EXPECT_EQ(sink.said(), std::vector<std::string>{"This is sales."});
  EXPECT_EQ(server.request_json(0), boost::json::parse(R"({"call_id": "call-1@test", "seq": 1, "attempt": 1,
      "kind": "turn", "turn": {"transcript": "sales", "digit": null}, "draft": true})"));
  HttpReplySink next;
  agent->respond(AgentTurn{"", '1'}, next);
  f.finish(next);
  EXPECT_EQ(server.request_json(1).at("seq"), 2) << "the committed draft was turn 1";
  EXPECT_FALSE(server.request_json(1).contains("draft"));
}

TEST(HttpAgent, ACancelledDraftIsNeverAnsweredAndTheFinalTurnRepeatsItsSeq) {
  Fixture f;
  ScriptedAgentServer server(f.io, [](std::size_t index, const net::HttpRequest&) {
    return index == 0 ? json(R"({"text": "draft reply"})", 200ms) : json(R"({"text": "This is support."})");
  });
  auto agent = f.agent(quick(server.url()));
  HttpReplySink draft;
  agent->draft(AgentTurn{"sales", std::nullopt}, draft);
  ASSERT_TRUE(run_until(f.io, [&] { return server.requests().size() == 1; }));
  agent->cancel_draft();
  HttpReplySink final_turn;
  agent->respond(AgentTurn{"support", std::nullopt}, final_turn);
  f.finish(final_turn);
  run_for(f.io, 300ms);  // the draft's answer would have come by now
  EXPECT_EQ(draft.dones, 0);
  EXPECT_TRUE(draft.texts.empty());
  EXPECT_EQ(final_turn.said(), std::vector<std::string>{"This is support."});
  ASSERT_EQ(server.requests().size(), 2U);
  EXPECT_EQ(server.request_json(1).at("seq"), server.request_json(0).at("seq")) << "the final turn replaces the draft";
  EXPECT_FALSE(server.request_json(1).contains("draft"));
}

}  // namespace
}  // namespace voxgate::bot
