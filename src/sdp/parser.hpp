#pragma once
// SDP text -> SessionDescription (RFC 4566 §5).
//
// Strict where a mistake would mislead the offer/answer layer, lenient where
// deployed peers are sloppy but unambiguous:
//   - v= must come first and be 0; o= and s= are required, once each, before
//     the first m=; lines that belong to the session only (o s u e p t r z)
//     are rejected inside a media section; r= must follow a t=.
//   - Numbers (ports, ids, versions, ttl, bandwidth, RTP payload types) are
//     checked, and so are c= addresses against their address type.
//   - Accepted: LF-only line ends, blank lines, trailing blanks, runs of
//     blanks between fields, an empty s= value (RFC 4566 asks for "s= "),
//     a missing t= (read as "t=0 0"), lines of undefined types (kept, see
//     OtherLine), and any order of the optional session-level lines.
// Attribute values are not interpreted here; attributes.hpp parses the ones
// voxgate uses, on demand.
//
// ParseLimits bound what hostile input can make us allocate.

#include <cstddef>
#include <string_view>

#include "base/result.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp {

struct ParseLimits {
  std::size_t max_size = std::size_t{64} * 1024;  // bytes: a SIP body larger than this is not a call's SDP
  std::size_t max_line_length = 4096;
  std::size_t max_lines = 2048;
  std::size_t max_media = 32;     // m= sections
  std::size_t max_formats = 128;  // formats on one m= line (there are only 128 RTP payload types)
};

// Errors are Errc::InvalidArgument (malformed; the message names the line
// number and type, e.g. "SDP line 4 (m=): invalid port \"x\""),
// Errc::LimitExceeded (a ParseLimits bound) or Errc::Unsupported (a network
// or address type other than IN IP4/IP6).
Result<SessionDescription> parse_sdp(std::string_view text, const ParseLimits& limits = {});

}  // namespace voxgate::sdp
