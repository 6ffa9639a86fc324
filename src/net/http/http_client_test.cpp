#include "net/http/http_client.hpp"
#include "support/io_run.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace voxgate::net {
namespace {

namespace beast_http = boost::beast::http;
using Tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using namespace std::chrono_literals;

using ReceivedRequest = beast_http::request<beast_http::string_body>;

// What the test server does with a request it has read.
struct CannedReply {
  unsigned status = 200;
  std::string body;
  HttpHeaderList headers;
  bool hang = false;  // keep the connection open and never answer
  std::string raw;    // when set, these bytes instead of a response, then close
  // When set, these bytes instead of a response, `gap` apart, then close.
  std::vector<std::string> pieces;
  std::chrono::milliseconds gap{0};
};

CannedReply reply(unsigned status, std::string body = {}, HttpHeaderList headers = {}) {
  CannedReply out;
  out.status = status;
  out.body = std::move(body);
  out.headers = std::move(headers);
  return out;
}
CannedReply no_reply() {
  CannedReply out;
  out.hang = true;
  return out;
}
CannedReply raw_reply(std::string bytes) {
  CannedReply out;
  out.raw = std::move(bytes);
  return out;
}
CannedReply piecewise_reply(std::vector<std::string> pieces, std::chrono::milliseconds gap) {
  CannedReply out;
  out.pieces = std::move(pieces);
  out.gap = gap;
  return out;
}

// Designated initializers would trip -Wmissing-field-initializers (GCC 12).
HttpRequestSpec spec(std::string url, beast_http::verb method = beast_http::verb::get, HttpHeaderList headers = {},
                     std::string body = {}) {
  HttpRequestSpec out;
  out.method = method;
  out.url = std::move(url);
  out.headers = std::move(headers);
  out.body = std::move(body);
  return out;
}

// An HTTP server on 127.0.0.1 (port 0) on the given io_context: one request
// per connection, answered as the handler says.
class TestHttpServer {
 public:
  using Handler = std::function<CannedReply(const ReceivedRequest&)>;

  TestHttpServer(boost::asio::io_context& io, Handler handler)
      : acceptor_(io, Tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)), handler_(std::move(handler)) {
    accept();
  }

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] std::string url(std::string_view target) const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(target);
  }
  [[nodiscard]] const std::vector<ReceivedRequest>& requests() const { return requests_; }
  // Pieces of piecewise replies written so far.
  [[nodiscard]] std::size_t pieces_written() const { return pieces_written_; }

 private:
  struct Connection {
    explicit Connection(Tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
    Tcp::socket socket;
    boost::asio::steady_timer timer;
    std::vector<std::string> pieces;
    std::chrono::milliseconds gap{0};
    boost::beast::flat_buffer buffer;
    ReceivedRequest request;
    beast_http::response<beast_http::string_body> response;
    std::string raw;
  };

  void accept() {
    acceptor_.async_accept([this](const ErrorCode& ec, Tcp::socket socket) {
      if (ec) return;
      serve(std::make_shared<Connection>(std::move(socket)));
      accept();
    });
  }

  void serve(const std::shared_ptr<Connection>& connection) {
    beast_http::async_read(connection->socket, connection->buffer, connection->request,
                           [this, connection](const ErrorCode& ec, std::size_t) {
                             if (ec) return;
                             requests_.push_back(connection->request);
                             answer(connection, handler_(connection->request));
                           });
  }

  void answer(const std::shared_ptr<Connection>& connection, CannedReply reply) {
    if (reply.hang) {
      hung_.push_back(connection);
      return;
    }
    auto close = [connection](const ErrorCode&, std::size_t) {
      ErrorCode ignored;
      connection->socket.shutdown(Tcp::socket::shutdown_send, ignored);
      connection->socket.close(ignored);
    };
    if (!reply.pieces.empty()) {
      connection->pieces = std::move(reply.pieces);
      connection->gap = reply.gap;
      write_piece(connection, 0);
      return;
    }
    if (!reply.raw.empty()) {
      connection->raw = std::move(reply.raw);
      boost::asio::async_write(connection->socket, boost::asio::buffer(connection->raw), close);
      return;
    }
    auto& response = connection->response;
    response.version(11);
    response.result(reply.status);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.body() = std::move(reply.body);
    response.keep_alive(false);
    response.prepare_payload();
    beast_http::async_write(connection->socket, response, close);
  }

  void write_piece(const std::shared_ptr<Connection>& connection, std::size_t index) {
    if (index == connection->pieces.size()) {
      ErrorCode ignored;
      connection->socket.shutdown(Tcp::socket::shutdown_send, ignored);
      connection->socket.close(ignored);
      return;
    }
    boost::asio::async_write(connection->socket, boost::asio::buffer(connection->pieces[index]),
                             [this, connection, index](const ErrorCode& ec, std::size_t) {
                               if (ec) return;
                               ++pieces_written_;
                               connection->timer.expires_after(connection->gap);
                               connection->timer.async_wait([this, connection, index](const ErrorCode& waited) {
                                 if (!waited) write_piece(connection, index + 1);
                               });
                             });
  }

  Tcp::acceptor acceptor_;
  Handler handler_;
  std::vector<ReceivedRequest> requests_;
  std::vector<std::shared_ptr<Connection>> hung_;
  std::size_t pieces_written_ = 0;
};

