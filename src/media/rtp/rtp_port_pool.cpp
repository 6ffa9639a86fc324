#include "media/rtp/rtp_port_pool.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <utility>

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

RtpPortReservation::RtpPortReservation(RtpPortReservation&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      rtp_port_(other.rtp_port_),
      rtp_(std::move(other.rtp_)),
      rtcp_(std::move(other.rtcp_)) {}

RtpPortReservation& RtpPortReservation::operator=(RtpPortReservation&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::exchange(other.pool_, nullptr);
    rtp_port_ = other.rtp_port_;
    rtp_ = std::move(other.rtp_);
    rtcp_ = std::move(other.rtcp_);
  }
  return *this;
}

RtpPortReservation::~RtpPortReservation() {
  give_back();
}

const boost::asio::ip::address& RtpPortReservation::address() const noexcept {
  return pool_->address();
}

Result<void> RtpPortReservation::rebind_rtcp() {
  if (rtcp_) return {};
  rtcp_ = bind_udp(address(), rtcp_port());
  if (!rtcp_) return make_error(Errc::Io, "RTCP port {} on {} is taken", rtcp_port(), address().to_string());
  return {};
}

void RtpPortReservation::give_back() noexcept {
  if (pool_ != nullptr) pool_->give_back(rtp_port_, std::move(rtp_), std::move(rtcp_));
  pool_ = nullptr;
}

RtpPortPool::RtpPortPool(boost::asio::ip::address address, std::uint16_t first, std::uint16_t last,
                         RtpPortPoolSettings settings)
    : address_(std::move(address)), settings_(settings), first_(static_cast<std::uint16_t>(first + (first % 2))) {
  const std::uint32_t even_first = first_;
  const std::uint32_t odd_last = (last % 2 == 1) ? last : last - 1U;
  if (first == 0 || odd_last <= even_first) {
    throw std::invalid_argument(fmt::format("RTP port range {}-{} holds no even/odd pair", first, last));
  }
  pairs_ = (odd_last - even_first + 1) / 2;
  ours_.assign(pairs_, false);
}

std::vector<std::pair<std::uint16_t, std::uint16_t>> RtpPortPool::split(std::uint16_t first, std::uint16_t last,
                                                                        std::size_t count) {
  const std::uint32_t even_first = first + (first % 2U);
  const std::uint32_t odd_last = (last % 2 == 1) ? last : last - 1U;
  const std::uint32_t pairs = odd_last > even_first ? (odd_last - even_first + 1) / 2 : 0;
  if (count == 0 || first == 0 || pairs < count) {
    throw std::invalid_argument(fmt::format("RTP port range {}-{} holds {} even/odd pairs, fewer than {} worker loops",
                                            first, last, pairs, count));
  }
  std::vector<std::pair<std::uint16_t, std::uint16_t>> slices;
  std::uint32_t next = even_first;
  for (std::size_t i = 0; i < count; ++i) {
    // The first `pairs % count` slices take one pair more.
    const std::uint32_t size = pairs / count + (i < pairs % count ? 1U : 0U);
    slices.emplace_back(static_cast<std::uint16_t>(next), static_cast<std::uint16_t>(next + 2 * size - 1));
    next += 2 * size;
  }
  return slices;
}

Result<RtpPortReservation> RtpPortPool::reserve() {
  if (idle_.size() > settings_.reuse_after) {
    if (auto reused = reuse_oldest_idle()) return std::move(*reused);
  }
  if (auto fresh = bind_next()) return std::move(*fresh);
  // Every other pair is taken: a recently released one beats refusing a call.
  while (!idle_.empty()) {
    if (auto reused = reuse_oldest_idle()) return std::move(*reused);
  }
  return make_error(Errc::LimitExceeded, "no free RTP port pair in {}-{} on {}", first_, first_ + 2 * pairs_ - 1,
                    address_.to_string());
}

std::optional<RtpPortReservation> RtpPortPool::bind_next() {
  for (std::uint32_t attempt = 0; attempt < pairs_; ++attempt) {
    const std::uint32_t pair = cursor_;
    cursor_ = (cursor_ + 1) % pairs_;
    if (ours_[pair]) continue;
    // A pair another process holds just makes bind() fail; we move on.
    const auto rtp_port = static_cast<std::uint16_t>(first_ + 2 * pair);
    UniqueFd rtp = bind_udp(address_, rtp_port);
    if (!rtp) continue;
    UniqueFd rtcp = bind_udp(address_, static_cast<std::uint16_t>(rtp_port + 1));
    if (!rtcp) continue;
    ours_[pair] = true;
    return RtpPortReservation(*this, rtp_port, std::move(rtp), std::move(rtcp));
  }
  return std::nullopt;
}

std::optional<RtpPortReservation> RtpPortPool::reuse_oldest_idle() {
  IdlePair oldest = std::move(idle_.front());
  idle_.pop_front();
  if (!oldest.rtcp) {
    // It came back from a call that multiplexed RTCP (RFC 5761).
    oldest.rtcp = bind_udp(address_, static_cast<std::uint16_t>(oldest.rtp_port + 1));
    if (!oldest.rtcp) {
      ours_[pair_index(oldest.rtp_port)] = false;
      return std::nullopt;  // the RTP socket closes with `oldest`
    }
  }
  return RtpPortReservation(*this, oldest.rtp_port, std::move(oldest.rtp), std::move(oldest.rtcp));
}

void RtpPortPool::give_back(std::uint16_t rtp_port, UniqueFd rtp, UniqueFd rtcp) noexcept {
  // Descriptors the media engine adopted are its to close; the pair is
  // free for bind_next() again once it has.
  // An RTP socket without its RTCP one (closed under rtcp-mux) is still
  // worth keeping: reuse binds the odd port again.
  if (!rtp || idle_.size() >= settings_.max_idle) {
    ours_[pair_index(rtp_port)] = false;
    return;  // the UniqueFds close whatever is left
  }
  idle_.push_back(IdlePair{rtp_port, std::move(rtp), std::move(rtcp)});
}

}  // namespace voxgate::media
