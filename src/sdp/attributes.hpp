#pragma once
// Typed views of the attributes the offer/answer layer and the media layer
// use. The parser keeps every attribute as text; these read them on demand,
// so a malformed attribute voxgate does not need never fails a call.
//
//   a=fmtp (RFC 4566 §6)          format parameters, e.g. "101 0-16"
//   a=ptime, a=maxptime (§6)      packetization the sender of the SDP wants
//   a=sendrecv/... (§6)           direction.hpp; media level overrides session level
//   a=rtcp (RFC 3605)             RTCP port (and address) when not RTP port + 1
//   a=rtcp-mux (RFC 5761)         RTP and RTCP on one port

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sdp/direction.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp {

// a=fmtp:<format> <format specific parameters>
struct Fmtp {
  std::string format;      // for RTP, a payload type number
  std::string parameters;  // as written, e.g. "0-16" or "mode=20;annexb=no"

  friend bool operator==(const Fmtp&, const Fmtp&) = default;
};

Result<Fmtp> parse_fmtp(std::string_view value);
// The parameters of the first valid a=fmtp for `format`.
std::optional<std::string> find_fmtp(const MediaDescription& media, std::string_view format);

// a=ptime / a=maxptime value in milliseconds: 1*DIGIT, optionally with a
// fraction (some peers write "20.0"), which is dropped. Zero is invalid.
Result<std::uint32_t> parse_packet_time(std::string_view value);
// The media-level value if valid, else the session-level one (RFC 4566 §6
// allows both levels), else nullopt.
std::optional<std::uint32_t> find_ptime(const SessionDescription& session, const MediaDescription& media);
std::optional<std::uint32_t> find_maxptime(const SessionDescription& session, const MediaDescription& media);

// The direction attribute among `attributes`, if any; the last one wins if
// there are several (a description should have one per level).
std::optional<Direction> find_direction(const Attributes& attributes) noexcept;
// RFC 3264 §5.1: the media-level direction, else the session-level one, else
// sendrecv.
Direction effective_direction(const SessionDescription& session, const MediaDescription& media) noexcept;

// a=rtcp:<port> [IN <addrtype> <address>] (RFC 3605 §2.1)
struct Rtcp {
  std::uint16_t port = 0;
  std::optional<Connection> connection;

  friend bool operator==(const Rtcp&, const Rtcp&) = default;
};

Result<Rtcp> parse_rtcp(std::string_view value);
std::optional<Rtcp> find_rtcp(const MediaDescription& media);
std::string format_rtcp(const Rtcp& rtcp);

// a=rtcp-mux present (RFC 5761 §5.1.1).
bool has_rtcp_mux(const MediaDescription& media) noexcept;

}  // namespace voxgate::sdp