using test::run_for;
using test::run_until;

// Issues one request on `client` and runs `io` until it completes.
Result<HttpResponseData> perform(boost::asio::io_context& io, HttpClient& client, HttpRequestSpec spec,
                                 std::chrono::milliseconds timeout = 2000ms) {
  std::optional<Result<HttpResponseData>> outcome;
  client.request(std::move(spec), timeout, [&outcome](Result<HttpResponseData> r) { outcome = std::move(r); });
  EXPECT_TRUE(run_until(io, [&] { return outcome.has_value(); }));
  if (!outcome) return make_error(Errc::Internal, "no completion");
  return std::move(*outcome);
}

std::uint16_t closed_port(boost::asio::io_context& io) {
  Tcp::acceptor probe(io, Tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return probe.local_endpoint().port();  // closed again when probe goes
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST(HttpClient, GetRoundTripReturnsStatusHeadersAndBody) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return reply(200, "hello", {{"X-Test", "yes"}}); });
  HttpClient client(io);

  auto response = perform(io, client, spec(server.url("/v1/sessions?state=active")));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200U);
  EXPECT_EQ(response->reason, "OK");
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->header("x-test"), "yes");
  EXPECT_EQ(response->header("missing"), std::nullopt);
  ASSERT_EQ(server.requests().size(), 1U);
  const auto& seen = server.requests()[0];
  EXPECT_EQ(seen.method(), beast_http::verb::get);
  EXPECT_EQ(seen.target(), "/v1/sessions?state=active");
  EXPECT_EQ(seen[beast_http::field::host], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen[beast_http::field::connection], "close");
  EXPECT_EQ(seen[beast_http::field::user_agent], "voxgate");
  EXPECT_EQ(client.in_flight(), 0U);
}

TEST(HttpClient, PostSendsHeadersAndBodyWithContentLength) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return reply(201, "{}"); });
  HttpClient client(io);

  auto response = perform(io, client,
                          spec(server.url("/hook"), beast_http::verb::post,
                               {{"Content-Type", "application/json"}, {"X-Custom", "a b"}}, R"({"event":"x"})"));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 201U);
  ASSERT_EQ(server.requests().size(), 1U);
  const auto& seen = server.requests()[0];
  EXPECT_EQ(seen.method(), beast_http::verb::post);
  EXPECT_EQ(seen.body(), R"({"event":"x"})");
  EXPECT_EQ(seen[beast_http::field::content_length], "13");
  EXPECT_EQ(seen[beast_http::field::content_type], "application/json");
  EXPECT_EQ(seen["X-Custom"], "a b");
}

TEST(HttpClient, CallerGivenHostAndUserAgentReplaceTheDefaults) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return reply(200); });
  HttpClient client(io);

  auto response = perform(
      io, client, spec(server.url("/"), beast_http::verb::get, {{"Host", "api.example"}, {"User-Agent", "cli/1"}}));

  ASSERT_TRUE(response) << response.error().message;
  ASSERT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(server.requests()[0][beast_http::field::host], "api.example");
  EXPECT_EQ(server.requests()[0][beast_http::field::user_agent], "cli/1");
}

