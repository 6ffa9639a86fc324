#include "net/http/http_server.hpp"

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace voxgate::net {
namespace {

using boost::asio::ip::tcp;
namespace websocket = boost::beast::websocket;

// Answers /echo with the body, /later from another thread, /drop by
// dropping the Reply; accepts WebSocket upgrades to /ws (echoing frames)
// and refuses others with 403.
class TestHandler final : public HttpHandler {
 public:
  void on_request(HttpRequest request, Reply reply) override {
    const std::string target(request.target());
    if (target == "/later") {
      std::thread([request = std::move(request), reply] {
        reply(make_response(request, http::status::accepted, "later", "text/plain"));
      }).detach();
    } else if (target != "/drop") {
      reply(make_response(request, http::status::ok, request.body(), "text/plain"));
    }
  }
  void on_websocket(const HttpRequest& request, WebSocketUpgrade upgrade) override {
    if (request.target() != "/ws") return upgrade.refuse(make_response(request, http::status::forbidden, "no"));
    // The session keeps itself alive through its pending reads; the echo
    // callback holds it weakly (a strong capture would be a cycle).
    auto holder = std::make_shared<std::weak_ptr<WebSocketSession>>();
    *holder = upgrade.accept({[holder](std::string_view text) {
                                if (auto session = holder->lock()) session->send("echo:" + std::string(text));
                              },
                              nullptr});
  }
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void start(HttpServerConfig config) {
    config.port = 0;
    server_ = std::make_unique<HttpServer>(io_, config, handler_, Logger());
    auto bound = server_->start();
    ASSERT_TRUE(bound) << bound.error().message;
    endpoint_ = *bound;
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    boost::asio::post(io_, [this] { server_->stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }

  HttpResponse exchange(tcp::socket& socket, HttpRequest request) {
    request.prepare_payload();
    http::write(socket, request);
    HttpResponse response;
    http::read(socket, buffer_, response);
    return response;
  }
  tcp::socket connect() {
    tcp::socket socket(client_io_);
    socket.connect(endpoint_);
    return socket;
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  boost::asio::io_context client_io_;
  boost::beast::flat_buffer buffer_;
  TestHandler handler_;
  std::unique_ptr<HttpServer> server_;
  tcp::endpoint endpoint_;
  std::thread thread_;
};

HttpRequest post(std::string target, std::string body) {
  HttpRequest request(http::verb::post, target, 11);
  request.set(http::field::host, "localhost");
  request.body() = std::move(body);
  return request;
}

TEST_F(HttpServerTest, ServesSeveralRequestsOnOneKeepAliveConnection) {
  auto socket = connect();
  EXPECT_EQ(exchange(socket, post("/echo", "one")).body(), "one");
  EXPECT_EQ(exchange(socket, post("/echo", "two")).body(), "two");
}

TEST_F(HttpServerTest, AnswersFromAnotherThread) {
  auto socket = connect();
  const auto response = exchange(socket, post("/later", ""));
  EXPECT_EQ(response.result(), http::status::accepted);
  EXPECT_EQ(response.body(), "later");
}

TEST_F(HttpServerTest, DroppedReplyAnswers500) {
  auto socket = connect();
  const auto response = exchange(socket, post("/drop", ""));
  EXPECT_EQ(response.result(), http::status::internal_server_error);
  EXPECT_NE(response.body().find("\"code\":\"INTERNAL\""), std::string::npos);
  EXPECT_EQ(exchange(socket, post("/echo", "still open")).body(), "still open");
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413AndCloses) {
  auto socket = connect();
  auto request = post("/echo", std::string(2 * 1024 * 1024, 'x'));
  request.prepare_payload();
  // The server answers and closes once the header says too much: the rest
  // of our write may meet the closed connection (EPIPE), as a real
  // client's would. The answer is still there to read.
  boost::beast::error_code write_error;
  http::write(socket, request, write_error);
  if (write_error) {
    EXPECT_TRUE(write_error == boost::asio::error::broken_pipe || write_error == boost::asio::error::connection_reset)
        << write_error.message();
  }
  HttpResponse response;
  http::read(socket, buffer_, response);
  EXPECT_EQ(response.result(), http::status::payload_too_large);
  EXPECT_NE(response.body().find("PAYLOAD_TOO_LARGE"), std::string::npos);
}

TEST_F(HttpServerTest, GarbageIs400) {
  auto socket = connect();
  boost::asio::write(socket, boost::asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  HttpResponse response;
  http::read(socket, buffer_, response);
  EXPECT_EQ(response.result(), http::status::bad_request);
}

TEST_F(HttpServerTest, WebSocketUpgradeAcceptedAndFramesFlowBothWays) {
  websocket::stream<tcp::socket> ws(client_io_);
  ws.next_layer().connect(endpoint_);
  ws.handshake("localhost", "/ws");
  ws.write(boost::asio::buffer(std::string("hi")));
  boost::beast::flat_buffer buffer;
  ws.read(buffer);
  EXPECT_EQ(boost::beast::buffers_to_string(buffer.data()), "echo:hi");
  ws.close(websocket::close_code::normal);
}

TEST_F(HttpServerTest, WebSocketUpgradeRefusedWithTheHandlersResponse) {
  websocket::stream<tcp::socket> ws(client_io_);
  ws.next_layer().connect(endpoint_);
  websocket::response_type response;
  boost::beast::error_code ec;
  ws.handshake(response, "localhost", "/elsewhere", ec);
  EXPECT_TRUE(ec);
  EXPECT_EQ(response.result(), http::status::forbidden);
}

TEST(HttpServer, BusyPortIsAnIoErrorNamingTheAddress) {
  boost::asio::io_context io;
  TestHandler handler;
  HttpServerConfig config;
  config.port = 0;
  HttpServer first(io, config, handler, Logger());
  auto bound = first.start();
  ASSERT_TRUE(bound);
  config.port = bound->port();
  HttpServer second(io, config, handler, Logger());
  const auto refused = second.start();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::Io);
  EXPECT_NE(refused.error().message.find("127.0.0.1"), std::string::npos);
}

}  // namespace
}  // namespace voxgate::net
