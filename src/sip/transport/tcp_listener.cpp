#include "sip/transport/tcp_listener.hpp"

#include <boost/asio/ip/v6_only.hpp>

namespace voxgate::sip {

namespace {

using Tcp = boost::asio::ip::tcp;

constexpr std::chrono::milliseconds kRetryDelay{100};

tl::unexpected<Error> tcp_error(std::string_view what, const Address& address, const boost::system::error_code& ec) {
  return make_error(Errc::Io, "TCP {} {}: {}", what, address, ec.message());
}

}  // namespace

TcpListener::TcpListener(Tcp::acceptor acceptor, Address local)
    : acceptor_(std::move(acceptor)), retry_timer_(acceptor_.get_executor()), local_(std::move(local)) {}

TcpListener::~TcpListener() = default;

Result<std::unique_ptr<TcpListener>> TcpListener::open(boost::asio::io_context& io, const Address& address) {
  Tcp::acceptor acceptor(io);
  const Tcp::endpoint endpoint(address.ip, address.port);
  boost::system::error_code ec;
  if (acceptor.open(endpoint.protocol(), ec)) return tcp_error("open", address, ec);
  if (address.ip.is_v6() && acceptor.set_option(boost::asio::ip::v6_only(true), ec)) {
    return tcp_error("IPV6_V6ONLY on", address, ec);
  }
  // Restarting must not wait for the previous process's TIME_WAIT sockets.
  if (acceptor.set_option(Tcp::acceptor::reuse_address(true), ec)) return tcp_error("SO_REUSEADDR on", address, ec);
  if (acceptor.bind(endpoint, ec)) return tcp_error("bind", address, ec);
  if (acceptor.listen(boost::asio::socket_base::max_listen_connections, ec)) {
    return tcp_error("listen on", address, ec);
  }
  const auto local = acceptor.local_endpoint(ec);
  if (ec) return tcp_error("local address of", address, ec);
  return std::unique_ptr<TcpListener>(new TcpListener(std::move(acceptor), Address{local.address(), local.port()}));
}

void TcpListener::start(AcceptSink& sink) {
  sink_ = &sink;
  accept();
}

void TcpListener::accept() {
  const std::size_t owner = sink_->next_owner();
  acceptor_.async_accept(sink_->context_of(owner),
                         [this, owner](const boost::system::error_code& ec, Tcp::socket socket) {
                           if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
                           if (!ec) {
                             sink_->on_accepted(owner, std::move(socket));
                             accept();
                             return;
                           }
                           // EMFILE, ENFILE, ENOBUFS...: the listener is fine, the system is short
                           // of something; try again shortly.
                           retry_timer_.expires_after(kRetryDelay);
                           retry_timer_.async_wait([this](const boost::system::error_code& wait_ec) {
                             if (wait_ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
                             accept();
                           });
                         });
}

void TcpListener::close() {
  boost::system::error_code ignored;
  retry_timer_.cancel();
  acceptor_.close(ignored);
}

}  // namespace voxgate::sip
