#include "api/api_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/cdr/cdr_writer.hpp"
#include "api/metrics/prometheus_text.hpp"
#include "api/session_query.hpp"
#include "session/registry/in_memory_session_registry.hpp"
#include "support/temp_dir.hpp"

namespace voxgate::api {
namespace {

using boost::asio::ip::tcp;
using session::SessionId;
using S = session::SessionState;
using C = session::TransitionCause;
namespace websocket = boost::beast::websocket;

// Every wait of the test client is bounded by this: a server that does not
// answer fails the test instead of hanging it.
constexpr auto kTimeout = std::chrono::seconds(5);

// Runs `io` until `done` or kTimeout; whether it got done.
bool run_until(boost::asio::io_context& io, const bool& done) {
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_until(deadline);
  return done;
}

// The sessions' side, as the worker loops would be: commands are recorded
// and answered from a thread of its own with a configurable result;
// originate creates the session in the registry there and answers its id.
class FakeControl final : public SessionControl {
 public:
  struct Command {
    SessionId id;
    std::string call_id;
    SessionCommand command;
  };

  explicit FakeControl(session::SessionRegistry& registry) : registry_(registry) {}
  ~FakeControl() override { stop(); }

  void stop() {
    work_.reset();
    if (thread_.joinable()) thread_.join();
  }

  void originate(OriginateRequest request, Originated done) override {
    const std::lock_guard lock(mutex_);
    originated_.push_back(request);
    if (!originate_result_) {
      boost::asio::post(worker_,
                        [done = std::move(done), error = originate_result_.error()] { done(tl::unexpected(error)); });
      return;
    }
    boost::asio::post(worker_, [this, request = std::move(request), done = std::move(done)] {
      session::NewSession fields;
      fields.call_id = "originated-" + std::to_string(++originate_count_) + "@voxgate";
      fields.local_tag = "gw";
      fields.direction = session::Direction::Outbound;
      fields.local = {request.from.empty() ? "sip:voxgate@127.0.0.1" : request.from, ""};
      fields.remote = {request.target, ""};
      fields.metadata = request.metadata;
      auto record = registry_.create(std::move(fields));
      if (!record) return done(tl::unexpected(record.error()));
      done(record->id);
    });
  }

  void command(SessionId id, std::string call_id, SessionCommand command, Done done) override {
    const std::lock_guard lock(mutex_);
    commands_.push_back({id, std::move(call_id), std::move(command)});
    boost::asio::post(worker_, [done = std::move(done), result = command_result_] { done(result); });
  }

  void answer_commands_with(Result<void> result) {
    const std::lock_guard lock(mutex_);
    command_result_ = std::move(result);
  }
  void answer_originate_with(Result<void> result) {
    const std::lock_guard lock(mutex_);
    originate_result_ = std::move(result);
  }
  std::vector<Command> commands() const {
    const std::lock_guard lock(mutex_);
    return commands_;
  }
  std::vector<OriginateRequest> originated() const {
    const std::lock_guard lock(mutex_);
    return originated_;
  }

 private:
  session::SessionRegistry& registry_;
  mutable std::mutex mutex_;
  std::vector<Command> commands_;
  std::vector<OriginateRequest> originated_;
  Result<void> command_result_;
  Result<void> originate_result_;
  int originate_count_ = 0;  // worker thread only
  boost::asio::io_context worker_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(worker_);
  std::thread thread_{[this] { worker_.run(); }};  // last: starts once the rest exists
};

// One answer of the API, its body parsed when it is JSON.
struct Answer {
  net::HttpResponse response;
  boost::json::value json;

  [[nodiscard]] unsigned status() const { return response.result_int(); }
  [[nodiscard]] const boost::json::object& object() const {
    static const boost::json::object empty;
    return json.is_object() ? json.as_object() : empty;
  }
};

// A WebSocket client of /v1/events.
class EventClient {
 public:
  EventClient(boost::asio::io_context& io, tcp::endpoint endpoint) : io_(io), ws_(io), endpoint_(std::move(endpoint)) {}
  EventClient(const EventClient&) = delete;
  EventClient& operator=(const EventClient&) = delete;
  ~EventClient() { close(); }

  // The status of the upgrade's answer: 101, or the refusal's.
  unsigned connect(const std::string& target, const std::string& token = {}) {
    boost::beast::error_code ec;
    ws_.next_layer().connect(endpoint_, ec);
    if (ec) return 0;
    if (!token.empty()) {
      ws_.set_option(websocket::stream_base::decorator(
          [token](websocket::request_type& request) { request.set(http::field::authorization, "Bearer " + token); }));
    }
    bool done = false;
    ws_.async_handshake(response_, "127.0.0.1", target, [&](boost::beast::error_code error) {
      ec = error;
      done = true;
    });
    if (!wait(done)) return 0;
    open_ = !ec;
    return response_.result_int();
  }
  [[nodiscard]] const websocket::response_type& upgrade_response() const { return response_; }

  // The next event, parsed; null when none came within kTimeout.
  boost::json::value next() {
    boost::beast::flat_buffer buffer;
    boost::beast::error_code ec;
    bool done = false;
    ws_.async_read(buffer, [&](boost::beast::error_code error, std::size_t) {
      ec = error;
      done = true;
    });
    if (!wait(done) || ec) return nullptr;
    boost::system::error_code parse_error;
    auto value = boost::json::parse(boost::beast::buffers_to_string(buffer.data()), parse_error);
    return parse_error ? boost::json::value(nullptr) : value;
  }

  void close() {
    if (!open_) return;
    open_ = false;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](boost::beast::error_code) { done = true; });
    wait(done);
  }

 private:
  // Waits for `done`; on a timeout closes the socket and lets the aborted
  // handler run, so nothing refers to this frame afterwards.
  bool wait(const bool& done) {
    if (run_until(io_, done)) return true;
    boost::beast::error_code ignored;
    ws_.next_layer().close(ignored);
    io_.restart();
    io_.run_for(std::chrono::milliseconds(100));
    open_ = false;
    return false;
  }

  boost::asio::io_context& io_;
  websocket::stream<tcp::socket> ws_;
  tcp::endpoint endpoint_;
  websocket::response_type response_;
  bool open_ = false;
};

session::NewSession new_session(const std::string& caller, session::Direction direction,
                                session::Metadata metadata = {}) {
  session::NewSession fields;
  fields.call_id = caller + "-call@host";
  fields.local_tag = "ours";
  fields.direction = direction;
  fields.local = {"sip:gateway@voxgate.example", ""};
  fields.remote = {"sip:" + caller + "@example.com", caller};
  fields.metadata = std::move(metadata);
  return fields;
}

std::string id_text(SessionId id) {
  return std::to_string(id.value());
}

