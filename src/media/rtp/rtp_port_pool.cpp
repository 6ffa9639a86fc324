#include "media/rtp/rtp_port_pool.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace voxgate::media {

namespace {

using boost::asio::ip::udp;

// Binds a UDP socket to address:port, or returns the OS error.
boost::system::error_code bind_udp(udp::socket& socket, const boost::asio::ip::address& address, std::uint16_t port) {
  boost::system::error_code ec;
  socket.open(address.is_v6() ? udp::v6() : udp::v4(), ec);
  if (!ec) socket.bind(udp::endpoint(address, port), ec);
  if (ec) {
    boost::system::error_code ignored;
    socket.close(ignored);
  }
  return ec;
}

}  // namespace

RtpPortPool::RtpPortPool(boost::asio::ip::address address, std::uint16_t first, std::uint16_t last)
    : address_(std::move(address)), first_(static_cast<std::uint16_t>(first + (first % 2))) {
  const std::uint32_t even_first = first_;
  const std::uint32_t odd_last = (last % 2 == 1) ? last : last - 1U;
  if (first == 0 || odd_last <= even_first) {
    throw std::invalid_argument(fmt::format("RTP port range {}-{} holds no even/odd pair", first, last));
  }
  pairs_ = (odd_last - even_first + 1) / 2;
}

Result<RtpPortReservation> RtpPortPool::reserve(boost::asio::io_context& io) {
  // Every caller starts at its own cursor position, so loops rarely race for
  // the same pair; a pair taken by anyone (us or another process) just makes
  // bind() fail and we move on.
  for (std::uint32_t attempt = 0; attempt < pairs_; ++attempt) {
    const std::uint32_t pair = cursor_.fetch_add(1, std::memory_order_relaxed) % pairs_;
    const auto rtp_port = static_cast<std::uint16_t>(first_ + 2 * pair);
    udp::socket rtp(io);
    if (bind_udp(rtp, address_, rtp_port)) continue;
    udp::socket rtcp(io);
    if (bind_udp(rtcp, address_, static_cast<std::uint16_t>(rtp_port + 1))) continue;
    return RtpPortReservation(std::move(rtp), std::move(rtcp));
  }
  return make_error(Errc::LimitExceeded, "no free RTP port pair in {}-{} on {}", first_, first_ + 2 * pairs_ - 1,
                    address_.to_string());
}

}  // namespace voxgate::media
