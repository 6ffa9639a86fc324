#include "bot/stream/stream_connection.hpp"

#include <array>
#include <deque>
#include <utility>

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "bot/stream/audiosocket_codec.hpp"
#include "net/http/url.hpp"
#include "net/http/websocket_client.hpp"

namespace voxgate::bot {
namespace {

using Tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;

class WebSocketStreamConnection final : public StreamConnection {
 public:
  explicit WebSocketStreamConnection(std::shared_ptr<net::WebSocketClient> socket) : socket_(std::move(socket)) {}
  ~WebSocketStreamConnection() override { socket_->detach(); }

  void send(StreamMessage message) override {
    if (message.binary) {
      socket_->send_binary(std::move(message.data));
    } else {
      socket_->send_text(std::move(message.data));
    }
  }
  void close() override { socket_->close(); }
  void detach() override { socket_->detach(); }

 private:
  std::shared_ptr<net::WebSocketClient> socket_;
};

// AudioSocket over TCP: whole frames in (header, then the payload it
// announces), frames out one write at a time.
class AudioSocketStream final : public std::enable_shared_from_this<AudioSocketStream> {
 public:
  AudioSocketStream(boost::asio::io_context& io, net::HttpUrl url, StreamConnectionCallbacks callbacks)
      : resolver_(io), socket_(io), timer_(io), url_(std::move(url)), callbacks_(std::move(callbacks)) {}

  void start(std::chrono::milliseconds timeout) {
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this()](const ErrorCode& ec) {
      if (!ec && !self->open_) self->fail("connect timed out");
    });
    resolver_.async_resolve(url_.host, std::to_string(url_.port), Tcp::resolver::numeric_service,
                            [self = shared_from_this()](const ErrorCode& ec, const Tcp::resolver::results_type& found) {
                              if (self->finished_) return;
                              if (ec) return self->fail(fmt::format("resolve: {}", ec.message()));
                              boost::asio::async_connect(
                                  self->socket_, found, [self](const ErrorCode& error, const Tcp::endpoint&) {
                                    if (self->finished_) return;
                                    if (error) {
                                      return self->fail(fmt::format("connect: {}", error.message()));
                                    }
                                    self->timer_.cancel();
                                    self->open_ = true;
                                    if (!self->detached_ && self->callbacks_.on_open) self->callbacks_.on_open();
                                    // on_open may have sent (and started writing).
                                    if (!self->writing_) self->write_next();
                                    self->read_header();
                                  });
                            });
  }

  void send(StreamMessage message) {
    if (finished_ || closing_) return;
    queue_.push_back(std::move(message.data));
    if (open_ && !writing_) write_next();
  }

  void close() {
    if (finished_ || closing_) return;
    closing_ = true;
    if (!open_) return fail("closed before it opened");
    if (!writing_) write_next();
  }

  void detach() {
    // Not cleared here: detach() may come from inside a callback.
    detached_ = true;
    close();
  }

 private:
  void write_next() {
    if (finished_) return;
    if (queue_.empty()) {
      writing_ = false;
      if (closing_) {
        ErrorCode ignored;
        socket_.shutdown(Tcp::socket::shutdown_send, ignored);
        finish("closed by us");
      }
      return;
    }
    writing_ = true;
    boost::asio::async_write(socket_, boost::asio::buffer(queue_.front()),
                             [self = shared_from_this()](const ErrorCode& ec, std::size_t) {
                               if (self->finished_) return;
                               if (ec) return self->fail(fmt::format("write: {}", ec.message()));
                               self->queue_.pop_front();
                               self->write_next();
                             });
  }

  void read_header() {
    boost::asio::async_read(
        socket_, boost::asio::buffer(header_), [self = shared_from_this()](const ErrorCode& ec, std::size_t) {
          if (self->finished_) return;
          if (ec == boost::asio::error::eof) return self->fail("closed by the peer");
          if (ec) return self->fail(fmt::format("read: {}", ec.message()));
          self->frame_.assign(reinterpret_cast<const char*>(self->header_.data()), self->header_.size());
          self->frame_.resize(kAudioSocketHeaderBytes + audiosocket_payload_length(self->header_));
          self->read_payload();
        });
  }

