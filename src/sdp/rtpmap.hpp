#pragma once
// a=rtpmap (RFC 4566 §6) and the static payload types of the RTP/AVP profile
// (RFC 3551 §6), which need no rtpmap: together they say which encoding an
// m= line's payload type number stands for.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp {

// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
struct RtpMap {
  std::uint8_t payload_type = 0;  // 0..127
  std::string encoding_name;      // "PCMU", "telephone-event"; compared case-insensitively
  std::uint32_t clock_rate = 0;
  // Audio: the channel count; absent means 1 (RFC 4566 §6). Kept as written
  // so that formatting gives back the same text.
  std::optional<std::uint8_t> channels;

  [[nodiscard]] std::uint8_t channel_count() const noexcept { return channels.value_or(1); }

  friend bool operator==(const RtpMap&, const RtpMap&) = default;
};

// Parses the attribute value ("0 PCMU/8000"). Errc::InvalidArgument when
// malformed: payload type outside 0..127, empty name, zero clock rate,
// channels outside 1..255.
Result<RtpMap> parse_rtpmap(std::string_view value);
// The attribute value: "0 PCMU/8000", "111 opus/48000/2".
std::string format_rtpmap(const RtpMap& map);
// "PCMU/8000", "opus/48000/2": how an encoding is named in logs and reasons.
std::string describe(const RtpMap& map);

// RFC 3551 table 4 and 5 (payload types 0..34 with a fixed meaning).
std::optional<RtpMap> static_payload_type(std::uint8_t payload_type);

// What payload type `format` of `media` means: its a=rtpmap if it has a
// valid one, else the static assignment. nullopt for unknown dynamic types
// and for formats that are not payload type numbers.
std::optional<RtpMap> find_rtpmap(const MediaDescription& media, std::string_view format);

}  // namespace voxgate::sdp
