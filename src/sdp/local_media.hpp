#pragma once
// What we bring to an offer/answer exchange (RFC 3264): where we receive
// RTP, which codecs in which order, our packetization and the direction we
// want. Changing it between exchanges is how a call is put on hold
// (direction sendonly or inactive, RFC 3264 §8.4), resumed, or moved to
// another address or port (§8.3.1).

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "sdp/codec.hpp"
#include "sdp/direction.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp {

struct LocalMediaConfig {
  AddressType address_type = AddressType::IP4;
  std::string address;                                 // our RTP address: c= of our SDP, and o= of the first one
  std::uint16_t rtp_port = 0;                          // RTCP on rtp_port + 1 unless rtcp-mux is agreed
  std::vector<Codec> codecs = default_audio_codecs();  // our order of preference
  std::uint32_t ptime_ms = 20;                         // a=ptime we ask for
  Direction direction = Direction::SendRecv;           // what we want to do
  bool rtcp_mux = false;                               // offer a=rtcp-mux, and accept it when offered (RFC 5761)
  std::string username = "-";                          // o= <username>
  std::string session_name = "voxgate";                // s=
};

// Errc::InvalidArgument when the config could not produce a valid SDP or a
// usable stream: bad address for its type, port 0, no codec that carries
// audio, duplicate or out-of-range payload types, ptime 0, username with
// blanks, control characters in the session name.
Result<void> validate(const LocalMediaConfig& config);

}  // namespace voxgate::sdp
