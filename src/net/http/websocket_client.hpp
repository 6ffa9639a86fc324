#pragma once
// A WebSocket client connection (RFC 6455) for calls out to a user's
// server: bot streaming (bot/stream) connects to the bot's ws:// URL. It
// lives on one io_context (the call's loop) and every method is called on
// that loop's thread. Text and binary messages out go through a bounded
// queue written one at a time; messages in go to a callback whole.
//
//   auto socket = WebSocketClient::create(io, "ws://127.0.0.1:8765/media", options, callbacks);
//   socket->send_text(R"({"event":"connected"})");
//   ...
//   socket->close();   // after what is queued: a normal close (1000)
//
// on_open comes once the handshake succeeded; on_closed exactly once
// whatever ended the connection (connect or handshake failure, the peer's
// close, an error, close()), with a reason a log can show. detach() drops
// the callbacks: the owner is going away and the connection closes on its
// own. wss:// is refused (Errc::Unsupported) until the client speaks TLS.

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "base/result.hpp"
#include "net/http/url.hpp"

namespace voxgate::net {

struct WebSocketClientOptions {
  std::chrono::milliseconds connect_timeout{3000};  // resolve + connect + handshake
  std::string subprotocol;                          // Sec-WebSocket-Protocol; "" for none
  std::size_t max_queued_bytes = std::size_t{4} << 20;
  std::size_t max_message_bytes = std::size_t{1} << 20;  // a larger message in closes with 1009
  std::string user_agent = "voxgate";
};

struct WebSocketClientCallbacks {
  std::function<void()> on_open;
  std::function<void(bool binary, std::string_view data)> on_message;
  std::function<void(const std::string& reason)> on_closed;
};

// "ws://host[:port]/path": the URL as HttpUrl (port 80 by default).
// Unsupported for wss://, InvalidArgument for anything else.
Result<HttpUrl> parse_ws_url(std::string_view text);

class WebSocketClient : public std::enable_shared_from_this<WebSocketClient> {
 public:
  using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;

  // Starts connecting at once. An error only for a URL that cannot be used.
  static Result<std::shared_ptr<WebSocketClient>> create(boost::asio::io_context& io, std::string_view url,
                                                         WebSocketClientOptions options,
                                                         WebSocketClientCallbacks callbacks);
  WebSocketClient(boost::asio::io_context& io, HttpUrl url, WebSocketClientOptions options,
                  WebSocketClientCallbacks callbacks);
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;
  ~WebSocketClient();

  // Queue one message; before on_open it waits for the handshake. A queue
  // over its bound closes the connection (1008): the peer does not keep up.
  void send_text(std::string text) { send(false, std::move(text)); }
  void send_binary(std::string data) { send(true, std::move(data)); }
  // A normal close (1000) after what is queued.
  void close();
  // Forget the callbacks and close.
  void detach();

  [[nodiscard]] bool open() const noexcept { return open_; }
  [[nodiscard]] std::size_t queued_bytes() const noexcept { return queued_bytes_; }

 private:
  struct Outgoing {
    bool binary = false;
    std::string data;
  };

  void start();
  void send(bool binary, std::string data);
  void write_next();
  void read_next();
  void fail(const std::string& reason);
  void finish(const std::string& reason);

  boost::asio::ip::tcp::resolver resolver_;
  Stream stream_;
  HttpUrl url_;
  WebSocketClientOptions options_;
  WebSocketClientCallbacks callbacks_;
  boost::beast::flat_buffer read_buffer_;
  std::deque<Outgoing> queue_;
  std::size_t queued_bytes_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool detached_ = false;  // no more callbacks
};

}  // namespace voxgate::net
