#pragma once
// The control plane's HTTP/1.1 server (Boost.Beast) on an io_context of its
// own, so API load never runs on a SIP worker loop (docs/ARCHITECTURE.md).
// It reads one request at a time per connection (keep-alive, no
// pipelining), bounds what it reads (header and body limits, a time limit
// per request, an idle limit between requests, a connection limit) and
// hands each request to one HttpHandler, which answers through a Reply, now
// or later. WebSocket upgrades go to the handler too, which accepts or
// refuses them.
//
//   HttpServer server(io, config, handler, log);
//   auto bound = server.start();   // the endpoint, port 0 resolved
//   io.run();                      // on the control plane's thread
//   server.stop();                 // on that thread, or after it returned

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/log.hpp"
#include "base/result.hpp"
#include "net/http/http_types.hpp"
#include "net/http/websocket_session.hpp"

namespace voxgate::net {

namespace detail {
class HttpConnection;
class ReplyState;
struct ServerShared;
}  // namespace detail

struct HttpServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  std::size_t max_header_bytes = std::size_t{16} * 1024;
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  std::chrono::milliseconds request_timeout{10000};  // to read one request, once it started
  std::chrono::milliseconds idle_timeout{60000};     // between requests on a keep-alive connection
  std::size_t max_connections = 1024;                // beyond: accepted and closed at once
  std::size_t websocket_max_queued_bytes = std::size_t{4} * 1024 * 1024;
};

// Answers one request: call it once, from any thread. A Reply dropped
// without being called answers 500, so a handler bug never hangs a client.
class Reply {
 public:
  explicit Reply(std::shared_ptr<detail::ReplyState> state) : state_(std::move(state)) {}
  void operator()(HttpResponse response) const;

 private:
  std::shared_ptr<detail::ReplyState> state_;
};

// A WebSocket upgrade request (RFC 6455 §4.2.1) awaiting the handler's
// decision: accept() completes the handshake, refuse() answers with an HTTP
// response instead. Dropping it unanswered refuses with 500.
class WebSocketUpgrade {
 public:
  WebSocketUpgrade(std::shared_ptr<detail::HttpConnection> connection, const HttpRequest& request);
  WebSocketUpgrade(WebSocketUpgrade&&) noexcept;
  WebSocketUpgrade& operator=(WebSocketUpgrade&&) = delete;
  WebSocketUpgrade(const WebSocketUpgrade&) = delete;
  WebSocketUpgrade& operator=(const WebSocketUpgrade&) = delete;
  ~WebSocketUpgrade();

  std::shared_ptr<WebSocketSession> accept(WebSocketCallbacks callbacks);
  void refuse(HttpResponse response);

 private:
  std::shared_ptr<detail::HttpConnection> connection_;
  const HttpRequest* request_;
};

class HttpHandler {
 public:
  HttpHandler() = default;
  HttpHandler(const HttpHandler&) = delete;
  HttpHandler& operator=(const HttpHandler&) = delete;
  virtual ~HttpHandler() = default;

  // On the server's io_context.
  virtual void on_request(HttpRequest request, Reply reply) = 0;
  virtual void on_websocket(const HttpRequest& request, WebSocketUpgrade upgrade) = 0;
};

struct HttpServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // over max_connections
  std::uint64_t requests = 0;
  std::uint64_t bad_requests = 0;  // unparseable or over a limit: answered 400/413/431 and closed
  std::uint64_t timeouts = 0;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerConfig config, HttpHandler& handler, Logger log);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  // Binds and listens; the bound endpoint (port 0 resolved). Io errors name
  // the address.
  Result<boost::asio::ip::tcp::endpoint> start();
  // Stops accepting and closes every connection.
  void stop();

  // On the io_context's thread.
  [[nodiscard]] const HttpServerStats& stats() const noexcept;

 private:
  void accept_next();

  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<detail::ServerShared> shared_;
};

}  // namespace voxgate::net