// A JSON string's text; anything else serialised, so a mismatch reads well.
std::string text_of(const boost::json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value);
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(settings()); }
  virtual ApiSettings settings() const { return {}; }
  virtual std::size_t journal_capacity() const { return 1000; }

  void start(ApiSettings api_settings) {
    auto registry = session::InMemorySessionRegistry::create(clock_);
    ASSERT_TRUE(registry);
    registry_ = std::move(*registry);
    auto writer = CdrWriter::open(dir_ / "cdrs.db", Logger());
    ASSERT_TRUE(writer) << writer.error().message;
    cdrs_ = std::move(*writer);
    control_ = std::make_unique<FakeControl>(*registry_);
    journal_ = std::make_unique<EventJournal>(*registry_, clock_, journal_capacity(), [this] {
      if (auto* api = api_for_journal_.load()) api->on_journal_appended();
    });
    ASSERT_TRUE(journal_->start());

    ApiDependencies deps{*registry_,
                         *control_,
                         *journal_,
                         cdrs_.get(),
                         [] { return outer_metrics(); },
                         [this] { return ready_.load(); }};
    api_ = std::make_unique<ApiServer>(io_, std::move(deps), std::move(api_settings), Logger());
    api_for_journal_ = api_.get();
    net::HttpServerConfig config;
    config.port = 0;
    http_ = std::make_unique<net::HttpServer>(io_, config, *api_, Logger());
    auto bound = http_->start();
    ASSERT_TRUE(bound) << bound.error().message;
    endpoint_ = *bound;
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (control_ != nullptr) control_->stop();
    if (thread_.joinable()) {
      boost::asio::post(io_, [this] { http_->stop(); });
      work_.reset();
      io_.stop();
      thread_.join();
    }
    api_for_journal_ = nullptr;
  }

  // What the rest of the gateway adds to /metrics.
  static std::string outer_metrics() {
    PrometheusText text;
    text.family("voxgate_test_calls_total", "Calls of the test's own.", MetricType::Counter);
    text.sample(3);
    return std::move(text).str();
  }

  Answer call(http::verb method, const std::string& target, std::string body = {}, const std::string& token = {}) {
    net::HttpRequest request(method, target, 11);
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    request.body() = std::move(body);
    return send(std::move(request));
  }
  Answer get(const std::string& target, const std::string& token = {}) {
    return call(http::verb::get, target, {}, token);
  }

  // One request on a connection of its own; bounded by kTimeout.
  Answer send(net::HttpRequest request) {
    request.set(http::field::host, "127.0.0.1");
    request.keep_alive(false);
    request.prepare_payload();
    const std::string target(request.target());

    Answer answer;
    tcp::socket socket(client_io_);
    boost::beast::flat_buffer buffer;
    boost::beast::error_code ec;
    bool done = false;
    socket.async_connect(endpoint_, [&](boost::beast::error_code connected) {
      if ((ec = connected)) {
        done = true;
        return;
      }
      http::async_write(socket, request, [&](boost::beast::error_code written, std::size_t) {
        if ((ec = written)) {
          done = true;
          return;
        }
        http::async_read(socket, buffer, answer.response, [&](boost::beast::error_code received, std::size_t) {
          ec = received;
          done = true;
        });
      });
    });
    if (!run_until(client_io_, done)) {
      boost::beast::error_code ignored;
      socket.close(ignored);
      client_io_.restart();
      client_io_.run_for(std::chrono::milliseconds(100));
      ADD_FAILURE() << request.method_string() << " " << target << ": no answer within " << kTimeout.count() << " s";
      return answer;
    }
    EXPECT_FALSE(ec) << request.method_string() << " " << target << ": " << ec.message();
    boost::system::error_code parse_error;
    answer.json = boost::json::parse(answer.response.body(), parse_error);
    if (parse_error) answer.json = nullptr;
    return answer;
  }

  SessionId add(const std::string& caller, session::Direction direction = session::Direction::Inbound,
                session::Metadata metadata = {}) {
    auto record = registry_->create(new_session(caller, direction, std::move(metadata)));
    EXPECT_TRUE(record) << record.error().message;
    return record ? record->id : SessionId();
  }

  // The session ids of a page, in order.
  static std::vector<std::string> ids_in(const Answer& answer, std::string_view array = "sessions") {
    std::vector<std::string> ids;
    const auto* items = answer.object().if_contains(array);
    if (items == nullptr || !items->is_array()) return ids;
    for (const auto& item : items->as_array()) ids.emplace_back(item.at("id").as_string());
    return ids;
  }

  static std::vector<std::string> ids_of(std::initializer_list<SessionId> ids) {
    std::vector<std::string> texts;
    for (const auto id : ids) texts.push_back(id_text(id));
    return texts;
  }

  EventClient event_client() { return {client_io_, endpoint_}; }

  test::TempDir dir_{"voxgate-api"};
  ManualClock clock_;
  std::unique_ptr<session::InMemorySessionRegistry> registry_;
  std::unique_ptr<CdrWriter> cdrs_;
  boost::asio::io_context io_;
  std::unique_ptr<FakeControl> control_;
  std::atomic<ApiServer*> api_for_journal_{nullptr};
  std::unique_ptr<EventJournal> journal_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<ApiServer> api_;
  std::unique_ptr<net::HttpServer> http_;
  tcp::endpoint endpoint_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::thread thread_;
  boost::asio::io_context client_io_;
};

// An error answer: this status, and a JSON body of exactly code, message
// (some text) and details (an object).
void expect_error(const Answer& answer, unsigned status, std::string_view code) {
  EXPECT_EQ(answer.status(), status) << answer.response.body();
  EXPECT_EQ(answer.response[http::field::content_type], "application/json");
  ASSERT_TRUE(answer.json.is_object()) << answer.response.body();
  const auto& body = answer.json.as_object();
  EXPECT_EQ(body.size(), 3U) << answer.response.body();
  ASSERT_TRUE(body.contains("code") && body.contains("message") && body.contains("details")) << answer.response.body();
  EXPECT_EQ(text_of(body.at("code")), code) << answer.response.body();
  EXPECT_TRUE(body.at("message").is_string() && !body.at("message").as_string().empty());
  EXPECT_TRUE(body.at("details").is_object());
}

// --- GET /v1/sessions ----------------------------------------------------------

