#pragma once
// What a stream needs to know about its call's media, in media terms (the
// app layer translates an SDP offer/answer outcome into it): which codec
// with which payload type numbers each way, RFC 4733 events, where the peer
// is, which directions flow, and the timeouts.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/ip/udp.hpp>

#include "media/codec/codec_factory.hpp"

namespace voxgate::media {

struct TelephoneEventConfig {
  std::uint8_t send_payload_type = 101;     // the peer's number for events
  std::uint8_t receive_payload_type = 101;  // ours
};

struct RtpStreamConfig {
  CodecId codec = CodecId::Pcmu;
  std::uint8_t send_payload_type = 0;     // the peer's number: what our packets carry
  std::uint8_t receive_payload_type = 0;  // ours: what the peer's packets carry
  std::optional<TelephoneEventConfig> telephone_event;

  boost::asio::ip::udp::endpoint remote_rtp;
  boost::asio::ip::udp::endpoint remote_rtcp;  // == remote_rtp with rtcp_mux
  bool rtcp_mux = false;                       // RFC 5761: RTCP on the RTP socket

  bool send = true;     // we send RTP (sendrecv or sendonly from our side)
  bool receive = true;  // the peer sends RTP (sendrecv or recvonly from our side)

  // No RTP (nor RTCP) from the peer for this long ends the stream; zero
  // disables. Only while `receive`: a call on hold is quiet by design.
  std::chrono::milliseconds media_timeout{30000};
  // Consecutive failed sends (~20 ms apart) before the stream gives up.
  std::uint32_t max_send_failures = 50;
  // The hijack guard of RemoteLatch.
  std::chrono::milliseconds relatch_after{2000};
  // Detect DTMF in the audio when no telephone-event was agreed.
  bool inband_dtmf = true;
  std::string cname = "voxgate";  // RTCP SDES CNAME (RFC 3550 §6.5.1)
};

}  // namespace voxgate::media
