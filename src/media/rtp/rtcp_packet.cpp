#include "media/rtp/rtcp_packet.hpp"

#include <algorithm>

#include "media/rtp/detail/network_bytes.hpp"

namespace voxgate::media {

using detail::read16;
using detail::read32;
using detail::write16;
using detail::write32;

namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::size_t kCommonHeader = 4;
constexpr std::size_t kReportBlock = 24;
constexpr std::size_t kSenderInfo = 20;
constexpr std::uint8_t kSdesEnd = 0;
constexpr std::uint8_t kSdesCname = 1;
constexpr std::size_t kMaxBlocks = 31;  // the 5-bit count

ReportBlock read_block(Bytes b, std::size_t at) {
  ReportBlock block;
  block.ssrc = read32(b, at);
  block.fraction_lost = b[at + 4];
  // 24-bit two's complement (§6.4.1: may be negative with duplicates).
  const std::uint32_t raw =
      (static_cast<std::uint32_t>(b[at + 5]) << 16) | (static_cast<std::uint32_t>(b[at + 6]) << 8) | b[at + 7];
  block.cumulative_lost =
      (raw & 0x800000U) != 0 ? static_cast<std::int32_t>(raw) - 0x1000000 : static_cast<std::int32_t>(raw);
  block.highest_sequence = read32(b, at + 8);
  block.jitter = read32(b, at + 12);
  block.last_sr = read32(b, at + 16);
  block.delay_since_last_sr = read32(b, at + 20);
  return block;
}

// SR or RR: `body` is the packet after its common header.
tl::expected<RtcpReport, RtcpParseError> read_report(Bytes body, std::uint8_t count, bool sender) {
  const std::size_t fixed = 4 + (sender ? kSenderInfo : 0);
  if (body.size() < fixed + count * kReportBlock) return tl::unexpected(RtcpParseError::TooShort);
  RtcpReport report;
  report.ssrc = read32(body, 0);
  if (sender) {
    SenderInfo info;
    info.ntp_timestamp = (static_cast<std::uint64_t>(read32(body, 4)) << 32) | read32(body, 8);
    info.rtp_timestamp = read32(body, 12);
    info.packet_count = read32(body, 16);
    info.octet_count = read32(body, 20);
    report.sender = info;
  }
  report.blocks.reserve(count);
  for (std::size_t i = 0; i < count; ++i) report.blocks.push_back(read_block(body, fixed + i * kReportBlock));
  // Anything after the blocks is a profile-specific extension (§6.4.1): ignored.
  return report;
}

// SDES (§6.5): `count` chunks of an SSRC and items ending with a zero octet,
// each chunk padded to 32 bits. Only CNAME is kept.
tl::expected<void, RtcpParseError> read_sdes(Bytes body, std::uint8_t count, RtcpCompound& out) {
  std::size_t at = 0;
  for (std::size_t chunk = 0; chunk < count; ++chunk) {
    if (body.size() - at < 4) return tl::unexpected(RtcpParseError::TooShort);
    const std::uint32_t ssrc = read32(body, at);
    at += 4;
    while (true) {
      if (at >= body.size()) return tl::unexpected(RtcpParseError::LengthOverrun);
      const std::uint8_t type = body[at];
      if (type == kSdesEnd) {
        at = (at + 4) & ~std::size_t{3};  // the terminator and padding to the next word
        if (at > body.size()) return tl::unexpected(RtcpParseError::LengthOverrun);
        break;
      }
      if (body.size() - at < 2) return tl::unexpected(RtcpParseError::LengthOverrun);
      const std::uint8_t length = body[at + 1];
      if (body.size() - at - 2 < length) return tl::unexpected(RtcpParseError::LengthOverrun);
      if (type == kSdesCname) {
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as text
        out.cnames.emplace_back(ssrc, std::string(reinterpret_cast<const char*>(body.data() + at + 2), length));
      }
      at += 2U + length;
    }
  }
  return {};
}

// BYE (§6.6): `count` SSRCs, then optionally a length-prefixed reason.
tl::expected<void, RtcpParseError> read_bye(Bytes body, std::uint8_t count, RtcpCompound& out) {
  if (body.size() < std::size_t{4} * count) return tl::unexpected(RtcpParseError::TooShort);
  for (std::size_t i = 0; i < count; ++i) out.bye.push_back(read32(body, 4 * i));
  const std::size_t at = std::size_t{4} * count;
  if (body.size() > at) {
    const std::uint8_t length = body[at];
    if (body.size() - at - 1 < length) return tl::unexpected(RtcpParseError::LengthOverrun);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as text
    out.bye_reason.assign(reinterpret_cast<const char*>(body.data() + at + 1), length);
  }
  return {};
}

void put_header(std::vector<std::uint8_t>& out, std::size_t at, std::uint8_t count, RtcpType type) {
  const std::size_t words = (out.size() - at) / 4 - 1;
  out[at] = static_cast<std::uint8_t>(0x80U | count);
  out[at + 1] = static_cast<std::uint8_t>(type);
  write16(out, at + 2, static_cast<std::uint16_t>(words));
}

void append32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  const std::size_t at = out.size();
  out.resize(at + 4);
  write32(out, at, v);
}

}  // namespace

