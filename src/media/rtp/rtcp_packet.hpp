#pragma once
// RTCP compound packets (RFC 3550 §6): parsing what a peer sends (SR, RR,
// SDES CNAME, BYE; APP and the feedback and XR types of later RFCs are
// skipped by their length) and writing ours (SR or RR, then SDES CNAME,
// optionally BYE: the compound §6.1 requires).
//
// Validation follows RFC 3550 Appendix A.2 with RFC 5506's relaxation (a
// compound need not start with SR/RR): every packet is version 2, lengths
// add up exactly to the datagram, and only the last packet may be padded.
// A compound that fails any of these is refused whole.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace voxgate::media {

enum class RtcpParseError : std::uint8_t {
  TooShort,       // no room for a common header, or a packet shorter than its type needs
  BadVersion,     // a packet whose V is not 2
  LengthOverrun,  // a length field runs past the datagram
  BadPadding,     // padding on a packet that is not the last, or a bad count
  Empty,          // nothing at all
};

std::string_view to_string(RtcpParseError error) noexcept;

enum class RtcpType : std::uint8_t { SR = 200, RR = 201, SDES = 202, BYE = 203, APP = 204 };

// One reception report block (§6.4.1).
struct ReportBlock {
  std::uint32_t ssrc = 0;                 // the source this block reports on
  std::uint8_t fraction_lost = 0;         // since the previous report, fixed point /256
  std::int32_t cumulative_lost = 0;       // 24-bit signed
  std::uint32_t highest_sequence = 0;     // extended highest sequence number received
  std::uint32_t jitter = 0;               // interarrival jitter, timestamp units
  std::uint32_t last_sr = 0;              // LSR: middle 32 bits of the last SR's NTP time
  std::uint32_t delay_since_last_sr = 0;  // DLSR, 1/65536 s
  friend bool operator==(const ReportBlock&, const ReportBlock&) = default;
};

// The sender information of an SR (§6.4.1).
struct SenderInfo {
  std::uint64_t ntp_timestamp = 0;
  std::uint32_t rtp_timestamp = 0;
  std::uint32_t packet_count = 0;
  std::uint32_t octet_count = 0;
  friend bool operator==(const SenderInfo&, const SenderInfo&) = default;
};

// An SR (with sender info) or an RR (without).
struct RtcpReport {
  std::uint32_t ssrc = 0;
  std::optional<SenderInfo> sender;
  std::vector<ReportBlock> blocks;
};

struct RtcpCompound {
  std::vector<RtcpReport> reports;
  std::vector<std::pair<std::uint32_t, std::string>> cnames;  // SDES CNAME items (§6.5.1)
  std::vector<std::uint32_t> bye;                             // SSRCs leaving (§6.6)
  std::string bye_reason;
  std::size_t skipped = 0;  // APP, feedback, XR... packets passed over
};

tl::expected<RtcpCompound, RtcpParseError> parse_rtcp(std::span<const std::uint8_t> datagram);

// What we send: our report, our CNAME, and BYE when leaving.
struct RtcpOutgoing {
  std::uint32_t ssrc = 0;
  std::optional<SenderInfo> sender;  // SR when set (we sent RTP since the last report), else RR
  std::vector<ReportBlock> blocks;   // at most 31
  std::string_view cname;            // at most 255 bytes
  bool bye = false;
};

// Appends the compound to `out`; returns its size in bytes.
std::size_t write_rtcp(const RtcpOutgoing& packet, std::vector<std::uint8_t>& out);

}  // namespace voxgate::media