TEST(HttpClient, ErrorStatusIsAResponseNotAnError) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return reply(500, "oops"); });
  HttpClient client(io);

  auto response = perform(io, client, spec(server.url("/")));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 500U);
  EXPECT_EQ(response->body, "oops");
}

TEST(HttpClient, HostNameIsResolved) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return reply(200, "resolved"); });
  HttpClient client(io);

  // localhost may resolve to ::1 first; the server listens on 127.0.0.1
  // only, so this also proves the client tries the next address.
  auto response = perform(io, client, spec("http://localhost:" + std::to_string(server.port()) + "/"));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "resolved");
}

TEST(HttpClient, ServerThatNeverAnswersTimesOutOnTime) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return no_reply(); });
  HttpClient client(io);
  const auto url = server.url("/slow");

  const auto start = std::chrono::steady_clock::now();
  auto response = perform(io, client, spec(url), 150ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, Errc::Timeout);
  EXPECT_TRUE(contains(response.error().message, url)) << response.error().message;
  EXPECT_GE(elapsed, 140ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(HttpClient, RefusedConnectionIsAnIoErrorNamingTheUrl) {
  boost::asio::io_context io;
  HttpClient client(io);
  const auto url = "http://127.0.0.1:" + std::to_string(closed_port(io)) + "/x";

  auto response = perform(io, client, spec(url));

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, Errc::Io);
  EXPECT_TRUE(contains(response.error().message, url)) << response.error().message;
  EXPECT_TRUE(contains(response.error().message, "connect")) << response.error().message;
}

TEST(HttpClient, BodyOverTheLimitIsLimitExceededAndAtTheLimitIsRead) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest& request) {
    return reply(200, std::string(request.target() == "/big" ? 1025 : 1024, 'x'));
  });
  HttpClientConfig config;
  config.max_body_bytes = 1024;
  HttpClient client(io, config);

  auto at_limit = perform(io, client, spec(server.url("/fits")));
  auto over_limit = perform(io, client, spec(server.url("/big")));

  ASSERT_TRUE(at_limit) << at_limit.error().message;
  EXPECT_EQ(at_limit->body.size(), 1024U);
  ASSERT_FALSE(over_limit);
  EXPECT_EQ(over_limit.error().code, Errc::LimitExceeded);
}

TEST(HttpClient, InterimResponseIsSkippedForTheFinalOne) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) {
    return raw_reply("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok");
  });
  HttpClient client(io);

  auto response = perform(io, client, spec(server.url("/")));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 202U);
  EXPECT_EQ(response->body, "ok");
}

TEST(HttpClient, BodyWithoutLengthEndsWhenTheServerCloses) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) {
    return raw_reply("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  });
  HttpClient client(io);

  auto response = perform(io, client, spec(server.url("/")));

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "until the end");
}

TEST(HttpClient, ResponseToHeadHasNoBody) {
  boost::asio::io_context io;
  TestHttpServer server(
      io, [](const ReceivedRequest&) { return raw_reply("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"); });
  HttpClient client(io);

  auto response = perform(io, client, spec(server.url("/"), beast_http::verb::head), 1000ms);

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200U);
  EXPECT_EQ(response->body, "");
}

TEST(HttpClient, MalformedOrTruncatedResponseIsAnIoError) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest& request) {
    return raw_reply(request.target() == "/garbage" ? "this is not HTTP\r\n\r\n"
                                                    : "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
  });
  HttpClient client(io);

  auto garbage = perform(io, client, spec(server.url("/garbage")));
  auto truncated = perform(io, client, spec(server.url("/truncated")));

  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, Errc::Io);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, Errc::Io);
}

