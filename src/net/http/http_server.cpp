#include "net/http/http_server.hpp"

#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace voxgate::net {

namespace beast = boost::beast;
using boost::asio::ip::tcp;

namespace detail {

struct ServerShared {
  HttpServerConfig config;
  HttpHandler* handler;  // nullptr once the server stopped
  Logger log;
  HttpServerStats stats;
  std::size_t open_connections = 0;
  std::vector<std::weak_ptr<HttpConnection>> connections;
};

// One client connection: read a request, hand it over, write the reply,
// read the next (or close).
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(tcp::socket socket, std::shared_ptr<ServerShared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->open_connections;
  }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;
  ~HttpConnection() { --shared_->open_connections; }

  void start() { read_header(shared_->config.request_timeout); }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  // Writes `response`, then reads the next request unless it closes.
  void write(HttpResponse response) {
    if (!stream_.socket().is_open()) return;
    response_ = std::make_unique<HttpResponse>(std::move(response));
    stream_.expires_after(shared_->config.request_timeout);
    http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      const bool close = ec || self->response_->need_eof();
      self->response_.reset();
      if (close) return self->close();
      self->read_header(self->shared_->config.idle_timeout);
    });
  }

  beast::tcp_stream& stream() noexcept { return stream_; }
  const HttpServerConfig& config() const noexcept { return shared_->config; }

 private:
  void read_header(std::chrono::milliseconds timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->config.max_header_bytes));
    parser_->body_limit(shared_->config.max_body_bytes);
    stream_.expires_after(timeout);
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->failed(ec);
      self->stream_.expires_after(self->shared_->config.request_timeout);
      http::async_read(self->stream_, self->buffer_, *self->parser_, [self](beast::error_code read_ec, std::size_t) {
        if (read_ec) return self->failed(read_ec);
        self->dispatch();
      });
    });
  }

  void dispatch();

  // A request that cannot be read: answer what can be answered, then close.
  void failed(beast::error_code ec) {
    if (ec == beast::error::timeout) {
      ++shared_->stats.timeouts;
      return close();
    }
    if (ec == http::error::end_of_stream || !stream_.socket().is_open() || !parser_->got_some()) {
      return close();
    }
    ++shared_->stats.bad_requests;
    http::status status = http::status::bad_request;
    std::string code = "INVALID_ARGUMENT";
    if (ec == http::error::body_limit) {
      status = http::status::payload_too_large;
      code = "PAYLOAD_TOO_LARGE";
    } else if (ec == http::error::header_limit) {
      status = http::status::request_header_fields_too_large;
      code = "HEADERS_TOO_LARGE";
    }
    HttpResponse response(status, 11);
    response.set(http::field::content_type, "application/json");
    response.keep_alive(false);
    response.body() = error_body(code, ec.message());
    response.prepare_payload();
    write(std::move(response));
  }

  beast::tcp_stream stream_;
  std::shared_ptr<ServerShared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::unique_ptr<HttpResponse> response_;
};

// Carries one reply back onto the connection's executor; answers 500 if
// the handler dropped it.
class ReplyState {
 public:
  explicit ReplyState(std::shared_ptr<HttpConnection> connection) : connection_(std::move(connection)) {}
  ReplyState(const ReplyState&) = delete;
  ReplyState& operator=(const ReplyState&) = delete;
  ~ReplyState() {
    if (connection_ == nullptr) return;
    HttpResponse response(http::status::internal_server_error, 11);
    response.set(http::field::content_type, "application/json");
    response.body() = error_body("INTERNAL", "the request was dropped without an answer");
    response.prepare_payload();
    send(std::move(response));
  }

  void send(HttpResponse response) {
    auto connection = std::move(connection_);
    if (connection == nullptr) return;  // answered already: a bug of the caller, ignored
    auto executor = connection->stream().get_executor();
    boost::asio::post(executor, [connection = std::move(connection), response = std::move(response)]() mutable {
      connection->write(std::move(response));
    });
  }