TEST_F(ApiServerTest, ListFiltersByStateMetadataAndDirection) {
  const SessionId ringing = add("alice", session::Direction::Inbound, {{"team", "a"}});
  const SessionId connected = add("bob", session::Direction::Inbound, {{"team", "b"}});
  const SessionId held = add("carol", session::Direction::Outbound, {{"team", "a"}, {"tier", "gold"}});
  const SessionId fresh = add("dave", session::Direction::Outbound);
  ASSERT_TRUE(registry_->update_state(ringing, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry_->update_state(connected, S::Connected, C::Answered));
  ASSERT_TRUE(registry_->update_state(held, S::Connected, C::Answered));
  ASSERT_TRUE(registry_->update_state(held, S::OnHold, C::HoldLocal));

  const auto all = get("/v1/sessions");
  EXPECT_EQ(all.status(), 200U) << all.response.body();
  EXPECT_EQ(ids_in(all), ids_of({ringing, connected, held, fresh}));
  EXPECT_TRUE(all.object().at("next_cursor").is_null());

  EXPECT_EQ(ids_in(get("/v1/sessions?state=on_hold")), ids_of({held}));
  EXPECT_EQ(ids_in(get("/v1/sessions?state=connected,ringing")), ids_of({ringing, connected}));
  EXPECT_EQ(ids_in(get("/v1/sessions?meta.team=a")), ids_of({ringing, held}));
  EXPECT_EQ(ids_in(get("/v1/sessions?meta.team=a&meta.tier=gold")), ids_of({held}));
  EXPECT_EQ(ids_in(get("/v1/sessions?direction=outbound")), ids_of({held, fresh}));
  EXPECT_EQ(ids_in(get("/v1/sessions?direction=inbound&meta.team=b")), ids_of({connected}));
  EXPECT_EQ(ids_in(get("/v1/sessions?from=alice%40")), ids_of({ringing}));
  EXPECT_TRUE(ids_in(get("/v1/sessions?state=terminated")).empty());
}

TEST_F(ApiServerTest, ListPagesThroughNextCursorReturningEverySessionOnce) {
  std::vector<std::string> expected;
  for (const char* caller : {"a", "b", "c", "d", "e"}) expected.push_back(id_text(add(caller)));

  std::vector<std::string> seen;
  std::string target = "/v1/sessions?limit=2";
  for (int page = 0; page < 10; ++page) {
    const auto answer = get(target);
    ASSERT_EQ(answer.status(), 200U) << answer.response.body();
    const auto ids = ids_in(answer);
    EXPECT_LE(ids.size(), 2U);
    seen.insert(seen.end(), ids.begin(), ids.end());
    const auto& cursor = answer.object().at("next_cursor");
    if (cursor.is_null()) break;
    ASSERT_TRUE(cursor.is_string());
    target = "/v1/sessions?limit=2&cursor=" + std::string(cursor.as_string());
  }
  EXPECT_EQ(seen, expected);
}

TEST_F(ApiServerTest, ListRejectsAnUnknownParameterAndABadLimit) {
  const auto typo = get("/v1/sessions?stat=connected");
  expect_error(typo, 400, "INVALID_ARGUMENT");
  EXPECT_NE(typo.object().at("message").as_string().find("stat"), std::string::npos);
  expect_error(get("/v1/sessions?limit=0"), 400, "INVALID_ARGUMENT");
  expect_error(get("/v1/sessions?state=OnHold"), 400, "INVALID_ARGUMENT");
  expect_error(get("/v1/sessions?from=%zz"), 400, "INVALID_ARGUMENT");
}

// --- GET /v1/sessions/{id} -------------------------------------------------------

TEST_F(ApiServerTest, GetAnswersTheSession) {
  const SessionId id = add("alice", session::Direction::Inbound, {{"team", "a"}});
  const auto answer = get("/v1/sessions/" + id_text(id));
  ASSERT_EQ(answer.status(), 200U) << answer.response.body();
  EXPECT_EQ(answer.response[http::field::content_type], "application/json");
  const auto& body = answer.object();
  EXPECT_EQ(text_of(body.at("id")), id_text(id));
  EXPECT_EQ(body.at("call_id"), "alice-call@host");
  EXPECT_EQ(body.at("state"), "initializing");
  EXPECT_EQ(body.at("from"), "sip:alice@example.com");
  EXPECT_EQ(body.at("metadata"), (boost::json::object{{"team", "a"}}));
  EXPECT_EQ(body.at("version"), 1);
}

TEST_F(ApiServerTest, GetOfAnUnknownIdIs404SessionNotFound) {
  expect_error(get("/v1/sessions/4242"), 404, "SESSION_NOT_FOUND");
}

TEST_F(ApiServerTest, GetOfANonNumericIdIs400) {
  expect_error(get("/v1/sessions/abc"), 400, "INVALID_ARGUMENT");
  expect_error(get("/v1/sessions/0"), 400, "INVALID_ARGUMENT");
}

// --- POST /v1/sessions -------------------------------------------------------------

TEST_F(ApiServerTest, PostOriginatesAndAnswers201WithTheNewSession) {
  const auto answer = call(http::verb::post, "/v1/sessions",
                           R"({"target": "sip:bob@127.0.0.1:5062", "from": "sip:alice@voxgate.example",
                               "app": {"name": "tone", "tone_hz": 1000}, "timeout_ms": 30000,
                               "metadata": {"team": "a", "ticket": "T-1"}})");
  ASSERT_EQ(answer.status(), 201U) << answer.response.body();
  const auto& body = answer.object();
  EXPECT_EQ(body.at("direction"), "outbound");
  EXPECT_EQ(body.at("to"), "sip:bob@127.0.0.1:5062");
  EXPECT_EQ(body.at("from"), "sip:alice@voxgate.example");
  EXPECT_EQ(body.at("metadata"), (boost::json::object{{"team", "a"}, {"ticket", "T-1"}}));

  auto id = parse_session_id(text_of(body.at("id")));
  ASSERT_TRUE(id);
  const auto record = registry_->get(*id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->metadata.at("ticket"), "T-1");

  const auto originated = control_->originated();
  ASSERT_EQ(originated.size(), 1U);
  EXPECT_EQ(originated[0].target, "sip:bob@127.0.0.1:5062");
  EXPECT_EQ(originated[0].from, "sip:alice@voxgate.example");
  EXPECT_EQ(originated[0].timeout, std::chrono::milliseconds(30000));
  ASSERT_TRUE(originated[0].app);
  EXPECT_EQ(originated[0].app->name, "tone");
  EXPECT_EQ(originated[0].app->tone_hz, 1000.0);
}

TEST_F(ApiServerTest, PostRejectsABadRequestWith400AndOriginatesNothing) {
  for (const std::string body :
       {R"({})", R"({"from": "sip:a@b"})", R"({"target": "tel:+15551234"})", R"({"target": "bob@127.0.0.1"})",
        R"({"target": 5})", R"({"target": "sip:b@c",)", R"(["sip:b@c"])",
        R"({"target": "sip:b@c", "metadata": {"n": 1}})", R"({"target": "sip:b@c", "metadata": "team=a"})",
        R"({"target": "sip:b@c", "app": "karaoke"})", R"({"target": "sip:b@c", "timeout_ms": 0})"}) {
    SCOPED_TRACE(body);
    expect_error(call(http::verb::post, "/v1/sessions", body), 400, "INVALID_ARGUMENT");
  }
  EXPECT_TRUE(control_->originated().empty());
}

TEST_F(ApiServerTest, PostAnswersTheControlsRefusal) {
  control_->answer_originate_with(make_error(Errc::LimitExceeded, "calls: 10 of 10"));
  expect_error(call(http::verb::post, "/v1/sessions", R"({"target": "sip:bob@127.0.0.1"})"), 429, "LIMIT_EXCEEDED");
}

// --- PATCH /v1/sessions/{id} --------------------------------------------------------

