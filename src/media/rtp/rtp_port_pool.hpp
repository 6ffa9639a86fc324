#pragma once
// RTP ports for calls: an even port for RTP and the next odd one for RTCP
// (RFC 3550 §11), taken from a configured range. A reservation holds both
// sockets bound, so the ports we put in an SDP are really ours until the call
// ends (another process cannot take them meanwhile).
//
// One pool per worker loop, each over its own slice of the configured range
// (`RtpPortPool::split`): no sharing, no atomics, no lock.
//
// Binding costs syscalls (socket, bind, later close: six per call for the
// pair), which showed at the top of the load profile (BENCHMARKS.md, "SIP
// core under load"). So a released pair is not closed: it stays bound in a
// first-in first-out idle list and is handed out again only after
// `reuse_after` other pairs were released since, which keeps a port from
// going straight back into an SDP while the previous peer may still be
// sending to it (what rtpengine and Asterisk get from cycling through the
// range). A reused socket may still hold such late datagrams; the media
// engine that adopts it drains them. At most `max_idle` pairs are kept idle,
// the rest are closed, which bounds the descriptors a quiet pool holds.
//
// Once RTP/RTCP multiplexing is agreed (RFC 5761 §5.1.1) the odd port is
// not used: the media engine closes it (`close_rtcp()`), so a call holds one
// descriptor instead of two, and binds it again (`rebind_rtcp()`) should a
// later offer/answer turn mux off (RFC 8858 §4 allows it). A pair given back
// without its RTCP socket waits idle as the RTP socket alone; it is bound
// again when the pair is reused, or passed over when someone else took it.
//
// The sockets are plain descriptors, not Asio sockets: registering them with
// the loop's epoll before anything reads them would cost two more syscalls
// per socket. The media engine adopts them with `udp::socket::assign()`.

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

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

class RtpPortPool;

// A bound RTP/RTCP pair, returned to its pool when destroyed (unless the
// media engine took its descriptors). Must not outlive the pool.
class RtpPortReservation {
 public:
  RtpPortReservation(RtpPortReservation&& other) noexcept;
  RtpPortReservation& operator=(RtpPortReservation&& other) noexcept;
  RtpPortReservation(const RtpPortReservation&) = delete;
  RtpPortReservation& operator=(const RtpPortReservation&) = delete;
  ~RtpPortReservation();

  [[nodiscard]] std::uint16_t rtp_port() const noexcept { return rtp_port_; }
  [[nodiscard]] std::uint16_t rtcp_port() const noexcept { return static_cast<std::uint16_t>(rtp_port_ + 1); }
  [[nodiscard]] const boost::asio::ip::address& address() const noexcept;

  // The bound descriptors, for the media engine (a later issue) to adopt.
  UniqueFd& rtp_socket() noexcept { return rtp_; }
  UniqueFd& rtcp_socket() noexcept { return rtcp_; }

  // RFC 5761: the RTCP port is not needed while mux is in use.
  void close_rtcp() noexcept { rtcp_ = UniqueFd(); }
  // Binds rtcp_port() again; fails (Io) when another socket took it.
  Result<void> rebind_rtcp();

 private:
  friend class RtpPortPool;
  RtpPortReservation(RtpPortPool& pool, std::uint16_t rtp_port, UniqueFd rtp, UniqueFd rtcp) noexcept
      : pool_(&pool), rtp_port_(rtp_port), rtp_(std::move(rtp)), rtcp_(std::move(rtcp)) {}
  void give_back() noexcept;

  RtpPortPool* pool_;
  std::uint16_t rtp_port_;
  UniqueFd rtp_;
  UniqueFd rtcp_;
};

struct RtpPortPoolSettings {
  std::size_t reuse_after = 64;  // releases before a released pair is handed out again
  std::size_t max_idle = 256;    // released pairs kept bound; more are closed
};

class RtpPortPool {
 public:
  // Ports [first, last]; `first` is rounded up and `last` down to whole
  // even/odd pairs. Throws std::invalid_argument when no pair fits (a
  // configuration error found at start-up).
  RtpPortPool(boost::asio::ip::address address, std::uint16_t first, std::uint16_t last,
              RtpPortPoolSettings settings = {});
  RtpPortPool(const RtpPortPool&) = delete;
  RtpPortPool& operator=(const RtpPortPool&) = delete;
  ~RtpPortPool() = default;

  // [first, last] cut into `count` slices of whole pairs, one per worker
  // loop's pool. Throws std::invalid_argument when a slice would be empty.
  static std::vector<std::pair<std::uint16_t, std::uint16_t>> split(std::uint16_t first, std::uint16_t last,
                                                                    std::size_t count);

  // A pair: a released one once enough others were released after it,
  // otherwise the next one the kernel lets us bind. Fails with LimitExceeded
  // when every pair of the range is taken (by us or another process).
  Result<RtpPortReservation> reserve();

  [[nodiscard]] std::uint32_t pair_count() const noexcept { return pairs_; }
  [[nodiscard]] std::size_t idle_count() const noexcept { return idle_.size(); }
  [[nodiscard]] const boost::asio::ip::address& address() const noexcept { return address_; }

 private:
  friend class RtpPortReservation;
  struct IdlePair {
    std::uint16_t rtp_port;
    UniqueFd rtp;
    UniqueFd rtcp;
  };

  std::optional<RtpPortReservation> bind_next();
  // The oldest idle pair, its RTCP socket bound again if it came back
  // without; nullopt (and the pair dropped) when that port was taken.
  std::optional<RtpPortReservation> reuse_oldest_idle();
  void give_back(std::uint16_t rtp_port, UniqueFd rtp, UniqueFd rtcp) noexcept;
  [[nodiscard]] std::uint32_t pair_index(std::uint16_t rtp_port) const noexcept { return (rtp_port - first_) / 2U; }

  boost::asio::ip::address address_;
  RtpPortPoolSettings settings_;
  std::uint16_t first_;
  std::uint32_t pairs_;
  std::uint32_t cursor_ = 0;
  std::vector<bool> ours_;  // per pair: held by a reservation or idle
  std::deque<IdlePair> idle_;
};

}  // namespace voxgate::media
