#pragma once
// For the transport's socket tests only: a TransportLayer on a LoopPool
// with a recording handler per loop, and small blocking test peers on plain
// Asio sockets (every wait bounded by a timeout, never a fixed port).

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>

#include "runtime/loop_pool.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/parser.hpp"
#include "sip/message/stream_framer.hpp"
#include "sip/transport/transport_layer.hpp"

namespace voxgate::sip::test {

using namespace std::chrono_literals;
using Udp = boost::asio::ip::udp;
using Tcp = boost::asio::ip::tcp;

inline constexpr auto kWait = 3s;      // for what must happen
inline constexpr auto kQuiet = 150ms;  // for what must not

inline boost::asio::ip::address ip(std::string_view text) {
  return boost::asio::ip::make_address(text);
}

inline bool has_ipv6_loopback() {
  boost::asio::io_context io;
  Udp::socket socket(io);
  boost::system::error_code ec;
  socket.open(Udp::v6(), ec);
  if (!ec) socket.bind(Udp::endpoint(ip("::1"), 0), ec);
  return !ec;
}

// A message delivered to a loop's handler, with where it was delivered.
struct Delivery {
  std::size_t loop = 0;
  bool on_loop_thread = false;
  InboundMessage inbound;
};

class Inbox {
 public:
  void push(Delivery d) {
    {
      const std::lock_guard lock(mutex_);
      items_.push_back(std::move(d));
    }
    cv_.notify_all();
  }
  std::optional<Delivery> wait(std::chrono::milliseconds timeout = kWait) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, timeout, [this] { return !items_.empty(); })) return std::nullopt;
    Delivery d = std::move(items_.front());
    items_.pop_front();
    return d;
  }
  std::size_t size() {
    const std::lock_guard lock(mutex_);
    return items_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Delivery> items_;
};

class RecordingHandler final : public InboundMessageHandler {
 public:
  RecordingHandler(runtime::LoopPool& pool, std::size_t index, Inbox& inbox)
      : pool_(pool), index_(index), inbox_(inbox) {}
  void on_message(InboundMessage&& message) override {
    inbox_.push(Delivery{index_, pool_.loop(index_).in_loop_thread(), std::move(message)});
  }

 private:
  runtime::LoopPool& pool_;
  std::size_t index_;
  Inbox& inbox_;
};

// Listeners on `address` (port 0) for each transport, quick maintenance.
inline TransportConfig loopback_config(std::string_view address, const std::vector<TransportKind>& transports = {
                                                                     TransportKind::Udp, TransportKind::Tcp}) {
  TransportConfig config;
  for (TransportKind t : transports) config.listeners.push_back({t, Address{ip(address), 0}, std::nullopt});
  config.maintenance_interval = 10ms;
  config.udp_receive_buffer_bytes = 256 * 1024;
  config.udp_send_buffer_bytes = 256 * 1024;
  return config;
}

// Runs `fn` on loop `index` and returns its result.
template <class Fn>
auto call_on(runtime::LoopPool& pool, std::size_t index, Fn fn) -> decltype(fn()) {
  std::promise<decltype(fn())> result;
  pool.loop(index).post([&] {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      result.set_value();
    } else {
      result.set_value(fn());
    }
  });
  return result.get_future().get();
}

class TransportHarness {
 public:
  explicit TransportHarness(TransportConfig config, std::size_t loops = 3)
      : pool(loops), transport(pool, clock, std::move(config)) {
    for (std::size_t i = 0; i < pool.size(); ++i) {
      handlers.push_back(std::make_unique<RecordingHandler>(pool, i, inbox));
      transport.set_handler(i, *handlers.back());
    }
    pool.start();
  }
  ~TransportHarness() {
    transport.stop();
    pool.stop();
    pool.join();
  }
  TransportHarness(const TransportHarness&) = delete;
  TransportHarness& operator=(const TransportHarness&) = delete;

  Address local(TransportKind kind, bool ipv6 = false) const { return transport.local_address(kind, ipv6).value(); }

  // Waits until `predicate(stats())` holds.
  template <class Predicate>
  bool stats_reach(Predicate predicate, std::chrono::milliseconds timeout = kWait) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (predicate(transport.stats())) return true;
      std::this_thread::sleep_for(5ms);
    }
    return predicate(transport.stats());
  }

  ManualClock clock;
  runtime::LoopPool pool;
  Inbox inbox;
  std::vector<std::unique_ptr<RecordingHandler>> handlers;
  TransportLayer transport;
};

// Answers the request `d` delivered with `status`, from its loop.
inline Result<void> respond(TransportHarness& h, const Delivery& d, std::uint16_t status,
                            SendFailureHandler on_failure = {}) {
  return call_on(h.pool, d.loop, [&] {
    const Message response = make_response(d.inbound.message, status, {}, "srv").build();
    return h.transport.message_transport(d.loop).send_response(response, d.inbound.flow, std::move(on_failure));
  });
}

// ---- peers ----

