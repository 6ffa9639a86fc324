// libFuzzer target: parse_rtp and parse_rtcp on one datagram, as they would
// meet it on an RTP port with rtcp-mux (RFC 5761): looks_like_rtcp decides
// which parser sees it first, and the other one runs too. Links only
// voxgate_media_rtp (media knows nothing of SIP).
//
// Invariants (a violation traps, and libFuzzer keeps the input):
//  - RTP: every view lies inside the datagram, header + CSRCs + extension +
//    payload + padding add up to its size, and the fixed header written
//    back parses to the same fields;
//  - RTCP: a compound that parses, written again from what was parsed (one
//    report with its blocks, its CNAME, BYE), parses again to the same
//    report, blocks and CNAME.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace voxgate::media::fuzz {
namespace {

bool inside(std::span<const std::uint8_t> part, std::span<const std::uint8_t> whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void check_rtp(std::span<const std::uint8_t> datagram) {
  const auto packet = parse_rtp(datagram);
  if (!packet) {
    voxgate::fuzz::sink(to_string(packet.error()).size());
    return;
  }
  FUZZ_CHECK(inside(packet->payload, datagram));
  FUZZ_CHECK(inside(packet->extension, datagram));
  const std::size_t extension = packet->has_extension ? 4 + packet->extension.size() : 0;
  FUZZ_CHECK(kRtpHeaderBytes + 4U * packet->csrc_count + extension + packet->payload.size() + packet->padding ==
             datagram.size());
  for (const std::uint8_t byte : packet->payload) voxgate::fuzz::sink(byte);

  std::vector<std::uint8_t> header(kRtpHeaderBytes);
  write_rtp_header(packet->header, header);
  const auto again = parse_rtp(header);
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->header.marker == packet->header.marker);
  FUZZ_CHECK(again->header.payload_type == packet->header.payload_type);
  FUZZ_CHECK(again->header.sequence == packet->header.sequence);
  FUZZ_CHECK(again->header.timestamp == packet->header.timestamp);
  FUZZ_CHECK(again->header.ssrc == packet->header.ssrc);
}

void check_rtcp(std::span<const std::uint8_t> datagram) {
  const auto compound = parse_rtcp(datagram);
  if (!compound) {
    voxgate::fuzz::sink(to_string(compound.error()).size());
    return;
  }
  if (compound->reports.empty()) return;
  const RtcpReport& report = compound->reports.front();
  RtcpOutgoing out;
  out.ssrc = report.ssrc;
  out.sender = report.sender;
  out.blocks = report.blocks;
  const std::string* cname = compound->cnames.empty() ? nullptr : &compound->cnames.front().second;
  if (cname != nullptr) out.cname = *cname;
  out.bye = !compound->bye.empty();
  std::vector<std::uint8_t> wire;
  FUZZ_CHECK(write_rtcp(out, wire) == wire.size());
  const auto again = parse_rtcp(wire);
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->reports.size() == 1);
  FUZZ_CHECK(again->reports[0].ssrc == report.ssrc);
  FUZZ_CHECK(again->reports[0].sender == report.sender);
  FUZZ_CHECK(again->reports[0].blocks == report.blocks);  // at most 31: the 5-bit count
  FUZZ_CHECK(again->cnames.size() == 1);
  FUZZ_CHECK(cname == nullptr || again->cnames[0].second == *cname);  // at most 255: an 8-bit length
  FUZZ_CHECK(again->bye.empty() != out.bye);
}

}  // namespace
}  // namespace voxgate::media::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> datagram(data, size);
  if (voxgate::media::looks_like_rtcp(datagram)) {
    voxgate::media::fuzz::check_rtcp(datagram);
    voxgate::media::fuzz::check_rtp(datagram);
  } else {
    voxgate::media::fuzz::check_rtp(datagram);
    voxgate::media::fuzz::check_rtcp(datagram);
  }
  return 0;
}