 private:
  std::shared_ptr<HttpConnection> connection_;
};

void HttpConnection::dispatch() {
  HttpHandler* handler = shared_->handler;
  if (handler == nullptr) return close();
  ++shared_->stats.requests;
  stream_.expires_never();  // the handler may take its time; the Reply answers
  if (beast::websocket::is_upgrade(parser_->get())) {
    handler->on_websocket(parser_->get(), WebSocketUpgrade(shared_from_this(), parser_->get()));
    return;
  }
  handler->on_request(parser_->release(), Reply(std::make_shared<ReplyState>(shared_from_this())));
}

}  // namespace detail

void Reply::operator()(HttpResponse response) const {
  state_->send(std::move(response));
}

WebSocketUpgrade::WebSocketUpgrade(std::shared_ptr<detail::HttpConnection> connection, const HttpRequest& request)
    : connection_(std::move(connection)), request_(&request) {}

WebSocketUpgrade::WebSocketUpgrade(WebSocketUpgrade&& other) noexcept
    : connection_(std::move(other.connection_)), request_(other.request_) {}

WebSocketUpgrade::~WebSocketUpgrade() {
  if (connection_ == nullptr) return;
  refuse(make_response(*request_, http::status::internal_server_error,
                       error_body("INTERNAL", "the upgrade was dropped without an answer")));
}

std::shared_ptr<WebSocketSession> WebSocketUpgrade::accept(WebSocketCallbacks callbacks) {
  auto connection = std::move(connection_);
  auto session =
      std::make_shared<WebSocketSession>(WebSocketSession::Stream(std::move(connection->stream())),
                                         connection->config().websocket_max_queued_bytes, std::move(callbacks));
  session->start(*request_);
  return session;
}

void WebSocketUpgrade::refuse(HttpResponse response) {
  auto connection = std::move(connection_);
  response.keep_alive(false);
  connection->write(std::move(response));
}

HttpServer::HttpServer(boost::asio::io_context& io, HttpServerConfig config, HttpHandler& handler, Logger log)
    : acceptor_(io),
      shared_(std::make_shared<detail::ServerShared>(
          detail::ServerShared{std::move(config), &handler, std::move(log), {}, 0, {}})) {}

HttpServer::~HttpServer() {
  stop();
}

Result<tcp::endpoint> HttpServer::start() {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(shared_->config.address, ec);
  if (ec) return make_error(Errc::InvalidArgument, "api address '{}' is not an IP address", shared_->config.address);
  const tcp::endpoint endpoint(address, shared_->config.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.close();
    return make_error(Errc::Io, "cannot listen for the API on {}:{}: {}", shared_->config.address, shared_->config.port,
                      ec.message());
  }
  const auto bound = acceptor_.local_endpoint(ec);
  accept_next();
  return bound;
}

void HttpServer::stop() {
  if (shared_->handler == nullptr) return;
  shared_->handler = nullptr;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : shared_->connections) {
    if (auto connection = weak.lock()) connection->close();
  }
  shared_->connections.clear();
}

const HttpServerStats& HttpServer::stats() const noexcept {
  return shared_->stats;
}

void HttpServer::accept_next() {
  acceptor_.async_accept([this, shared = shared_](boost::system::error_code ec, tcp::socket socket) {
    if (shared->handler == nullptr) return;  // stopped: `this` may be gone
    if (ec) {
      if (ec != boost::asio::error::operation_aborted) shared->log.warn("api: accept failed: {}", ec.message());
      if (acceptor_.is_open()) accept_next();
      return;
    }
    if (shared->open_connections >= shared->config.max_connections) {
      ++shared->stats.connections_refused;
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      ++shared->stats.connections_accepted;
      auto connection = std::make_shared<detail::HttpConnection>(std::move(socket), shared);
      std::erase_if(shared->connections, [](const auto& weak) { return weak.expired(); });
      shared->connections.push_back(connection);
      connection->start();
    }
    accept_next();
  });
}

}  // namespace voxgate::net
