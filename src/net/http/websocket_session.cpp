#include "net/http/websocket_session.hpp"

#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

namespace voxgate::net {

namespace {
namespace websocket = boost::beast::websocket;
}  // namespace

WebSocketSession::WebSocketSession(Stream stream, std::size_t max_queued_bytes, WebSocketCallbacks callbacks)
    : stream_(std::move(stream)), max_queued_bytes_(max_queued_bytes), callbacks_(std::move(callbacks)) {}

WebSocketSession::~WebSocketSession() = default;

void WebSocketSession::start(HttpRequest upgrade_request) {
  upgrade_request_ = std::move(upgrade_request);
  boost::beast::get_lowest_layer(stream_).expires_never();
  // Pings an idle peer and gives up on a dead one (Beast's suggested server
  // settings: 30 s handshake, 300 s idle with keep-alive pings).
  stream_.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
  stream_.text(true);
  stream_.async_accept(upgrade_request_, [self = shared_from_this()](boost::beast::error_code ec) {
    if (ec) return self->finish();
    if (!self->queue_.empty() && !self->writing_) self->write_next();
    self->read_next();
  });
}

void WebSocketSession::send(std::string text) {
  boost::asio::post(stream_.get_executor(),
                    [self = shared_from_this(), text = std::move(text)]() mutable { self->do_send(std::move(text)); });
}

void WebSocketSession::close() {
  boost::asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->closing_ || self->finished_) return;
    self->closing_ = true;
    if (!self->writing_ && self->stream_.is_open()) self->write_next();
  });
}

void WebSocketSession::do_send(std::string text) {
  if (closing_ || finished_) return;
  if (queued_bytes_ + text.size() > max_queued_bytes_) {
    // RFC 6455 §7.4.1: 1008, the endpoint received... here: the peer does
    // not keep up; it reconnects with its cursor.
    queue_.clear();
    queued_bytes_ = 0;
    closing_ = true;
    stream_.async_close(websocket::close_reason(websocket::close_code::policy_error, "client too slow"),
                        [self = shared_from_this()](boost::beast::error_code) { self->finish(); });
    return;
  }
  queued_bytes_ += text.size();
  queue_.push_back(std::move(text));
  if (!writing_ && stream_.is_open()) write_next();
}

void WebSocketSession::write_next() {
  if (finished_) return;
  if (queue_.empty()) {
    writing_ = false;
    if (closing_) {
      stream_.async_close(websocket::close_code::normal,
                          [self = shared_from_this()](boost::beast::error_code) { self->finish(); });
    }
    return;
  }
  writing_ = true;
  stream_.async_write(boost::asio::buffer(queue_.front()),
                      [self = shared_from_this()](boost::beast::error_code ec, std::size_t) {
                        if (self->finished_) return;
                        if (ec) return self->finish();
                        self->queued_bytes_ -= self->queue_.front().size();
                        self->queue_.pop_front();
                        self->write_next();
                      });
}

void WebSocketSession::read_next() {
  stream_.async_read(read_buffer_, [self = shared_from_this()](boost::beast::error_code ec, std::size_t) {
    if (ec) return self->finish();
    if (self->callbacks_.on_message) {
      self->callbacks_.on_message(boost::beast::buffers_to_string(self->read_buffer_.data()));
    }
    self->read_buffer_.consume(self->read_buffer_.size());
    self->read_next();
  });
}

void WebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  queue_.clear();
  boost::beast::error_code ignored;
  boost::beast::get_lowest_layer(stream_).socket().close(ignored);
  if (auto closed = std::move(callbacks_.on_closed)) closed();
  callbacks_ = {};
}

}  // namespace voxgate::net