TEST_F(ApiServerTest, PatchSetsAndRemovesMetadataAndAnswersTheNewVersion) {
  const SessionId id = add("alice", session::Direction::Inbound, {{"team", "a"}, {"tier", "gold"}});
  const auto answer = call(http::verb::patch, "/v1/sessions/" + id_text(id),
                           R"({"metadata": {"tier": null, "region": "eu", "absent": null}})");
  ASSERT_EQ(answer.status(), 200U) << answer.response.body();
  EXPECT_EQ(answer.object().at("metadata"), (boost::json::object{{"team", "a"}, {"region", "eu"}}));
  const auto record = registry_->get(id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->version, 3U);  // created, one removed, one set
  EXPECT_EQ(answer.object().at("version"), 3);
  EXPECT_TRUE(control_->commands().empty());
}

TEST_F(ApiServerTest, PatchRejectsOtherFieldsAndNonStringMetadataChangingNothing) {
  const SessionId id = add("alice", session::Direction::Inbound, {{"team", "a"}});
  const std::string target = "/v1/sessions/" + id_text(id);
  expect_error(call(http::verb::patch, target, R"({"call_id": "x"})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::patch, target, R"({"metadata": {"ok": "1", "n": 2}})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::patch, target, R"({"state": "ringing"})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::patch, "/v1/sessions/999", R"({"metadata": {"a": "b"}})"), 404, "SESSION_NOT_FOUND");
  EXPECT_EQ(registry_->get(id)->version, 1U);
}

TEST_F(ApiServerTest, PatchStateOnHoldSendsTheSessionAHoldCommand) {
  const SessionId id = add("alice");
  const auto answer = call(http::verb::patch, "/v1/sessions/" + id_text(id), R"({"state": "on_hold"})");
  EXPECT_EQ(answer.status(), 200U) << answer.response.body();
  EXPECT_EQ(text_of(answer.object().at("id")), id_text(id));
  const auto commands = control_->commands();
  ASSERT_EQ(commands.size(), 1U);
  EXPECT_EQ(commands[0].id, id);
  EXPECT_EQ(commands[0].call_id, "alice-call@host");
  EXPECT_EQ(commands[0].command.kind, SessionCommand::Kind::Hold);
}

// --- DELETE /v1/sessions/{id} ------------------------------------------------------

TEST_F(ApiServerTest, DeleteHangsUpWithTheReasonOfTheQueryAndAnswers204) {
  const SessionId id = add("alice");
  const auto answer = call(http::verb::delete_,
                           "/v1/sessions/" + id_text(id) + "?reason=SIP%3Bcause%3D200%3Btext%3D%22Call+completed%22");
  EXPECT_EQ(answer.status(), 204U) << answer.response.body();
  EXPECT_TRUE(answer.response.body().empty());
  const auto commands = control_->commands();
  ASSERT_EQ(commands.size(), 1U);
  EXPECT_EQ(commands[0].id, id);
  EXPECT_EQ(commands[0].command.kind, SessionCommand::Kind::Hangup);
  EXPECT_EQ(commands[0].command.reason, R"(SIP;cause=200;text="Call completed")");
}

TEST_F(ApiServerTest, DeleteOfAnEndedSessionIs409InvalidState) {
  const SessionId id = add("alice");
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::Remote, 0, "", C::HangupRemote}));
  expect_error(call(http::verb::delete_, "/v1/sessions/" + id_text(id)), 409, "INVALID_STATE");
  expect_error(call(http::verb::delete_, "/v1/sessions/777"), 404, "SESSION_NOT_FOUND");
  EXPECT_TRUE(control_->commands().empty());
}

// --- POST /v1/sessions/{id}/{action} -------------------------------------------------

