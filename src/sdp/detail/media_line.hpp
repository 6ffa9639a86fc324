#pragma once
// Building blocks shared by the offer and answer builders: our audio m=
// section, a rejected copy of someone's m= section, and matching a peer's
// payload formats against our codecs. Private to src/sdp.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sdp/codec.hpp"
#include "sdp/direction.hpp"
#include "sdp/local_media.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp::detail {

// One of the peer's formats that is one of our codecs.
struct FormatMatch {
  std::uint8_t payload_type = 0;  // the peer's number
  const Codec* local = nullptr;   // points into the codec list given to match_formats
};

// The peer's formats that we support, in the peer's order, each of our
// codecs at most once (its first occurrence).
std::vector<FormatMatch> match_formats(const MediaDescription& remote, const std::vector<Codec>& local);

// The payload type `media` lists `codec` under (first match), if any.
std::optional<std::uint8_t> payload_type_of(const MediaDescription& media, const Codec& codec);

// Our audio m= section: `codecs` carry the payload types to use, in order;
// each gets an a=rtpmap, and an a=fmtp when it has parameters; then a=ptime,
// the direction, and a=rtcp-mux when asked for.
MediaDescription make_audio_line(const LocalMediaConfig& local, std::string_view proto,
                                 const std::vector<Codec>& codecs, Direction direction, bool rtcp_mux);

// RFC 3264 §6, §8.2: a rejected or disabled stream keeps its m= line with
// port 0 and the same media type, proto and formats; nothing else is needed.
MediaDescription make_rejected_line(const MediaDescription& like);

// 0.0.0.0 or "::": RFC 3264 §8.4 (the RFC 2543 way of holding a call):
// nothing may be sent to it.
bool is_unspecified_address(const Connection& connection) noexcept;

}  // namespace voxgate::sdp::detail
