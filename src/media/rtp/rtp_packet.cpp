#include "media/rtp/rtp_packet.hpp"

#include "media/rtp/detail/network_bytes.hpp"

namespace voxgate::media {

using detail::read16;
using detail::read32;
using detail::write16;
using detail::write32;

std::string_view to_string(RtpParseError error) noexcept {
  switch (error) {
    case RtpParseError::TooShort: return "shorter than the RTP fixed header";
    case RtpParseError::BadVersion: return "RTP version is not 2";
    case RtpParseError::CsrcOverrun: return "CSRC list runs past the packet";
    case RtpParseError::ExtensionOverrun: return "header extension runs past the packet";
    case RtpParseError::BadPadding: return "padding count is 0 or larger than the payload";
  }
  return "?";
}

tl::expected<RtpPacketView, RtpParseError> parse_rtp(std::span<const std::uint8_t> datagram) noexcept {
  if (datagram.size() < kRtpHeaderBytes) return tl::unexpected(RtpParseError::TooShort);
  const std::uint8_t first = datagram[0];
  if ((first >> 6) != 2) return tl::unexpected(RtpParseError::BadVersion);
  const bool padded = (first & 0x20U) != 0;
  const bool extended = (first & 0x10U) != 0;

  RtpPacketView packet;
  packet.csrc_count = first & 0x0fU;
  packet.header.marker = (datagram[1] & 0x80U) != 0;
  packet.header.payload_type = datagram[1] & 0x7fU;
  packet.header.sequence = read16(datagram, 2);
  packet.header.timestamp = read32(datagram, 4);
  packet.header.ssrc = read32(datagram, 8);

  std::size_t at = kRtpHeaderBytes;
  if (datagram.size() - at < std::size_t{4} * packet.csrc_count) return tl::unexpected(RtpParseError::CsrcOverrun);
  for (std::size_t i = 0; i < packet.csrc_count; ++i, at += 4) packet.csrc[i] = read32(datagram, at);

  if (extended) {
    // §5.3.1: 16 bits defined by profile, 16 bits length in 32-bit words.
    if (datagram.size() - at < 4) return tl::unexpected(RtpParseError::ExtensionOverrun);
    packet.has_extension = true;
    packet.extension_profile = read16(datagram, at);
    const std::size_t length = std::size_t{4} * read16(datagram, at + 2);
    at += 4;
    if (datagram.size() - at < length) return tl::unexpected(RtpParseError::ExtensionOverrun);
    packet.extension = datagram.subspan(at, length);
    at += length;
  }

  std::size_t end = datagram.size();
  if (padded) {
    // §5.1: the last octet counts the padding, itself included.
    const std::uint8_t count = datagram.back();
    if (count == 0 || count > end - at) return tl::unexpected(RtpParseError::BadPadding);
    packet.padding = count;
    end -= count;
  }
  packet.payload = datagram.subspan(at, end - at);
  return packet;
}

bool looks_like_rtcp(std::span<const std::uint8_t> datagram) noexcept {
  if (datagram.size() < 2) return false;
  const std::uint8_t type = datagram[1];
  return type >= 192 && type <= 223;
}

std::size_t write_rtp_header(const RtpHeader& header, std::span<std::uint8_t> out) noexcept {
  out[0] = 0x80;  // V=2, P=0, X=0, CC=0
  out[1] = static_cast<std::uint8_t>((header.marker ? 0x80U : 0U) | (header.payload_type & 0x7fU));
  write16(out, 2, header.sequence);
  write32(out, 4, header.timestamp);
  write32(out, 8, header.ssrc);
  return kRtpHeaderBytes;
}

}  // namespace voxgate::media