TEST_F(ApiServerTest, DtmfActionSendsTheDigits) {
  const SessionId id = add("alice");
  const auto answer = call(http::verb::post, "/v1/sessions/" + id_text(id) + "/dtmf", R"({"digits": "1#A*"})");
  EXPECT_EQ(answer.status(), 200U) << answer.response.body();
  const auto commands = control_->commands();
  ASSERT_EQ(commands.size(), 1U);
  EXPECT_EQ(commands[0].command.kind, SessionCommand::Kind::Dtmf);
  EXPECT_EQ(commands[0].command.digits, "1#A*");
}

TEST_F(ApiServerTest, DtmfWithBadDigitsIs400AndAnUnknownActionIs404) {
  const SessionId id = add("alice");
  const std::string session = "/v1/sessions/" + id_text(id);
  expect_error(call(http::verb::post, session + "/dtmf", R"({"digits": "12x"})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, session + "/dtmf", R"({"digits": ""})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, session + "/dtmf", R"({})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, session + "/teleport", R"({})"), 404, "NOT_FOUND");
  expect_error(call(http::verb::post, "/v1/sessions/999/hold", R"({})"), 404, "SESSION_NOT_FOUND");
  EXPECT_TRUE(control_->commands().empty());
}

TEST_F(ApiServerTest, AnswerWithTheBotPassesItsProfileAndBareBotMeansTheDefaultProfile) {
  const SessionId id = add("alice");
  const std::string answer = "/v1/sessions/" + id_text(id) + "/answer";
  EXPECT_EQ(call(http::verb::post, answer, R"({"app": {"name": "bot", "profile": "sales"}})").status(), 200U);
  EXPECT_EQ(call(http::verb::post, answer, R"({"app": "bot"})").status(), 200U);
  const auto commands = control_->commands();
  ASSERT_EQ(commands.size(), 2U);
  EXPECT_EQ(commands[0].command.kind, SessionCommand::Kind::Answer);
  ASSERT_TRUE(commands[0].command.app);
  EXPECT_EQ(commands[0].command.app->name, "bot");
  EXPECT_EQ(commands[0].command.app->bot_profile, "sales");
  ASSERT_TRUE(commands[1].command.app);
  EXPECT_EQ(commands[1].command.app->bot_profile, "");
}

TEST_F(ApiServerTest, TheBotIsChosenOnlyWhenAnsweringAndAProfileOnlyForTheBot) {
  const SessionId id = add("alice");
  const std::string session = "/v1/sessions/" + id_text(id);
  expect_error(call(http::verb::post, session + "/app", R"({"app": "bot"})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, session + "/answer", R"({"app": {"name": "echo", "profile": "sales"}})"), 400,
               "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, session + "/answer", R"({"app": {"name": "bot", "profile": 7}})"), 400,
               "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, "/v1/sessions", R"({"target": "sip:b@c", "app": "bot"})"), 400,
               "INVALID_ARGUMENT");
  EXPECT_TRUE(control_->commands().empty());
  EXPECT_TRUE(control_->originated().empty());
}

TEST_F(ApiServerTest, SayQueuesTheTextAndAnswers202WithItsHandleNamedOrNumbered) {
  const SessionId id = add("alice");
  const std::string say = "/v1/sessions/" + id_text(id) + "/say";
  const auto named = call(http::verb::post, say, R"({"text": "Your order shipped.", "handle": "order-1"})");
  EXPECT_EQ(named.status(), 202U) << named.response.body();
  EXPECT_EQ(named.object().at("handle").as_string(), "order-1");
  const auto numbered = call(http::verb::post, say, R"({"text": "Hello."})");
  EXPECT_EQ(numbered.status(), 202U) << numbered.response.body();
  EXPECT_EQ(numbered.object().at("handle").as_string(), "say-1");
  const auto commands = control_->commands();
  ASSERT_EQ(commands.size(), 2U);
  EXPECT_EQ(commands[0].command.kind, SessionCommand::Kind::Say);
  EXPECT_EQ(commands[0].command.text, "Your order shipped.");
  EXPECT_EQ(commands[0].command.handle, "order-1");
  EXPECT_EQ(commands[1].command.handle, "say-1");
}

TEST_F(ApiServerTest, SayWithoutTextOrWithABadHandleIs400AndAnAppThatCannotSpeakIs422) {
  const SessionId id = add("alice");
  const std::string say = "/v1/sessions/" + id_text(id) + "/say";
  expect_error(call(http::verb::post, say, R"({})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, say, R"({"text": ""})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, say, R"({"text": "Hi.", "handle": "a/b"})"), 400, "INVALID_ARGUMENT");
  EXPECT_TRUE(control_->commands().empty());
  control_->answer_commands_with(make_error(Errc::Unsupported, "the app serving this call does not speak text"));
  expect_error(call(http::verb::post, say, R"({"text": "Hi."})"), 422, "UNSUPPORTED");
}

TEST_F(ApiServerTest, DeletingASayCancelsItByHandleAndAnUnknownHandleIs404) {
  const SessionId id = add("alice");
  const auto cancelled = call(http::verb::delete_, "/v1/sessions/" + id_text(id) + "/say/order-1");
  EXPECT_EQ(cancelled.status(), 202U) << cancelled.response.body();
  ASSERT_EQ(control_->commands().size(), 1U);
  EXPECT_EQ(control_->commands()[0].command.kind, SessionCommand::Kind::CancelSay);
  EXPECT_EQ(control_->commands()[0].command.handle, "order-1");
  control_->answer_commands_with(make_error(Errc::NotFound, "no say 'order-2' under way"));
  expect_error(call(http::verb::delete_, "/v1/sessions/" + id_text(id) + "/say/order-2"), 404, "NOT_FOUND");
}

TEST_F(ApiServerTest, ACommandTheSessionRefusesWithInvalidStateIs409) {
  const SessionId id = add("alice");
  control_->answer_commands_with(make_error(Errc::InvalidState, "session is Ringing: cannot hold"));
  const auto answer = call(http::verb::post, "/v1/sessions/" + id_text(id) + "/hold", R"({})");
  expect_error(answer, 409, "INVALID_STATE");
  EXPECT_EQ(answer.object().at("message"), "session is Ringing: cannot hold");
  expect_error(call(http::verb::patch, "/v1/sessions/" + id_text(id), R"({"state": "connected"})"), 409,
               "INVALID_STATE");
  ASSERT_EQ(control_->commands().size(), 2U);
  EXPECT_EQ(control_->commands()[1].command.kind, SessionCommand::Kind::Resume);
}

TEST_F(ApiServerTest, TransferSendsTheTargetAndIsAcceptedWith202) {
  const SessionId id = add("alice");
  const auto answer =
      call(http::verb::post, "/v1/sessions/" + id_text(id) + "/transfer", R"({"target": "sip:desk@example.com"})");
  EXPECT_EQ(answer.status(), 202U) << answer.response.body();
  EXPECT_EQ(answer.object().at("id").as_string(), id_text(id));
  const auto commands = control_->commands();
  ASSERT_EQ(commands.size(), 1U);
  EXPECT_EQ(commands[0].command.kind, SessionCommand::Kind::Transfer);
  EXPECT_EQ(commands[0].command.target, "sip:desk@example.com");
}

TEST_F(ApiServerTest, TransferToABadTargetIs400AnUnknownSessionIs404AndTheWrongStateIs409) {
  const SessionId id = add("alice");
  const std::string transfer = "/v1/sessions/" + id_text(id) + "/transfer";
  expect_error(call(http::verb::post, transfer, R"({})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, transfer, R"({"target": "http://example.com"})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, transfer, R"({"target": "sip:"})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, transfer, R"({"target": "sip:a@b>\r\nX: y"})"), 400, "INVALID_ARGUMENT");
  expect_error(call(http::verb::post, "/v1/sessions/999/transfer", R"({"target": "sip:desk@example.com"})"), 404,
               "SESSION_NOT_FOUND");
  EXPECT_TRUE(control_->commands().empty());
  control_->answer_commands_with(make_error(Errc::InvalidState, "session is Ringing: a transfer needs Connected"));
  expect_error(call(http::verb::post, transfer, R"({"target": "sip:desk@example.com"})"), 409, "INVALID_STATE");
}

// --- GET /v1/cdrs --------------------------------------------------------------------

CallDetailRecord cdr(std::uint64_t n, session::Direction direction, std::string team) {
  CallDetailRecord record;
  record.session_id = SessionId(n);
  record.call_id = "cdr-" + std::to_string(n) + "@host";
  record.direction = direction;
  record.local = {"sip:gateway@voxgate.example", ""};
  record.remote = {"sip:user" + std::to_string(n) + "@example.com", ""};
  record.created = Clock::WallTime(std::chrono::seconds(1'700'000'000 + n));
  record.answered = record.created + std::chrono::seconds(2);
  record.ended = *record.answered + std::chrono::seconds(10);
  record.duration = std::chrono::seconds(10);
  record.ended_by = session::EndedBy::Remote;
  record.cause = "hangup-remote";
  record.packets_sent = 500;
  record.metadata = {{"team", std::move(team)}};
  return record;
}

TEST_F(ApiServerTest, CdrsAreFilteredAndPaged) {
  cdrs_->submit(cdr(1, session::Direction::Inbound, "a"));
  cdrs_->submit(cdr(2, session::Direction::Outbound, "a"));
  cdrs_->submit(cdr(3, session::Direction::Inbound, "b"));
  cdrs_->submit(cdr(4, session::Direction::Inbound, "a"));
  cdrs_->submit(cdr(5, session::Direction::Outbound, "b"));
  cdrs_->flush();

  auto sessions_of = [](const Answer& answer) {
    std::vector<std::string> ids;
    for (const auto& item : answer.object().at("cdrs").as_array()) ids.emplace_back(item.at("session_id").as_string());
    return ids;
  };
  const auto inbound = get("/v1/cdrs?direction=inbound");
  ASSERT_EQ(inbound.status(), 200U) << inbound.response.body();
  EXPECT_EQ(sessions_of(inbound), (std::vector<std::string>{"1", "3", "4"}));
  const auto& first = inbound.object().at("cdrs").as_array().at(0).as_object();
  EXPECT_EQ(first.at("from"), "sip:user1@example.com");
  EXPECT_EQ(first.at("to"), "sip:gateway@voxgate.example");
  EXPECT_EQ(first.at("duration_seconds"), 10.0);
  EXPECT_EQ(first.at("cause"), "hangup_remote");
  EXPECT_EQ(first.at("rtp").at("packets_sent"), 500);
  EXPECT_EQ(sessions_of(get("/v1/cdrs?meta.team=a")), (std::vector<std::string>{"1", "2", "4"}));
  EXPECT_EQ(sessions_of(get("/v1/cdrs?meta.team=b&direction=outbound")), (std::vector<std::string>{"5"}));
  EXPECT_EQ(sessions_of(get("/v1/cdrs?session_id=3")), (std::vector<std::string>{"3"}));

  std::vector<std::string> seen;
  std::string target = "/v1/cdrs?limit=2";
  for (int page = 0; page < 10; ++page) {
    const auto answer = get(target);
    ASSERT_EQ(answer.status(), 200U) << answer.response.body();
    const auto ids = sessions_of(answer);
    EXPECT_LE(ids.size(), 2U);
    seen.insert(seen.end(), ids.begin(), ids.end());
    const auto& cursor = answer.object().at("next_cursor");
    if (cursor.is_null()) break;
    target = "/v1/cdrs?limit=2&cursor=" + std::string(cursor.as_string());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3", "4", "5"}));

  expect_error(get("/v1/cdrs?ended_by=nobody"), 400, "INVALID_ARGUMENT");
  expect_error(get("/v1/cdrs?colour=red"), 400, "INVALID_ARGUMENT");
}

// --- Routing, errors, operations -------------------------------------------------------

TEST_F(ApiServerTest, AnUnknownPathIs404NotFound) {
  expect_error(get("/nothing"), 404, "NOT_FOUND");
  expect_error(get("/v1/sessions/1/hold/now"), 404, "NOT_FOUND");
}

TEST_F(ApiServerTest, AMethodThePathDoesNotTakeIs405WithAllow) {
  const auto answer = call(http::verb::put, "/v1/sessions", "{}");
  expect_error(answer, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(answer.response[http::field::allow], "GET, POST");
  EXPECT_EQ(call(http::verb::put, "/v1/sessions/1").response[http::field::allow], "GET, PATCH, DELETE");
}

TEST_F(ApiServerTest, PlainGetOfTheEventStreamIs426) {
  expect_error(get("/v1/events"), 426, "INVALID_ARGUMENT");
}

TEST_F(ApiServerTest, HealthzAndReadyzAnswerAndReadyzIs503WhileNotReady) {
  EXPECT_EQ(get("/healthz").status(), 200U);
  EXPECT_EQ(get("/readyz").status(), 200U);
  ready_ = false;
  const auto draining = get("/readyz");
  EXPECT_EQ(draining.status(), 503U);
  EXPECT_EQ(draining.response.body(), "draining\n");
  EXPECT_EQ(get("/healthz").status(), 200U);
}

TEST_F(ApiServerTest, MetricsHaveTheApisOwnFamiliesAfterTheGatewaysOnes) {
  ASSERT_EQ(get("/v1/sessions").status(), 200U);
  ASSERT_EQ(get("/v1/sessions/99").status(), 404U);
  ASSERT_EQ(get("/nothing").status(), 404U);
  const auto answer = get("/metrics");
  ASSERT_EQ(answer.status(), 200U);
  EXPECT_EQ(answer.response[http::field::content_type], kPrometheusTextContentType);
  const std::string& text = answer.response.body();
  for (const std::string_view line :
       {"voxgate_test_calls_total 3", "# TYPE voxgate_api_requests_total counter",
        R"(voxgate_api_requests_total{route="GET /v1/sessions",status="200"} 1)",
        R"(voxgate_api_requests_total{route="GET /v1/sessions/{id}",status="404"} 1)",
        R"(voxgate_api_requests_total{route="unmatched",status="404"} 1)",
        "# TYPE voxgate_api_unauthorized_requests_total counter", "voxgate_api_unauthorized_requests_total 0",
        "# TYPE voxgate_api_request_duration_seconds histogram", "voxgate_api_request_duration_seconds_count 3",
        "# TYPE voxgate_api_event_streams gauge", "voxgate_api_event_streams 0"}) {
    EXPECT_NE(text.find(line), std::string::npos) << "no '" << line << "' in\n" << text;
  }
}

TEST_F(ApiServerTest, MetricsPassPromtoolCheck) {
  constexpr const char* kPromtool = "/usr/bin/promtool";
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << kPromtool << " is not installed";
  ASSERT_EQ(get("/v1/sessions").status(), 200U);
  ASSERT_EQ(get("/nothing").status(), 404U);
  const auto answer = get("/metrics");
  ASSERT_EQ(answer.status(), 200U);
  const auto file = dir_ / "metrics.txt";
  std::ofstream(file) << answer.response.body();
  const std::string command = std::string(kPromtool) + " check metrics < " + file.string() + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 512> chunk{};
  while (fgets(chunk.data(), chunk.size(), pipe) != nullptr) output += chunk.data();
  EXPECT_EQ(pclose(pipe), 0) << output << "\n" << answer.response.body();
}

// The OpenAPI document describes exactly the routes the server has: each
// (method, path) of its "paths" is a route, and each route is in "paths".
TEST_F(ApiServerTest, OpenApiPathsAreExactlyTheRoutes) {
  const auto answer = get("/v1/openapi.json");
  ASSERT_EQ(answer.status(), 200U);
  EXPECT_EQ(answer.response[http::field::content_type], "application/json");
  ASSERT_TRUE(answer.json.is_object()) << "not JSON";
  EXPECT_EQ(answer.object().at("openapi"), "3.0.3");

  static const std::set<std::string> methods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : answer.object().at("paths").as_object()) {
    for (const auto& [key, operation] : item.as_object()) {
      if (methods.contains(std::string(key))) documented.emplace(std::string(key), std::string(path));
    }
  }
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : api_->router().routes()) {
    std::string method(http::to_string(route.method));
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    routed.emplace(method, route.pattern);
  }
  for (const auto& route : routed) {
    EXPECT_TRUE(documented.contains(route)) << route.first << " " << route.second << " is not in the document";
  }
  for (const auto& operation : documented) {
    EXPECT_TRUE(routed.contains(operation)) << operation.first << " " << operation.second << " has no route";
  }
  EXPECT_FALSE(routed.empty());
}

TEST_F(ApiServerTest, AValidTraceparentIsEchoedOnTheAnswer) {
  const std::string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  net::HttpRequest request(http::verb::get, "/v1/sessions/42", 11);
  request.set("traceparent", traceparent);
  const auto answer = send(std::move(request));
  expect_error(answer, 404, "SESSION_NOT_FOUND");
  EXPECT_EQ(answer.response["traceparent"], traceparent);

  net::HttpRequest all_zero(http::verb::get, "/healthz", 11);
  all_zero.set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
  EXPECT_EQ(send(std::move(all_zero)).response.count("traceparent"), 0U);
}

// --- GET /v1/events (WebSocket) ----------------------------------------------------

// The events of `client` until one of type `until` for `id`, at most `max`.
std::vector<boost::json::value> events_until(EventClient& client, std::string_view until, SessionId id,
                                             std::size_t max = 20) {
  std::vector<boost::json::value> events;
  while (events.size() < max) {
    auto event = client.next();
    if (event.is_null()) break;
    events.push_back(event);
    if (text_of(event.at("type")) == until && text_of(event.at("session").at("id")) == id_text(id)) break;
  }
  return events;
}

std::vector<std::string> types_of(const std::vector<boost::json::value>& events) {
  std::vector<std::string> types;
  types.reserve(events.size());
  for (const auto& event : events) types.emplace_back(event.at("type").as_string());
  return types;
}

std::vector<std::uint64_t> seqs_of(const std::vector<boost::json::value>& events) {
  std::vector<std::uint64_t> seqs;
  seqs.reserve(events.size());
  for (const auto& event : events) seqs.push_back(event.at("seq").to_number<std::uint64_t>());
  return seqs;
}

TEST_F(ApiServerTest, EventStreamSendsSessionChangesInOrderWithIncreasingSeq) {
  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events"), 101U);
  const SessionId id = add("alice");
  ASSERT_TRUE(registry_->update_state(id, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry_->set_metadata(id, "team", "a"));
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::Remote, 0, "", C::Cancelled}));

  const auto events = events_until(client, "session.ended", id);
  EXPECT_EQ(types_of(events),
            (std::vector<std::string>{"session.created", "session.updated", "session.updated", "session.ended"}));
  const auto seqs = seqs_of(events);
  for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], seqs[i - 1] + 1);
  for (const auto& event : events) EXPECT_EQ(text_of(event.at("session").at("id")), id_text(id));
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[1].at("session").at("state"), "ringing");
  EXPECT_EQ(events[3].at("session").at("state"), "terminated");
  EXPECT_EQ(events[3].at("session").at("end").at("by"), "remote");
}

TEST_F(ApiServerTest, EventStreamCarriesCallEvents) {
  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events"), 101U);
  const SessionId id = add("alice");
  journal_->on_call_event({id, session::CallEventKind::Dtmf, clock_.wall_now(), "7", "inband", {}});
  const auto events = events_until(client, "call.dtmf", id);
  ASSERT_EQ(types_of(events), (std::vector<std::string>{"session.created", "call.dtmf"}));
  EXPECT_EQ(events[1].at("digit"), "7");
}

TEST_F(ApiServerTest, EventStreamFilterDeliversOnlyTheMatchingSessionsEvents) {
  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events?meta.team=a"), 101U);
  const SessionId other = add("bob", session::Direction::Inbound, {{"team", "b"}});
  const SessionId mine = add("alice", session::Direction::Inbound, {{"team", "a"}});
  ASSERT_TRUE(registry_->update_state(other, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry_->update_state(mine, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry_->end(other, {session::EndedBy::Remote, 0, "", C::Cancelled}));
  ASSERT_TRUE(registry_->end(mine, {session::EndedBy::Remote, 0, "", C::Cancelled}));

  // Every event of `other` comes before `mine` ended: had any been sent, it
  // would be here.
  const auto events = events_until(client, "session.ended", mine);
  EXPECT_EQ(types_of(events), (std::vector<std::string>{"session.created", "session.updated", "session.ended"}));
  for (const auto& event : events) EXPECT_EQ(text_of(event.at("session").at("id")), id_text(mine));
}

TEST_F(ApiServerTest, EventStreamSendsTheLastEventOfASessionThatStopsMatching) {
  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events?state=connected"), 101U);
  const SessionId id = add("alice");
  ASSERT_TRUE(registry_->update_state(id, S::Ringing, C::ProvisionalSent));  // not yet followed
  ASSERT_TRUE(registry_->update_state(id, S::Connected, C::Answered));
  ASSERT_TRUE(registry_->update_state(id, S::OnHold, C::HoldLocal));  // stops matching: still sent
  ASSERT_TRUE(registry_->set_metadata(id, "quiet", "yes"));           // not followed any more
  ASSERT_TRUE(registry_->update_state(id, S::Connected, C::ResumeLocal));
  ASSERT_TRUE(registry_->end(id, {session::EndedBy::Local, 0, "", C::HangupLocal}));

  const auto events = events_until(client, "session.ended", id);
  std::vector<std::string> states;
  states.reserve(events.size());
  for (const auto& event : events) states.emplace_back(event.at("session").at("state").as_string());
  EXPECT_EQ(states, (std::vector<std::string>{"connected", "on_hold", "connected", "terminated"}));
}

TEST_F(ApiServerTest, EventStreamResumesFromTheCursorWithExactlyWhatWasMissed) {
  std::uint64_t last_seen = 0;
  const SessionId first = [&] {
    auto client = event_client();
    EXPECT_EQ(client.connect("/v1/events"), 101U);
    const SessionId id = add("alice");
    const auto events = events_until(client, "session.created", id);
    EXPECT_EQ(events.size(), 1U);
    if (!events.empty()) last_seen = seqs_of(events).back();
    return id;
  }();  // the client closes here
  ASSERT_GT(last_seen, 0U);

  // While nobody listens.
  const SessionId second = add("bob");
  ASSERT_TRUE(registry_->update_state(first, S::Connected, C::Answered));
  ASSERT_TRUE(registry_->end(first, {session::EndedBy::Remote, 0, "", C::HangupRemote}));

  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events?cursor=" + std::to_string(last_seen)), 101U);
  const auto missed = events_until(client, "session.ended", first);
  EXPECT_EQ(types_of(missed), (std::vector<std::string>{"session.created", "session.updated", "session.ended"}));
  EXPECT_EQ(seqs_of(missed), (std::vector<std::uint64_t>{last_seen + 1, last_seen + 2, last_seen + 3}));
  ASSERT_EQ(missed.size(), 3U);
  EXPECT_EQ(text_of(missed[0].at("session").at("id")), id_text(second));

  // Then the live ones, nothing twice.
  const SessionId third = add("carol");
  const auto live = client.next();
  ASSERT_TRUE(live.is_object());
  EXPECT_EQ(live.at("seq"), last_seen + 4);
  EXPECT_EQ(text_of(live.at("session").at("id")), id_text(third));
}

TEST_F(ApiServerTest, EventStreamRefusesABadCursorOrFilterWith400) {
  auto client = event_client();
  EXPECT_EQ(client.connect("/v1/events?cursor=soon"), 400U);
  auto other = event_client();
  EXPECT_EQ(other.connect("/v1/events?colour=red"), 400U);
  auto elsewhere = event_client();
  EXPECT_EQ(elsewhere.connect("/v1/sessions"), 404U);
}

TEST_F(ApiServerTest, EventStreamsAreCountedInMetrics) {
  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events"), 101U);
  const auto text = get("/metrics").response.body();
  EXPECT_NE(text.find("voxgate_api_event_streams 1"), std::string::npos) << text;
}

// Holds the API's io_context in one task until released (or destroyed), so
// the journal can run ahead of the event streams.
class IoBlocker {
 public:
  explicit IoBlocker(boost::asio::io_context& io) {
    boost::asio::post(io, [released = released_.get_future().share()] { released.wait(); });
  }
  IoBlocker(const IoBlocker&) = delete;
  IoBlocker& operator=(const IoBlocker&) = delete;
  ~IoBlocker() { release(); }
  void release() {
    if (std::exchange(released_once_, true)) return;
    released_.set_value();
  }

 private:
  std::promise<void> released_;
  bool released_once_ = false;
};

class ApiServerSmallJournalTest : public ApiServerTest {
 protected:
  std::size_t journal_capacity() const override { return 4; }
};

TEST_F(ApiServerSmallJournalTest, ACursorOlderThanTheJournalKeepsGetsAGapThenWhatIsKept) {
  for (const char* caller : {"a", "b", "c", "d", "e", "f"}) add(caller);  // seq 1..6, 3..6 kept
  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events?cursor=1"), 101U);
  const auto gap = client.next();
  ASSERT_TRUE(gap.is_object());
  EXPECT_EQ(gap.at("type"), "journal.gap");
  EXPECT_EQ(gap.at("oldest"), 3);
  EXPECT_EQ(gap.at("cursor"), 1);
  std::vector<std::uint64_t> seqs;
  for (int i = 0; i < 4; ++i) {
    const auto event = client.next();
    ASSERT_TRUE(event.is_object());
    seqs.push_back(event.at("seq").to_number<std::uint64_t>());
  }
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{3, 4, 5, 6}));
}

TEST_F(ApiServerSmallJournalTest, AClientThatFellBehindWhileConnectedIsToldOfTheGap) {
  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events"), 101U);  // cursor 0: nothing yet
  {
    const IoBlocker blocked(io_);
    for (const char* caller : {"a", "b", "c", "d", "e", "f"}) add(caller);  // 1 and 2 dropped unsent
  }
  const auto gap = client.next();
  ASSERT_TRUE(gap.is_object());
  EXPECT_EQ(gap.at("type"), "journal.gap");
  EXPECT_EQ(gap.at("oldest"), 3);
  EXPECT_EQ(gap.at("cursor"), 0);
  const auto next = client.next();
  ASSERT_TRUE(next.is_object());
  EXPECT_EQ(next.at("seq"), 3);
}

// --- Bearer tokens ---------------------------------------------------------------------

constexpr const char* kToken = "token-a-0123456789abcdef";
constexpr const char* kOtherToken = "token-b-0123456789abcdef";

class ApiServerTokenTest : public ApiServerTest {
 protected:
  ApiSettings settings() const override { return ApiSettings{std::vector<std::string>{kToken, kOtherToken}}; }
};

TEST_F(ApiServerTokenTest, NoAuthorizationIs401WithWwwAuthenticate) {
  const auto answer = get("/v1/sessions");
  expect_error(answer, 401, "UNAUTHORIZED");
  EXPECT_EQ(answer.response[http::field::www_authenticate], R"(Bearer realm="voxgate")");
}

TEST_F(ApiServerTokenTest, AWrongTokenIs401) {
  expect_error(get("/v1/sessions", "token-a-0123456789abcdeF"), 401, "UNAUTHORIZED");
  expect_error(get("/v1/sessions", std::string(kToken) + "-and-more"), 401, "UNAUTHORIZED");
  expect_error(get("/metrics", "wrong"), 401, "UNAUTHORIZED");
  expect_error(call(http::verb::post, "/v1/sessions", R"({"target": "sip:b@c"})", "wrong"), 401, "UNAUTHORIZED");
  EXPECT_TRUE(control_->originated().empty());
}

TEST_F(ApiServerTokenTest, EveryConfiguredTokenIsAccepted) {
  EXPECT_EQ(get("/v1/sessions", kToken).status(), 200U);
  EXPECT_EQ(get("/v1/sessions", kOtherToken).status(), 200U);
  const auto text = get("/metrics", kToken).response.body();
  EXPECT_NE(text.find("voxgate_api_unauthorized_requests_total 0"), std::string::npos) << text;
}

TEST_F(ApiServerTokenTest, HealthzAndReadyzAreOpenWithoutAToken) {
  EXPECT_EQ(get("/healthz").status(), 200U);
  EXPECT_EQ(get("/readyz").status(), 200U);
}

// What the document declares open ("security": []) is exactly what answers
// without a token.
TEST_F(ApiServerTokenTest, TheDocumentsOpenOperationsAreExactlyThoseThatNeedNoToken) {
  const auto document = get("/v1/openapi.json", kToken);
  ASSERT_EQ(document.status(), 200U);
  const auto& everywhere = document.object().at("security").as_array();
  ASSERT_FALSE(everywhere.empty());
  std::size_t checked = 0;
  for (const auto& [path, item] : document.object().at("paths").as_object()) {
    for (const auto& [key, operation] : item.as_object()) {
      const auto method = http::string_to_verb(boost::algorithm::to_upper_copy(std::string(key)));
      if (method == http::verb::unknown) continue;  // "parameters"
      const auto* security = operation.as_object().if_contains("security");
      const bool open = security != nullptr && security->as_array().empty();
      std::string target(path);
      for (const auto* capture : {"{id}", "{action}"}) {
        if (const auto at = target.find(capture); at != std::string::npos) {
          target.replace(at, std::string_view(capture).size(), "1");
        }
      }
      const auto answer = call(method, target);
      EXPECT_EQ(answer.status() != 401, open)
          << key << " " << path << ": the document says " << (open ? "open" : "bearer") << ", the server answered "
          << answer.status();
      ++checked;
    }
  }
  EXPECT_EQ(checked, api_->router().routes().size());
}

TEST_F(ApiServerTokenTest, UnauthorizedRequestsAreCounted) {
  ASSERT_EQ(get("/v1/sessions").status(), 401U);
  ASSERT_EQ(get("/v1/sessions", "nope").status(), 401U);
  const auto text = get("/metrics", kToken).response.body();
  EXPECT_NE(text.find("voxgate_api_unauthorized_requests_total 2"), std::string::npos) << text;
}

TEST_F(ApiServerTokenTest, WebSocketUpgradeWithoutATokenIsRefusedWith401) {
  auto anonymous = event_client();
  EXPECT_EQ(anonymous.connect("/v1/events"), 401U);
  EXPECT_EQ(anonymous.upgrade_response()[http::field::www_authenticate], R"(Bearer realm="voxgate")");
  auto wrong = event_client();
  EXPECT_EQ(wrong.connect("/v1/events", "nope"), 401U);

  auto client = event_client();
  ASSERT_EQ(client.connect("/v1/events", kToken), 101U);
  const SessionId id = add("alice");
  const auto event = client.next();
  ASSERT_TRUE(event.is_object());
  EXPECT_EQ(text_of(event.at("session").at("id")), id_text(id));
}

}  // namespace
}  // namespace voxgate::api
