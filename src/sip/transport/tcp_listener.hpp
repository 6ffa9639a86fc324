#pragma once
// A TCP listening socket (RFC 3261 §18). It runs on one loop (the acceptor
// loop) and accepts each connection straight onto the io_context of the
// worker loop its sink chooses (round-robin), so the connection never
// changes threads after the accept.

#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/result.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class AcceptSink {
 public:
  virtual ~AcceptSink() = default;
  // The loop that will own the next connection, and its io_context.
  virtual std::size_t next_owner() = 0;
  virtual boost::asio::io_context& context_of(std::size_t loop_index) = 0;
  // A connection was accepted for `owner`; runs on the acceptor's loop.
  virtual void on_accepted(std::size_t owner, boost::asio::ip::tcp::socket socket) = 0;
};

class TcpListener {
 public:
  // Opens, binds (SO_REUSEADDR, IPV6_V6ONLY for IPv6) and listens on `io`.
  static Result<std::unique_ptr<TcpListener>> open(boost::asio::io_context& io, const Address& address);
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  ~TcpListener();

  [[nodiscard]] const Address& local() const noexcept { return local_; }

  // Starts accepting. Call on the acceptor's loop.
  void start(AcceptSink& sink);
  // Stops accepting and closes the socket. Call on the acceptor's loop.
  void close();

 private:
  TcpListener(boost::asio::ip::tcp::acceptor acceptor, Address local);
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  // Accept errors such as EMFILE repeat at once: wait before retrying
  // rather than spin.
  boost::asio::steady_timer retry_timer_;
  Address local_;
  AcceptSink* sink_ = nullptr;
};

}  // namespace voxgate::sip