TEST(HttpClient, InvalidRequestsFailLaterWithoutTouchingTheNetwork) {
  boost::asio::io_context io;
  HttpClient client(io);
  const std::vector<std::pair<HttpRequestSpec, Errc>> cases = {
      {spec("not a url"), Errc::InvalidArgument},
      {spec("https://example.com/"), Errc::Unsupported},
      {spec("http://127.0.0.1:9/", beast_http::verb::trace), Errc::Unsupported},
      {spec("http://127.0.0.1:9/", beast_http::verb::get, {{"X-Evil", "a\r\nInjected: 1"}}), Errc::InvalidArgument},
      {spec("http://127.0.0.1:9/", beast_http::verb::get, {{"Bad Name", "1"}}), Errc::InvalidArgument},
      {spec("http://127.0.0.1:9/", beast_http::verb::get, {{"Content-Length", "1"}}), Errc::InvalidArgument},
      {spec("http://127.0.0.1:9/", beast_http::verb::get, {{"connection", "keep-alive"}}), Errc::InvalidArgument},
  };
  for (const auto& [request, expected] : cases) {
    bool called = false;
    std::optional<Result<HttpResponseData>> outcome;
    client.request(request, 1000ms, [&](Result<HttpResponseData> r) {
      called = true;
      outcome = std::move(r);
    });
    EXPECT_FALSE(called) << "completion ran inside request() for " << request.url;
    ASSERT_TRUE(run_until(io, [&] { return called; }));
    ASSERT_FALSE(*outcome) << request.url;
    EXPECT_EQ(outcome->error().code, expected) << outcome->error().message;
  }
}

TEST(HttpClient, DestroyingTheClientCancelsWithoutCallingCompletions) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return no_reply(); });
  auto client = std::make_unique<HttpClient>(io);
  int completions = 0;
  client->request(spec(server.url("/a")), 5000ms, [&](const Result<HttpResponseData>&) { ++completions; });
  client->request(spec("http://localhost:" + std::to_string(server.port()) + "/b"), 5000ms,
                  [&](const Result<HttpResponseData>&) { ++completions; });
  client->request(spec("bad"), 5000ms, [&](const Result<HttpResponseData>&) { ++completions; });
  ASSERT_TRUE(run_until(io, [&] { return server.requests().size() == 2; }));
  EXPECT_EQ(client->in_flight(), 2U);

  client.reset();
  run_for(io, 100ms);

  EXPECT_EQ(completions, 1);  // only the invalid URL's, before the reset
}

TEST(HttpClient, CompletionMayDestroyTheClient) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) { return reply(200); });
  auto client = std::make_unique<HttpClient>(io);
  bool done = false;
  client->request(spec(server.url("/")), 2000ms, [&](const Result<HttpResponseData>& response) {
    EXPECT_TRUE(response);
    client.reset();
    done = true;
  });

  ASSERT_TRUE(run_until(io, [&] { return done; }));
  EXPECT_EQ(client, nullptr);
}

// What a streamed request saw: the head, then each piece of the body with
// the number of pieces the server had written when it arrived.
struct Streamed {
  std::optional<HttpResponseData> head;
  std::vector<std::pair<std::string, std::size_t>> data;
  std::optional<Result<HttpResponseData>> outcome;
};

HttpRequestSpec streamed_spec(std::string url, Streamed& seen, const TestHttpServer& server) {
  auto out = spec(std::move(url), beast_http::verb::post, {}, "{}");
  out.on_head = [&seen](const HttpResponseData& head) { seen.head = head; };
  out.on_body_data = [&seen, &server](std::string_view data) {
    seen.data.emplace_back(std::string(data), server.pieces_written());
  };
  return out;
}

