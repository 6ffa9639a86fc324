#pragma once
// RTP ports for calls: an even port for RTP and the next odd one for RTCP
// (RFC 3550 §11), taken from a configured range. A reservation holds both
// sockets bound, so the ports we put in an SDP are really ours until the call
// ends (another process cannot take them meanwhile); it releases them when
// destroyed.
//
// The sockets are plain descriptors, not Asio sockets: registering them with
// the loop's epoll before anything reads them cost two extra syscalls per
// socket per call (BENCHMARKS.md, "SIP core under load"). The media engine
// adopts them with `udp::socket::assign()` when it starts.
//
// Safe to use from every worker loop at once: the only shared state is an
// atomic cursor; the kernel's bind() decides who gets a port.

#include <atomic>
#include <cstdint>

#include <boost/asio/ip/address.hpp>

#include "base/result.hpp"

namespace voxgate::media {

// An owned file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] explicit operator bool() const noexcept { return fd_ >= 0; }
  // Gives up ownership (to an Asio socket's assign(), say).
  int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

class RtpPortReservation {
 public:
  RtpPortReservation(boost::asio::ip::address address, std::uint16_t rtp_port, UniqueFd rtp, UniqueFd rtcp)
      : address_(std::move(address)), rtp_port_(rtp_port), rtp_(std::move(rtp)), rtcp_(std::move(rtcp)) {}

  [[nodiscard]] std::uint16_t rtp_port() const noexcept { return rtp_port_; }
  [[nodiscard]] std::uint16_t rtcp_port() const noexcept { return static_cast<std::uint16_t>(rtp_port_ + 1); }
  [[nodiscard]] const boost::asio::ip::address& address() const noexcept { return address_; }

  // The bound descriptors, for the media engine (a later issue) to adopt.
  UniqueFd& rtp_socket() noexcept { return rtp_; }
  UniqueFd& rtcp_socket() noexcept { return rtcp_; }

 private:
  boost::asio::ip::address address_;
  std::uint16_t rtp_port_;
  UniqueFd rtp_;
  UniqueFd rtcp_;
};

class RtpPortPool {
 public:
  // Ports [first, last]; `first` is rounded up and `last` down to whole
  // even/odd pairs. Throws std::invalid_argument when no pair fits (a
  // configuration error found at start-up).
  RtpPortPool(boost::asio::ip::address address, std::uint16_t first, std::uint16_t last);

  // Binds the next free pair. Fails with LimitExceeded when every pair of the
  // range is taken.
  Result<RtpPortReservation> reserve();

  [[nodiscard]] std::uint32_t pair_count() const noexcept { return pairs_; }

 private:
  boost::asio::ip::address address_;
  std::uint16_t first_;
  std::uint32_t pairs_;
  std::atomic<std::uint32_t> cursor_{0};
};

}  // namespace voxgate::media