  void read_payload() {
    auto payload =
        boost::asio::buffer(frame_.data() + kAudioSocketHeaderBytes, frame_.size() - kAudioSocketHeaderBytes);
    boost::asio::async_read(socket_, payload, [self = shared_from_this()](const ErrorCode& ec, std::size_t) {
      if (self->finished_) return;
      if (ec) return self->fail(fmt::format("read: {}", ec.message()));
      if (!self->detached_ && self->callbacks_.on_message)
        self->callbacks_.on_message(StreamMessage{true, std::move(self->frame_)});
      self->frame_.clear();
      if (!self->finished_) self->read_header();
    });
  }

  void fail(const std::string& reason) {
    ErrorCode ignored;
    resolver_.cancel();
    socket_.close(ignored);
    finish(reason);
  }

  void finish(const std::string& reason) {
    if (finished_) return;
    finished_ = true;
    open_ = false;
    timer_.cancel();
    queue_.clear();
    auto on_closed = std::move(callbacks_.on_closed);
    if (on_closed && !detached_) on_closed(fmt::format("tcp://{}: {}", url_.authority(), reason));
  }

  Tcp::resolver resolver_;
  Tcp::socket socket_;
  boost::asio::steady_timer timer_;
  net::HttpUrl url_;
  StreamConnectionCallbacks callbacks_;
  std::array<std::uint8_t, kAudioSocketHeaderBytes> header_{};
  std::string frame_;
  std::deque<std::string> queue_;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool detached_ = false;  // no more callbacks
};

class AudioSocketConnection final : public StreamConnection {
 public:
  explicit AudioSocketConnection(std::shared_ptr<AudioSocketStream> stream) : stream_(std::move(stream)) {}
  ~AudioSocketConnection() override { stream_->detach(); }

  void send(StreamMessage message) override { stream_->send(std::move(message)); }
  void close() override { stream_->close(); }
  void detach() override { stream_->detach(); }

 private:
  std::shared_ptr<AudioSocketStream> stream_;
};

}  // namespace

Result<std::unique_ptr<StreamConnection>> connect_stream(boost::asio::io_context& io, std::string_view url,
                                                         const StreamConnectionOptions& options,
                                                         StreamConnectionCallbacks callbacks) {
  constexpr std::string_view kTcp = "tcp://";
  if (url.substr(0, kTcp.size()) == kTcp) {
    auto parsed = net::parse_http_url(fmt::format("http://{}", url.substr(kTcp.size())));
    if (!parsed) return make_error(parsed.error().code, "{}: {}", url, parsed.error().message);
    auto stream = std::make_shared<AudioSocketStream>(io, std::move(*parsed), std::move(callbacks));
    stream->start(options.connect_timeout);
    return std::make_unique<AudioSocketConnection>(std::move(stream));
  }
  net::WebSocketClientOptions ws;
  ws.connect_timeout = options.connect_timeout;
  ws.subprotocol = options.subprotocol;
  net::WebSocketClientCallbacks forwarded;
  forwarded.on_open = std::move(callbacks.on_open);
  forwarded.on_closed = std::move(callbacks.on_closed);
  if (callbacks.on_message) {
    forwarded.on_message = [on_message = std::move(callbacks.on_message)](bool binary, std::string_view data) {
      on_message(StreamMessage{binary, std::string(data)});
    };
  }
  auto socket = net::WebSocketClient::create(io, url, std::move(ws), std::move(forwarded));
  if (!socket) return tl::unexpected(socket.error());
  return std::make_unique<WebSocketStreamConnection>(std::move(*socket));
}

}  // namespace voxgate::bot
