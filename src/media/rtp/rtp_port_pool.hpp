#pragma once
// RTP ports for calls: an even port for RTP and the next odd one for RTCP
// (RFC 3550 §11), taken from a configured range. A reservation holds both
// sockets bound, so the ports we put in an SDP are really ours until the call
// ends (another process cannot take them meanwhile); it releases them when
// destroyed.
//
// Safe to use from every worker loop at once: the only shared state is an
// atomic cursor; the kernel's bind() decides who gets a port.

#include <atomic>
#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/result.hpp"

namespace voxgate::media {

class RtpPortReservation {
 public:
  RtpPortReservation(boost::asio::ip::udp::socket rtp, boost::asio::ip::udp::socket rtcp)
      : rtp_(std::move(rtp)), rtcp_(std::move(rtcp)) {}

  [[nodiscard]] std::uint16_t rtp_port() const { return rtp_.local_endpoint().port(); }
  [[nodiscard]] std::uint16_t rtcp_port() const { return rtcp_.local_endpoint().port(); }
  [[nodiscard]] boost::asio::ip::address address() const { return rtp_.local_endpoint().address(); }

  // The media engine (a later issue) takes the sockets over from here.
  boost::asio::ip::udp::socket& rtp_socket() noexcept { return rtp_; }
  boost::asio::ip::udp::socket& rtcp_socket() noexcept { return rtcp_; }

 private:
  boost::asio::ip::udp::socket rtp_;
  boost::asio::ip::udp::socket rtcp_;
};

class RtpPortPool {
 public:
  // Ports [first, last]; `first` is rounded up and `last` down to whole
  // even/odd pairs. Throws std::invalid_argument when no pair fits (a
  // configuration error found at start-up).
  RtpPortPool(boost::asio::ip::address address, std::uint16_t first, std::uint16_t last);

  // Binds the next free pair on `io` (the calling loop's context). Fails with
  // LimitExceeded when every pair of the range is taken.
  Result<RtpPortReservation> reserve(boost::asio::io_context& io);

  [[nodiscard]] std::uint32_t pair_count() const noexcept { return pairs_; }

 private:
  boost::asio::ip::address address_;
  std::uint16_t first_;
  std::uint32_t pairs_;
  std::atomic<std::uint32_t> cursor_{0};
};

}  // namespace voxgate::media
