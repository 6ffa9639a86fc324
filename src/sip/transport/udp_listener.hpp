#pragma once
// One UDP socket of one worker loop (RFC 3261 §18). Every loop binds its own
// socket to the listener's address and port with SO_REUSEPORT, so the kernel
// spreads datagrams over the loops and no socket is touched by two threads.
// Sends are non-blocking: a full send buffer drops the datagram (UDP is
// lossy; the transaction layer retransmits).

#include <array>
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/result.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

class UdpListener;

// Upcall for each datagram read, on the socket's loop.
class DatagramSink {
 public:
  virtual ~DatagramSink() = default;
  // `bytes` is sized exactly to the datagram, with spare capacity reserved
  // for the Via edit the receive path makes (no reallocation then).
  virtual void on_datagram(UdpListener& listener, std::string&& bytes, const Address& source) = 0;
};

struct UdpSocketOptions {
  int receive_buffer_bytes = 0;  // 0: the system default
  int send_buffer_bytes = 0;
};

class UdpListener {
 public:
  // Opens and binds a socket (SO_REUSEPORT, IPV6_V6ONLY for IPv6) on `io`.
  // Port 0 binds an ephemeral port; local() says which.
  static Result<std::unique_ptr<UdpListener>> open(boost::asio::io_context& io, const Address& address,
                                                   const UdpSocketOptions& options);
  UdpListener(const UdpListener&) = delete;
  UdpListener& operator=(const UdpListener&) = delete;
  ~UdpListener();

  [[nodiscard]] const Address& local() const noexcept { return local_; }

  // Starts reading; each datagram goes to `sink`. Call on the socket's loop.
  void start(DatagramSink& sink);
  // Sends one datagram now; an error when the socket refuses it.
  Result<void> send_to(std::string_view bytes, const Address& destination);
  // Stops reading and closes the socket. Call on the socket's loop.
  void close();

 private:
  static constexpr std::size_t kMaxDatagram = 65536;
  // Bytes reserved beyond the datagram for the received/rport stamp.
  static constexpr std::size_t kEditHeadroom = 96;

  UdpListener(boost::asio::ip::udp::socket socket, Address local);
  void receive();

  boost::asio::ip::udp::socket socket_;
  Address local_;
  DatagramSink* sink_ = nullptr;
  std::unique_ptr<std::array<char, kMaxDatagram>> buffer_;
  boost::asio::ip::udp::endpoint sender_;
};

}  // namespace voxgate::sip
