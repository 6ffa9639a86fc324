#pragma once
// The outcome of a completed offer/answer exchange, in the terms the media
// layer needs: where to send RTP and RTCP, with which payload types, how
// often, and in which directions. Everything SDP-specific has been resolved
// (session- vs media-level lines, rtpmap vs static types, a=rtcp vs port+1).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdp/direction.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp {

struct TransportAddress {
  AddressType address_type = AddressType::IP4;
  std::string address;
  std::uint16_t port = 0;

  friend bool operator==(const TransportAddress&, const TransportAddress&) = default;
};

// A payload format both sides agreed on. Each side's SDP lists the payload
// type numbers it wants to receive (RFC 3264 §5.1), so the numbers can
// differ by direction when an answerer renumbers (it SHOULD NOT, §6.1).
struct NegotiatedCodec {
  std::string encoding_name;
  std::uint32_t clock_rate = 0;
  std::uint8_t channels = 1;
  std::uint8_t send_payload_type = 0;     // the peer's number: what we put in the RTP we send
  std::uint8_t receive_payload_type = 0;  // our number: what the peer puts in the RTP it sends
  std::string send_fmtp;                  // the peer's fmtp: what it can receive ("0-15" events)

  friend bool operator==(const NegotiatedCodec&, const NegotiatedCodec&) = default;
};

struct NegotiatedStream {
  std::size_t m_line = 0;  // index of the m= line in both descriptions
  TransportAddress remote_rtp;
  // RFC 5761 rtcp-mux: the RTP address; else a=rtcp (RFC 3605); else the
  // RTP port + 1 (RFC 3550 §11).
  TransportAddress remote_rtcp;
  bool rtcp_mux = false;
  std::uint16_t local_rtp_port = 0;                // the port our SDP gave
  NegotiatedCodec codec;                           // the audio codec to send: first common one in the answer's order
  std::optional<NegotiatedCodec> telephone_event;  // RFC 4733, at the codec's clock rate
  std::uint32_t ptime_ms = 20;                     // the peer's a=ptime (how it wants to receive), else ours
  // From our side: sendonly means we send and the peer does not. A peer
  // connection address of 0.0.0.0 (RFC 3264 §8.4) takes the send side away.
  Direction direction = Direction::SendRecv;

  friend bool operator==(const NegotiatedStream&, const NegotiatedStream&) = default;
};

struct NegotiatedMedia {
  std::vector<NegotiatedStream> streams;  // accepted streams only, in m= line order

  [[nodiscard]] bool empty() const noexcept { return streams.empty(); }
  // The call's audio stream (voxgate accepts one), or nullptr.
  [[nodiscard]] const NegotiatedStream* audio() const noexcept { return streams.empty() ? nullptr : streams.data(); }

  friend bool operator==(const NegotiatedMedia&, const NegotiatedMedia&) = default;
};

}  // namespace voxgate::sdp
