#pragma once
// Where a stream sends: symmetric RTP (RFC 4961) with latching. The SDP
// says where the peer wants media; behind a NAT that address is wrong and
// the right one is where the peer's packets really come from. So the
// stream sends to the signalled address until a valid packet arrives, then
// to that packet's source ("latching", what rtpengine and Asterisk's
// symmetric RTP do).
//
// The hijack guard: once latched, a packet from any other address is
// refused (counted, not played) unless the latched source has been silent
// for `relatch_after` (a NAT rebinding, or a peer that moved without a
// re-INVITE). Without the guard, anyone who learns the port could take the
// call's audio with one packet.
//
// Pure logic over endpoints and times.

#include <cstdint>
#include <utility>

#include <boost/asio/ip/udp.hpp>

#include "base/clock.hpp"

namespace voxgate::media {

class RemoteLatch {
 public:
  using Endpoint = boost::asio::ip::udp::endpoint;

  enum class Verdict : std::uint8_t {
    FromLatched,  // the source we send to
    Latched,      // the first valid packet: we now send to its source
    Relatched,    // the latched source fell silent: this one took over
    Refused,      // another address while the latched one is live
  };

  RemoteLatch(Endpoint signalled, Clock::Duration relatch_after) noexcept
      : destination_(std::move(signalled)), relatch_after_(relatch_after) {}

  // A valid packet from `source` at `now`.
  Verdict on_packet(const Endpoint& source, Clock::TimePoint now) noexcept;

  // A new signalled address (a re-INVITE moved the peer): latching starts
  // over.
  void reset(const Endpoint& signalled) noexcept;

  // Where to send: the latched source, or the signalled address before.
  [[nodiscard]] const Endpoint& destination() const noexcept { return destination_; }
  [[nodiscard]] bool latched() const noexcept { return latched_; }
  // RFC 3264 §8.4: a signalled 0.0.0.0 (or port 0) means "do not send".
  [[nodiscard]] bool has_destination() const noexcept;

 private:
  Endpoint destination_;
  Clock::Duration relatch_after_;
  bool latched_ = false;
  Clock::TimePoint last_from_latched_{};
};

}  // namespace voxgate::media
