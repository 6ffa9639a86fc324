#pragma once
// The transport under a bot stream: a WebSocket (Twilio, L16) or a TCP
// connection of AudioSocket frames. On the call's loop; the callbacks come
// there too. Closing is always reported once through on_closed, except
// after detach().
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "base/result.hpp"
#include "bot/stream/stream_codec.hpp"

namespace voxgate::bot {

struct StreamConnectionCallbacks {
  std::function<void()> on_open;
  std::function<void(StreamMessage message)> on_message;
  std::function<void(const std::string& reason)> on_closed;
};

class StreamConnection {
 public:
  StreamConnection() = default;
  StreamConnection(const StreamConnection&) = delete;
  StreamConnection& operator=(const StreamConnection&) = delete;
  virtual ~StreamConnection() = default;

  virtual void send(StreamMessage message) = 0;
  // After what is queued.
  virtual void close() = 0;
  // The owner goes away: no more callbacks; the connection closes.
  virtual void detach() = 0;
};

struct StreamConnectionOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::string subprotocol;  // WebSocket only
};

// ws://host:port/path: a WebSocket; tcp://host:port: AudioSocket frames.
// An error for a URL that cannot be used (wss:// among them).
Result<std::unique_ptr<StreamConnection>> connect_stream(boost::asio::io_context& io, std::string_view url,
                                                         const StreamConnectionOptions& options,
                                                         StreamConnectionCallbacks callbacks);

}  // namespace voxgate::bot