class UdpPeer {
 public:
  explicit UdpPeer(std::string_view address) : socket_(io_) {
    const Udp::endpoint endpoint(ip(address), 0);
    socket_.open(endpoint.protocol());
    socket_.bind(endpoint);
  }
  [[nodiscard]] Address address() const {
    const auto e = socket_.local_endpoint();
    return Address{e.address(), e.port()};
  }
  void send(std::string_view bytes, const Address& to) {
    socket_.send_to(boost::asio::buffer(bytes.data(), bytes.size()), Udp::endpoint(to.ip, to.port));
  }
  std::optional<std::string> receive(std::chrono::milliseconds timeout = kWait) {
    std::optional<std::string> out;
    std::array<char, 65536> buffer{};
    Udp::endpoint from;
    socket_.async_receive_from(boost::asio::buffer(buffer), from,
                               [&](const boost::system::error_code& ec, std::size_t n) {
                                 if (!ec) out = std::string(buffer.data(), n);
                               });
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
      socket_.cancel();
      io_.restart();
      io_.run();
    }
    return out;
  }
  std::optional<Message> receive_message(std::chrono::milliseconds timeout = kWait) {
    auto bytes = receive(timeout);
    if (!bytes) return std::nullopt;
    auto parsed = parse_message(std::move(*bytes));
    if (!parsed) return std::nullopt;
    return std::move(*parsed);
  }

 private:
  boost::asio::io_context io_;
  Udp::socket socket_;
};

// A TCP socket reading SIP frames with a timeout.
class TcpStream {
 public:
  TcpStream(boost::asio::io_context& io, Tcp::socket socket) : io_(io), socket_(std::move(socket)) {}

  void write(std::string_view bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size())); }

  // The next frame (message, or keep-alive with empty bytes); nullopt on
  // timeout or when the connection closed (see closed()).
  std::optional<Frame> read_frame(std::chrono::milliseconds timeout = kWait) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto frame = framer_.next();
      if (!frame) return std::nullopt;
      if (*frame) return std::move(**frame);
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(left)) return std::nullopt;
    }
  }
  std::optional<Message> read_message(std::chrono::milliseconds timeout = kWait) {
    auto frame = read_frame(timeout);
    if (!frame || frame->kind != FrameKind::Message) return std::nullopt;
    auto parsed = parse_message(std::move(frame->bytes), ParseOptions{Framing::Stream, {}});
    if (!parsed) return std::nullopt;
    return std::move(*parsed);
  }
  // Whatever bytes arrive next, bypassing the framer (which holds a lone
  // CRLF back: it could be the start of a ping). Only when nothing is framed.
  std::optional<std::string> read_raw(std::chrono::milliseconds timeout = kWait) {
    std::optional<std::string> out;
    std::array<char, 4096> buffer{};
    socket_.async_read_some(boost::asio::buffer(buffer), [&](const boost::system::error_code& ec, std::size_t n) {
      if (!ec) out = std::string(buffer.data(), n);
    });
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
      socket_.cancel();
      io_.restart();
      io_.run();
    }
    return out;
  }
  // True when the peer closes (EOF or reset) within `timeout`, reading and
  // discarding whatever comes before.
  bool wait_closed(std::chrono::milliseconds timeout = kWait) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      read_some(left);
    }
    return true;
  }
  [[nodiscard]] bool closed() const noexcept { return closed_; }
  [[nodiscard]] Address local() const {
    const auto e = socket_.local_endpoint();
    return Address{e.address(), e.port()};
  }
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  // Reads once; false on timeout or close.
  bool read_some(std::chrono::milliseconds timeout) {
    if (closed_) return false;
    bool got = false;
    const auto space = framer_.prepare(std::size_t{16} * 1024);
    socket_.async_read_some(boost::asio::buffer(space.data(), space.size()),
                            [&](const boost::system::error_code& ec, std::size_t n) {
                              if (ec) {
                                if (ec != boost::asio::error::operation_aborted) closed_ = true;
                                return;
                              }
                              framer_.commit(n);
                              got = true;
                            });
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
      socket_.cancel();
      io_.restart();
      io_.run();
    }
    return got;
  }

  boost::asio::io_context& io_;
  Tcp::socket socket_;
  StreamFramer framer_;
  bool closed_ = false;
};

class TcpPeer {
 public:
  // A client connecting from `local_address`.
  TcpStream connect(const Address& to, std::string_view local_address = {}) {
    Tcp::socket socket(io_);
    const Tcp::endpoint remote(to.ip, to.port);
    socket.open(remote.protocol());
    if (!local_address.empty()) socket.bind(Tcp::endpoint(ip(local_address), 0));
    socket.connect(remote);
    return {io_, std::move(socket)};
  }
  // A server on `address`, port 0.
  Address listen(std::string_view address) {
    const Tcp::endpoint endpoint(ip(address), 0);
    acceptor_ = std::make_unique<Tcp::acceptor>(io_, endpoint);
    const auto e = acceptor_->local_endpoint();
    return Address{e.address(), e.port()};
  }
  std::optional<TcpStream> accept(std::chrono::milliseconds timeout = kWait) {
    std::optional<Tcp::socket> accepted;
    acceptor_->async_accept([&](const boost::system::error_code& ec, Tcp::socket s) {
      if (!ec) accepted = std::move(s);
    });
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
      acceptor_->cancel();
      io_.restart();
      io_.run();
    }
    if (!accepted) return std::nullopt;
    return TcpStream(io_, std::move(*accepted));
  }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<Tcp::acceptor> acceptor_;
};

// A request as a client would send it; `via_host_port` goes in the sent-by.
inline std::string client_request(std::string_view method, std::string_view call_id, std::string_view via_transport,
                                  std::string_view via_host_port, bool rport, std::string_view body = {}) {
  return fmt::format(
      "{0} sip:bob@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/{2} {3};branch=z9hG4bK-{1}{4}\r\n"
      "From: <sip:alice@example.com>;tag=a-{1}\r\n"
      "To: <sip:bob@example.com>\r\n"
      "Call-ID: {1}\r\n"
      "CSeq: 1 {0}\r\n"
      "Max-Forwards: 70\r\n"
      "Content-Length: {5}\r\n\r\n{6}",
      method, call_id, via_transport, via_host_port, rport ? ";rport" : "", body.size(), body);
}

}  // namespace voxgate::sip::test
