#pragma once
// One accepted WebSocket connection of the HTTP server (RFC 6455): text
// frames out through a bounded queue written one at a time, frames in to a
// callback, and a clean close. It lives on the server's io_context; send()
// and close() may be called from any thread (they post there).
//
// A peer that reads too slowly for the queue's bound is closed with 1008
// (policy violation) rather than buffered without limit: an event stream
// client reconnects with its cursor and misses nothing still retained.

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "net/http/http_types.hpp"

namespace voxgate::net {

struct WebSocketCallbacks {
  std::function<void(std::string_view text)> on_message;  // may be empty
  std::function<void()> on_closed;                        // once, whatever closed it
};

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;

  WebSocketSession(Stream stream, std::size_t max_queued_bytes, WebSocketCallbacks callbacks);
  WebSocketSession(const WebSocketSession&) = delete;
  WebSocketSession& operator=(const WebSocketSession&) = delete;
  ~WebSocketSession();

  // Queues one text frame.
  void send(std::string text);
  // Closes with a normal close (1000) after what is queued.
  void close();

  // On the io_context (the server calls it): completes the handshake
  // with the client's upgrade request, then reads.
  void start(HttpRequest upgrade_request);

 private:
  void do_send(std::string text);
  void write_next();
  void read_next();
  void finish();

  Stream stream_;
  std::size_t max_queued_bytes_;
  WebSocketCallbacks callbacks_;
  HttpRequest upgrade_request_;  // kept for the asynchronous handshake
  boost::beast::flat_buffer read_buffer_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
};

}  // namespace voxgate::net
