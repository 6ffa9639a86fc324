#pragma once
// One TCP connection (RFC 3261 §18.3), owned by one worker loop and touched
// only on it. Frames the input with StreamFramer, answers CRLF keep-alive
// pings (RFC 5626 §4.4.1), queues output, and closes itself on errors, on the
// idle and connect timeouts (checked by the loop's maintenance tick against
// the Clock) and when a buffer limit is exceeded. Lives in a shared_ptr so
// that completion handlers keep it alive after the owner forgets it.

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "sip/message/stream_framer.hpp"
#include "sip/transport/connection_limits.hpp"
#include "sip/transport/flow.hpp"
#include "sip/transport/message_transport.hpp"
#include "sip/transport/tcp_connection_state.hpp"
#include "sip/transport/transport_config.hpp"
#include "sip/transport/transport_stats.hpp"

namespace voxgate::sip {

class TcpConnection;

// Why a connection closed, for counters and logs.
enum class TcpCloseCause : std::uint8_t {
  PeerClosed,     // end of stream, reset, or an I/O error
  ConnectFailed,  // outbound connect refused, unreachable or timed out
  IdleTimeout,
  Overflow,  // input or output buffer limit
  BadFraming,
  Stopped,  // the transport is shutting down
};

// The upcalls of a connection to the loop that owns it.
class TcpConnectionEvents {
 public:
  virtual ~TcpConnectionEvents() = default;
  // One framed message.
  virtual void on_frame(TcpConnection& connection, std::string&& frame) = 0;
  // The stream cannot be framed any more (§18.3). `unframed` is the part of
  // the failing message in the last read (possibly empty or partial). The
  // decision: bytes to send before closing (a 400), or nullopt to close now.
  virtual std::optional<std::string> on_framing_error(TcpConnection& connection, std::string_view unframed,
                                                      const FramingError& error) = 0;
  // Called once, after the connection closed and its queued sends failed.
  virtual void on_closed(TcpConnection& connection, TcpCloseCause cause, const Error& reason) = 0;
};

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
 public:
  struct Context {
    const TcpConfig& config;
    const ParseLimits& limits;
    const Clock& clock;
    TransportCounters& counters;
    TcpConnectionEvents& events;
  };

  // An accepted connection from `remote`: starts Open.
  static std::shared_ptr<TcpConnection> accepted(boost::asio::ip::tcp::socket socket, ConnectionId id,
                                                 const Address& remote, const Context& context);
  // A connection we open to `remote`: starts Connecting; sends queue until
  // it is open.
  static std::shared_ptr<TcpConnection> connecting(boost::asio::io_context& io, ConnectionId id, const Address& remote,
                                                   const Context& context);

  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;
  ~TcpConnection();

  // Starts reading (accepted) or connecting (outbound).
  void start();

  // Queues `bytes`. Fails at once when the connection is closing or the
  // output limit would be exceeded (then the connection closes: a peer that
  // does not read is cut off). `on_failure` runs if the connection fails
  // before the bytes are written.
  Result<void> send(std::string bytes, SendFailureHandler on_failure = {});

  // Closes now; queued sends fail with `reason`.
  void close(TcpCloseCause cause, std::string_view reason);

  // Applies the idle and connect timeouts at `now`.
  void check_timeouts(Clock::TimePoint now);

  [[nodiscard]] ConnectionId id() const noexcept { return id_; }
  [[nodiscard]] ConnectionDirection direction() const noexcept { return direction_; }
  [[nodiscard]] TcpState state() const noexcept { return state_; }
  [[nodiscard]] const Address& remote() const noexcept { return remote_; }
  [[nodiscard]] const Address& local() const noexcept { return local_; }
  [[nodiscard]] Flow flow() const noexcept { return Flow{TransportKind::Tcp, remote_, local_, id_}; }
  [[nodiscard]] std::size_t queued_bytes() const noexcept { return queued_bytes_; }

 private:
  struct PendingSend {
    std::string bytes;
    SendFailureHandler on_failure;
    bool is_message = true;  // false for keep-alive pongs (not counted as messages)
  };

  TcpConnection(boost::asio::ip::tcp::socket socket, ConnectionId id, ConnectionDirection direction, Address remote,
                const Context& context);

  bool apply(TcpEvent event);
  void disable_nagle();
  void connect();
  void read();
  void on_read(std::size_t n);
  Result<void> enqueue(PendingSend pending);
  void write_next();
  // Moves to Closed by `event`, closes the socket, fails the queued sends
  // and tells the owner. Does nothing once Closed.
  void end(TcpEvent event, TcpCloseCause cause, const Error& reason);

  boost::asio::ip::tcp::socket socket_;
  ConnectionId id_;
  ConnectionDirection direction_;
  Address remote_;
  Address local_;
  Context context_;
  TcpState state_;
  StreamFramer framer_;
  std::deque<PendingSend> output_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool reading_ = false;
  char* read_into_ = nullptr;  // where the pending read writes, in the framer's buffer
  Clock::TimePoint created_at_;
  Clock::TimePoint last_activity_;
  // Stream offsets, to find the failing message in the last read when the
  // framer gives up: bytes read in total, bytes consumed by frames.
  std::uint64_t bytes_read_ = 0;
  std::uint64_t bytes_framed_ = 0;
};

}  // namespace voxgate::sip
