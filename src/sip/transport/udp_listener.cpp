#include "sip/transport/udp_listener.hpp"

#include <boost/asio/detail/socket_option.hpp>
#include <boost/asio/ip/v6_only.hpp>

namespace voxgate::sip {

namespace {

using ReusePort = boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
using Udp = boost::asio::ip::udp;

Address to_address(const Udp::endpoint& endpoint) {
  return Address{endpoint.address(), endpoint.port()};
}

tl::unexpected<Error> udp_error(std::string_view what, const Address& address, const boost::system::error_code& ec) {
  return make_error(Errc::Io, "UDP {} {}: {}", what, address, ec.message());
}

}  // namespace

UdpListener::UdpListener(Udp::socket socket, Address local)
    : socket_(std::move(socket)),
      local_(std::move(local)),
      buffer_(std::make_unique<std::array<char, kMaxDatagram>>()) {}

UdpListener::~UdpListener() = default;

Result<std::unique_ptr<UdpListener>> UdpListener::open(boost::asio::io_context& io, const Address& address,
                                                       const UdpSocketOptions& options) {
  Udp::socket socket(io);
  const Udp::endpoint endpoint(address.ip, address.port);
  boost::system::error_code ec;
  if (socket.open(endpoint.protocol(), ec)) return udp_error("open", address, ec);
  if (address.ip.is_v6() && socket.set_option(boost::asio::ip::v6_only(true), ec)) {
    return udp_error("IPV6_V6ONLY on", address, ec);
  }
  if (socket.set_option(ReusePort(true), ec)) return udp_error("SO_REUSEPORT on", address, ec);
  // The kernel caps both at net.core.{r,w}mem_max without telling: not an error.
  if (options.receive_buffer_bytes > 0 &&
      socket.set_option(Udp::socket::receive_buffer_size(options.receive_buffer_bytes), ec)) {
    return udp_error("SO_RCVBUF on", address, ec);
  }
  if (options.send_buffer_bytes > 0 &&
      socket.set_option(Udp::socket::send_buffer_size(options.send_buffer_bytes), ec)) {
    return udp_error("SO_SNDBUF on", address, ec);
  }
  if (socket.bind(endpoint, ec)) return udp_error("bind", address, ec);
  if (socket.non_blocking(true, ec)) return udp_error("non-blocking mode on", address, ec);
  const auto local = socket.local_endpoint(ec);
  if (ec) return udp_error("local address of", address, ec);
  return std::unique_ptr<UdpListener>(new UdpListener(std::move(socket), to_address(local)));
}

void UdpListener::start(DatagramSink& sink) {
  sink_ = &sink;
  receive();
}

void UdpListener::receive() {
  socket_.async_receive_from(boost::asio::buffer(*buffer_), sender_,
                             [this](const boost::system::error_code& ec, std::size_t n) {
                               if (ec == boost::asio::error::operation_aborted || !socket_.is_open()) return;
                               if (!ec) {
                                 std::string bytes;
                                 bytes.reserve(n + kEditHeadroom);
                                 bytes.assign(buffer_->data(), n);
                                 sink_->on_datagram(*this, std::move(bytes), to_address(sender_));
                               }
                               // Other errors (an ICMP error reported on the socket) concern one
                               // earlier send, not the socket: keep reading.
                               if (socket_.is_open()) receive();
                             });
}

Result<void> UdpListener::send_to(std::string_view bytes, const Address& destination) {
  boost::system::error_code ec;
  socket_.send_to(boost::asio::buffer(bytes.data(), bytes.size()), Udp::endpoint(destination.ip, destination.port), 0,
                  ec);
  if (ec) return make_error(Errc::Io, "UDP send from {} to {}: {}", local_, destination, ec.message());
  return {};
}

void UdpListener::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace voxgate::sip
