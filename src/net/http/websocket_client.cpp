#include "net/http/websocket_client.hpp"

#include <utility>

#include <fmt/format.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace voxgate::net {

namespace {
namespace websocket = boost::beast::websocket;
using ErrorCode = boost::beast::error_code;
}  // namespace

Result<HttpUrl> parse_ws_url(std::string_view text) {
  constexpr std::string_view kWs = "ws://";
  constexpr std::string_view kWss = "wss://";
  if (text.substr(0, kWss.size()) == kWss) {
    return make_error(Errc::Unsupported, "{}: wss:// is not supported yet (no TLS client)", text);
  }
  if (text.substr(0, kWs.size()) != kWs) {
    return make_error(Errc::InvalidArgument, "{}: not a ws:// URL", text);
  }
  auto url = parse_http_url(fmt::format("http://{}", text.substr(kWs.size())));
  if (!url) return make_error(url.error().code, "{}: {}", text, url.error().message);
  return url;
}

Result<std::shared_ptr<WebSocketClient>> WebSocketClient::create(boost::asio::io_context& io, std::string_view url,
                                                                 WebSocketClientOptions options,
                                                                 WebSocketClientCallbacks callbacks) {
  auto parsed = parse_ws_url(url);
  if (!parsed) return tl::unexpected(parsed.error());
  auto client = std::make_shared<WebSocketClient>(io, std::move(*parsed), std::move(options), std::move(callbacks));
  client->start();
  return client;
}

WebSocketClient::WebSocketClient(boost::asio::io_context& io, HttpUrl url, WebSocketClientOptions options,
                                 WebSocketClientCallbacks callbacks)
    : resolver_(io),
      stream_(io),
      url_(std::move(url)),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)) {}

WebSocketClient::~WebSocketClient() = default;

void WebSocketClient::start() {
  boost::beast::get_lowest_layer(stream_).expires_after(options_.connect_timeout);
  resolver_.async_resolve(
      url_.host, std::to_string(url_.port), boost::asio::ip::tcp::resolver::numeric_service,
      [self = shared_from_this()](const ErrorCode& ec, const boost::asio::ip::tcp::resolver::results_type& results) {
        if (self->finished_) return;
        if (ec) return self->fail(fmt::format("resolve {}: {}", self->url_.host, ec.message()));
        boost::beast::get_lowest_layer(self->stream_)
            .async_connect(results, [self](const ErrorCode& error, const auto& /*endpoint*/) {
              if (self->finished_) return;
              if (error) return self->fail(fmt::format("connect: {}", error.message()));
              // The decorator lives in the stream: it holds copies, not `self`
              // (that would be a cycle, and the client would never be freed).
              self->stream_.set_option(websocket::stream_base::decorator(
                  [user_agent = self->options_.user_agent,
                   subprotocol = self->options_.subprotocol](websocket::request_type& request) {
                    request.set(boost::beast::http::field::user_agent, user_agent);
                    if (!subprotocol.empty())
                      request.set(boost::beast::http::field::sec_websocket_protocol, subprotocol);
                  }));
              self->stream_.read_message_max(self->options_.max_message_bytes);
              self->stream_.async_handshake(self->url_.authority(), self->url_.target, [self](const ErrorCode& e) {
                if (self->finished_) return;
                if (e) return self->fail(fmt::format("handshake: {}", e.message()));
                boost::beast::get_lowest_layer(self->stream_).expires_never();
                self->stream_.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::client));
                self->open_ = true;
                if (!self->detached_ && self->callbacks_.on_open) self->callbacks_.on_open();
                if (!self->writing_) self->write_next();
                self->read_next();
              });
            });
      });
}

void WebSocketClient::send(bool binary, std::string data) {
  if (closing_ || finished_) return;
  if (queued_bytes_ + data.size() > options_.max_queued_bytes) {
    // RFC 6455 §7.4.1, 1008: the peer reads too slowly for the bound.
    queue_.clear();
    queued_bytes_ = 0;
    closing_ = true;
    stream_.async_close(websocket::close_reason(websocket::close_code::policy_error, "peer too slow"),
                        [self = shared_from_this()](const ErrorCode&) { self->finish("send queue over its bound"); });
    return;
  }
  queued_bytes_ += data.size();
  queue_.push_back(Outgoing{binary, std::move(data)});
  if (open_ && !writing_) write_next();
}

void WebSocketClient::close() {
  if (closing_ || finished_) return;
  closing_ = true;
  if (!open_) {
    // Still connecting: nothing to close gracefully.
    resolver_.cancel();
    boost::beast::get_lowest_layer(stream_).cancel();
    return finish("closed before it opened");
  }
  if (!writing_) write_next();
}

void WebSocketClient::detach() {
  // Not cleared here: detach() may come from inside a callback.
  detached_ = true;
  close();
}

void WebSocketClient::write_next() {
  if (finished_) return;
  if (queue_.empty()) {
    writing_ = false;
    if (closing_) {
      writing_ = true;  // the close is the last write
      stream_.async_close(websocket::close_code::normal,
                          [self = shared_from_this()](const ErrorCode&) { self->finish("closed by us"); });
    }
    return;
  }
  writing_ = true;
  stream_.binary(queue_.front().binary);
  stream_.async_write(boost::asio::buffer(queue_.front().data),
                      [self = shared_from_this()](const ErrorCode& ec, std::size_t /*bytes*/) {
                        if (self->finished_) return;
                        if (ec) return self->fail(fmt::format("write: {}", ec.message()));
                        self->queued_bytes_ -= self->queue_.front().data.size();
                        self->queue_.pop_front();
                        self->write_next();
                      });
}

void WebSocketClient::read_next() {
  stream_.async_read(read_buffer_, [self = shared_from_this()](const ErrorCode& ec, std::size_t /*bytes*/) {
    if (self->finished_) return;
    if (ec == websocket::error::closed) {
      const auto& reason = self->stream_.reason();
      return self->finish(fmt::format("closed by the peer ({}{}{})", static_cast<unsigned>(reason.code),
                                      reason.reason.empty() ? "" : " ", reason.reason.c_str()));
    }
    if (ec) return self->fail(fmt::format("read: {}", ec.message()));
    const bool binary = self->stream_.got_binary();
    const std::string data = boost::beast::buffers_to_string(self->read_buffer_.data());
    self->read_buffer_.consume(self->read_buffer_.size());
    if (!self->detached_ && self->callbacks_.on_message) self->callbacks_.on_message(binary, data);
    if (!self->finished_) self->read_next();
  });
}

void WebSocketClient::fail(const std::string& reason) {
  boost::beast::get_lowest_layer(stream_).close();
  finish(reason);
}

void WebSocketClient::finish(const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  open_ = false;
  queue_.clear();
  queued_bytes_ = 0;
  auto on_closed = std::move(callbacks_.on_closed);
  if (on_closed && !detached_) on_closed(fmt::format("ws://{}{}: {}", url_.authority(), url_.target, reason));
}

}  // namespace voxgate::net
