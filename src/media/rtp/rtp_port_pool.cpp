#include "media/rtp/rtp_port_pool.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace voxgate::media {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

// A UDP socket bound to address:port, or an empty UniqueFd when the port is
// taken (or the system refuses).
UniqueFd bind_udp(const boost::asio::ip::address& address, std::uint16_t port) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (address.is_v6()) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    const auto bytes = address.to_v6().to_bytes();
    std::memcpy(&sin6.sin6_addr, bytes.data(), bytes.size());
    sin6.sin6_scope_id = address.to_v6().scope_id();
    std::memcpy(&storage, &sin6, sizeof sin6);
    length = sizeof sin6;
  } else {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    const auto bytes = address.to_v4().to_bytes();
    std::memcpy(&sin.sin_addr, bytes.data(), bytes.size());
    std::memcpy(&storage, &sin, sizeof sin);
    length = sizeof sin;
  }
  UniqueFd fd(::socket(storage.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return fd;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&storage), length) != 0) return UniqueFd{};
  return fd;
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

Result<RtpPortReservation> RtpPortPool::reserve() {
  // Every caller starts at its own cursor position, so loops rarely race for
  // the same pair; a pair taken by anyone (us or another process) just makes
  // bind() fail and we move on.
  for (std::uint32_t attempt = 0; attempt < pairs_; ++attempt) {
    const std::uint32_t pair = cursor_.fetch_add(1, std::memory_order_relaxed) % pairs_;
    const auto rtp_port = static_cast<std::uint16_t>(first_ + 2 * pair);
    UniqueFd rtp = bind_udp(address_, rtp_port);
    if (!rtp) continue;
    UniqueFd rtcp = bind_udp(address_, static_cast<std::uint16_t>(rtp_port + 1));
    if (!rtcp) continue;
    return RtpPortReservation(address_, rtp_port, std::move(rtp), std::move(rtcp));
  }
  return make_error(Errc::LimitExceeded, "no free RTP port pair in {}-{} on {}", first_, first_ + 2 * pairs_ - 1,
                    address_.to_string());
}

}  // namespace voxgate::media
