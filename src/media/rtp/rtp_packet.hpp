#pragma once
// RTP packets (RFC 3550 §5.1): parsing a received datagram into a view of
// its header and payload, and writing the fixed header of one we send.
//
// Parsing never copies and never allocates: the view points into the
// datagram. Every length is checked against the datagram before it is
// read (CSRC list, header extension §5.3.1, padding §5.1), so a hostile
// packet can only be refused, never read past. The errors are an enum, not
// a Result with a message: a flood of bad packets must not allocate.
//
// RFC 5761 §4: on a port where RTP and RTCP are multiplexed, a packet whose
// second byte (marker bit aside) is 64-95 is RTCP (its packet type 192-223);
// `looks_like_rtcp` makes that split before either parser runs.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include <tl/expected.hpp>

namespace voxgate::media {

enum class RtpParseError : std::uint8_t {
  TooShort,          // fewer than the 12 bytes of the fixed header
  BadVersion,        // V is not 2
  CsrcOverrun,       // the CSRC count runs past the datagram
  ExtensionOverrun,  // the header extension runs past the datagram
  BadPadding,        // P set, but the padding count is 0 or exceeds the payload
};

std::string_view to_string(RtpParseError error) noexcept;

struct RtpHeader {
  bool marker = false;
  std::uint8_t payload_type = 0;  // 0-127
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
};

// A received packet: views into the datagram it was parsed from.
struct RtpPacketView {
  RtpHeader header;
  std::uint8_t csrc_count = 0;
  std::array<std::uint32_t, 15> csrc{};
  bool has_extension = false;
  std::uint16_t extension_profile = 0;      // "defined by profile" (§5.3.1)
  std::span<const std::uint8_t> extension;  // its data, without the 4-byte header
  std::span<const std::uint8_t> payload;    // padding removed
  std::uint8_t padding = 0;                 // bytes of padding removed
};

tl::expected<RtpPacketView, RtpParseError> parse_rtp(std::span<const std::uint8_t> datagram) noexcept;

// RFC 5761 §4: whether a packet on a multiplexed port is RTCP rather than
// RTP (its second byte, in RTCP the packet type, is 192-223). Only
// meaningful for packets of at least 2 bytes; shorter ones are neither.
[[nodiscard]] bool looks_like_rtcp(std::span<const std::uint8_t> datagram) noexcept;

inline constexpr std::size_t kRtpHeaderBytes = 12;

// Writes the 12-byte fixed header (V=2, no padding, extension or CSRC) at
// the start of `out`, which must hold at least kRtpHeaderBytes. Returns the
// bytes written.
std::size_t write_rtp_header(const RtpHeader& header, std::span<std::uint8_t> out) noexcept;

}  // namespace voxgate::media
