#pragma once
// What we can send and receive, as the offer/answer layer sees it: an
// ordered list of RTP payload formats (RFC 3264 §5.1: the order of formats
// is the order of preference).
//
// A Codec is matched against a peer's rtpmap by encoding name (ASCII
// case-insensitive, RFC 4855 §3), clock rate and channel count, never by
// payload type number: dynamic numbers (96..127) mean whatever each SDP's
// rtpmap says (RFC 3551 §3).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/rtpmap.hpp"

namespace voxgate::sdp {

struct Codec {
  std::string encoding_name;  // "PCMU", "telephone-event"
  std::uint32_t clock_rate = 8000;
  std::uint8_t channels = 1;
  // The number we offer it with: its static number (RFC 3551 §6) or our
  // choice of dynamic number. An answer keeps the offerer's number instead.
  std::uint8_t payload_type = 0;
  std::string fmtp;  // a=fmtp parameters we send, "" for none

  // RFC 4733 events: they ride along an audio codec and are not one.
  [[nodiscard]] bool is_telephone_event() const noexcept;
  // Comfort noise (RFC 3389): not audio either.
  [[nodiscard]] bool is_comfort_noise() const noexcept;
  // A codec that can carry the call's audio on its own.
  [[nodiscard]] bool carries_audio() const noexcept { return !is_telephone_event() && !is_comfort_noise(); }
  // Same encoding, clock rate and channel count.
  [[nodiscard]] bool matches(const RtpMap& map) const noexcept;
  [[nodiscard]] RtpMap rtpmap() const;
  [[nodiscard]] std::string describe() const;  // "PCMU/8000"

  friend bool operator==(const Codec&, const Codec&) = default;
};

// What voxgate supports today, in our order of preference: PCMU/0, PCMA/8
// (RFC 3551) and telephone-event/101 with events 0-16 (RFC 4733 §2.3: DTMF
// 0-9, *, #, A-D and flash).
std::vector<Codec> default_audio_codecs();

// Every format the media engine can run, in a sensible order of
// preference: the G.711 pair, G722/9 (RFC 3551 §4.5.2: an 8000 clock for
// 16 kHz audio), opus/111 (RFC 7587 §7: opus/48000/2, in-band FEC asked
// for), and telephone-event at both clock rates those need (RFC 4733 §2.1:
// events run at the audio codec's clock).
std::vector<Codec> supported_audio_codecs();

// "PCMU/8000, PCMA/8000, telephone-event/8000": for rejection reasons.
std::string describe(const std::vector<Codec>& codecs);

}  // namespace voxgate::sdp