std::string_view to_string(RtcpParseError error) noexcept {
  switch (error) {
    case RtcpParseError::TooShort: return "RTCP packet shorter than its type needs";
    case RtcpParseError::BadVersion: return "RTCP version is not 2";
    case RtcpParseError::LengthOverrun: return "RTCP length runs past the datagram";
    case RtcpParseError::BadPadding: return "RTCP padding on a packet other than the last, or a bad count";
    case RtcpParseError::Empty: return "empty RTCP datagram";
  }
  return "?";
}

tl::expected<RtcpCompound, RtcpParseError> parse_rtcp(std::span<const std::uint8_t> datagram) {
  if (datagram.empty()) return tl::unexpected(RtcpParseError::Empty);
  RtcpCompound compound;
  std::size_t at = 0;
  while (at < datagram.size()) {
    if (datagram.size() - at < kCommonHeader) return tl::unexpected(RtcpParseError::TooShort);
    const std::uint8_t first = datagram[at];
    if ((first >> 6) != 2) return tl::unexpected(RtcpParseError::BadVersion);
    const bool padded = (first & 0x20U) != 0;
    const auto count = static_cast<std::uint8_t>(first & 0x1fU);
    const std::uint8_t type = datagram[at + 1];
    const std::size_t length = std::size_t{4} * (read16(datagram, at + 2) + 1U);
    if (datagram.size() - at < length) return tl::unexpected(RtcpParseError::LengthOverrun);
    Bytes body = datagram.subspan(at + kCommonHeader, length - kCommonHeader);
    at += length;
    if (padded) {
      // Only the last packet of a compound may be padded (Appendix A.2).
      if (at != datagram.size()) return tl::unexpected(RtcpParseError::BadPadding);
      const std::uint8_t pad = body.empty() ? 0 : body.back();
      if (pad == 0 || pad > body.size()) return tl::unexpected(RtcpParseError::BadPadding);
      body = body.first(body.size() - pad);
    }
    switch (type) {
      case static_cast<std::uint8_t>(RtcpType::SR):
      case static_cast<std::uint8_t>(RtcpType::RR): {
        auto report = read_report(body, count, type == static_cast<std::uint8_t>(RtcpType::SR));
        if (!report) return tl::unexpected(report.error());
        compound.reports.push_back(std::move(*report));
        break;
      }
      case static_cast<std::uint8_t>(RtcpType::SDES):
        if (auto ok = read_sdes(body, count, compound); !ok) return tl::unexpected(ok.error());
        break;
      case static_cast<std::uint8_t>(RtcpType::BYE):
        if (auto ok = read_bye(body, count, compound); !ok) return tl::unexpected(ok.error());
        break;
      default: ++compound.skipped; break;  // APP, RTPFB/PSFB (RFC 4585), XR (RFC 3611)...
    }
  }
  return compound;
}

std::size_t write_rtcp(const RtcpOutgoing& packet, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  const std::size_t blocks = std::min(packet.blocks.size(), kMaxBlocks);

  // SR or RR (§6.4).
  std::size_t at = out.size();
  out.resize(at + kCommonHeader);
  append32(out, packet.ssrc);
  if (packet.sender) {
    append32(out, static_cast<std::uint32_t>(packet.sender->ntp_timestamp >> 32));
    append32(out, static_cast<std::uint32_t>(packet.sender->ntp_timestamp));
    append32(out, packet.sender->rtp_timestamp);
    append32(out, packet.sender->packet_count);
    append32(out, packet.sender->octet_count);
  }
  for (std::size_t i = 0; i < blocks; ++i) {
    const ReportBlock& b = packet.blocks[i];
    append32(out, b.ssrc);
    const auto lost = static_cast<std::uint32_t>(std::clamp(b.cumulative_lost, -0x800000, 0x7fffff)) & 0xffffffU;
    append32(out, (static_cast<std::uint32_t>(b.fraction_lost) << 24) | lost);
    append32(out, b.highest_sequence);
    append32(out, b.jitter);
    append32(out, b.last_sr);
    append32(out, b.delay_since_last_sr);
  }
  put_header(out, at, static_cast<std::uint8_t>(blocks), packet.sender ? RtcpType::SR : RtcpType::RR);

  // SDES with our CNAME (§6.5.1): one chunk, then the terminator and padding.
  at = out.size();
  out.resize(at + kCommonHeader);
  append32(out, packet.ssrc);
  const std::size_t cname_length = std::min<std::size_t>(packet.cname.size(), 255);
  out.push_back(kSdesCname);
  out.push_back(static_cast<std::uint8_t>(cname_length));
  out.insert(out.end(), packet.cname.begin(), packet.cname.begin() + static_cast<std::ptrdiff_t>(cname_length));
  out.push_back(kSdesEnd);
  while ((out.size() - at) % 4 != 0) out.push_back(0);
  put_header(out, at, 1, RtcpType::SDES);

  if (packet.bye) {
    at = out.size();
    out.resize(at + kCommonHeader);
    append32(out, packet.ssrc);
    put_header(out, at, 1, RtcpType::BYE);
  }
  return out.size() - start;
}

}  // namespace voxgate::media