TEST(HttpClient, StreamedChunkedBodyReachesTheCallerPieceByPieceAsItArrives) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) {
    return piecewise_reply({"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n6\r\nfirst\n\r\n",
                            "7\r\nsecond\n\r\n", "0\r\n\r\n"},
                           80ms);
  });
  HttpClient client(io);
  Streamed seen;

  client.request(streamed_spec(server.url("/agent"), seen, server), 2000ms,
                 [&seen](Result<HttpResponseData> r) { seen.outcome = std::move(r); });
  ASSERT_TRUE(run_until(io, [&] { return seen.outcome.has_value(); }));

  ASSERT_TRUE(seen.head);
  EXPECT_EQ(seen.head->status, 200U);
  EXPECT_EQ(seen.head->header("content-type"), "application/x-ndjson");
  ASSERT_EQ(seen.data.size(), 2U);
  EXPECT_EQ(seen.data[0], std::make_pair(std::string("first\n"), std::size_t{1})) << "before the second was sent";
  EXPECT_EQ(seen.data[1], std::make_pair(std::string("second\n"), std::size_t{2}));
  ASSERT_TRUE(*seen.outcome) << seen.outcome->error().message;
  EXPECT_EQ((*seen.outcome)->status, 200U);
  EXPECT_EQ((*seen.outcome)->body, "") << "streamed, not accumulated";
  EXPECT_EQ(client.in_flight(), 0U);
}

TEST(HttpClient, StreamedBodyWithALengthOrUntilCloseIsHandedOverWhole) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest& request) {
    if (request.target() == "/length") {
      return piecewise_reply(
          {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello", " world"}, 20ms);
    }
    return raw_reply("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\nuntil the end");
  });
  HttpClient client(io);
  for (const std::string target : {"/length", "/close"}) {
    Streamed seen;
    client.request(streamed_spec(server.url(target), seen, server), 2000ms,
                   [&seen](Result<HttpResponseData> r) { seen.outcome = std::move(r); });
    ASSERT_TRUE(run_until(io, [&] { return seen.outcome.has_value(); }));
    ASSERT_TRUE(*seen.outcome) << seen.outcome->error().message;
    std::string body;
    for (const auto& [data, written] : seen.data) body += data;
    EXPECT_EQ(body, target == "/length" ? "hello world" : "until the end");
    EXPECT_EQ((*seen.outcome)->status, target == "/length" ? 200U : 503U);
    EXPECT_EQ(seen.head->status, (*seen.outcome)->status) << "the interim response is skipped";
  }
}

TEST(HttpClient, StreamedBodyCutShortIsAnErrorAfterThePiecesReceived) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) {
    return raw_reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
  });
  HttpClient client(io);
  Streamed seen;

  client.request(streamed_spec(server.url("/"), seen, server), 2000ms,
                 [&seen](Result<HttpResponseData> r) { seen.outcome = std::move(r); });
  ASSERT_TRUE(run_until(io, [&] { return seen.outcome.has_value(); }));

  ASSERT_EQ(seen.data.size(), 1U);
  EXPECT_EQ(seen.data[0].first, "abc");
  ASSERT_FALSE(*seen.outcome);
  EXPECT_EQ(seen.outcome->error().code, Errc::Io);
}

TEST(HttpClient, StreamingCallbackMayDestroyTheClient) {
  boost::asio::io_context io;
  TestHttpServer server(io, [](const ReceivedRequest&) {
    return piecewise_reply({"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc", "def"}, 20ms);
  });
  auto client = std::make_unique<HttpClient>(io);
  int pieces = 0;
  int completions = 0;
  auto request = spec(server.url("/"));
  request.on_body_data = [&](std::string_view) {
    ++pieces;
    client.reset();
  };
  client->request(std::move(request), 2000ms, [&](const Result<HttpResponseData>&) { ++completions; });

  ASSERT_TRUE(run_until(io, [&] { return client == nullptr; }));
  run_for(io, 100ms);
  EXPECT_EQ(pieces, 1);
  EXPECT_EQ(completions, 0);
}

TEST(HttpClient, FetchBlocksUntilTheResponseOnItsOwnLoop) {
  boost::asio::io_context server_io;
  TestHttpServer server(server_io, [](const ReceivedRequest&) { return reply(200, "fetched"); });
  auto guard = boost::asio::make_work_guard(server_io);
  std::thread server_thread([&server_io] { server_io.run(); });

  auto response = fetch(spec(server.url("/v1/sessions")), 2000ms);
  boost::asio::io_context probe_io;
  auto refused = fetch(spec("http://127.0.0.1:" + std::to_string(closed_port(probe_io)) + "/"), 2000ms);

  guard.reset();
  server_io.stop();
  server_thread.join();
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "fetched");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::Io);
}

}  // namespace
}  // namespace voxgate::net
