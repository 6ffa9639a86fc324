#include "media/rtp/rtcp_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace voxgate::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

ReportBlock sample_block() {
  return ReportBlock{.ssrc = 0x11223344U,
                     .fraction_lost = 25,
                     .cumulative_lost = -3,
                     .highest_sequence = 0x00010005U,
                     .jitter = 80,
                     .last_sr = 0xabcd1234U,
                     .delay_since_last_sr = 65536};
}

TEST(RtcpPacket, ASenderReportCompoundRoundTrips) {
  RtcpOutgoing ours;
  ours.ssrc = 0xcafef00dU;
  ours.sender = SenderInfo{
      .ntp_timestamp = 0xe8f0000180000000ULL, .rtp_timestamp = 160000, .packet_count = 1000, .octet_count = 160000};
  ours.blocks = {sample_block()};
  ours.cname = "voxgate@192.0.2.10";
  Bytes wire;
  const std::size_t size = write_rtcp(ours, wire);
  EXPECT_EQ(size, wire.size());
  EXPECT_EQ(wire.size() % 4, 0U);
  EXPECT_EQ(wire[1], 200) << "SR first";

  const auto parsed = parse_rtcp(wire);
  ASSERT_TRUE(parsed) << to_string(parsed.error());
  ASSERT_EQ(parsed->reports.size(), 1U);
  const RtcpReport& report = parsed->reports[0];
  EXPECT_EQ(report.ssrc, 0xcafef00dU);
  ASSERT_TRUE(report.sender);
  EXPECT_EQ(*report.sender, *ours.sender);
  ASSERT_EQ(report.blocks.size(), 1U);
  EXPECT_EQ(report.blocks[0], sample_block()) << "negative cumulative loss survives the 24-bit field";
  ASSERT_EQ(parsed->cnames.size(), 1U);
  EXPECT_EQ(parsed->cnames[0].first, 0xcafef00dU);
  EXPECT_EQ(parsed->cnames[0].second, "voxgate@192.0.2.10");
  EXPECT_TRUE(parsed->bye.empty());
}

TEST(RtcpPacket, AReceiverReportWithByeRoundTrips) {
  RtcpOutgoing ours;
  ours.ssrc = 7;
  ours.cname = "abc";  // 2 + 3 + terminator: padded to the word
  ours.bye = true;
  Bytes wire;
  write_rtcp(ours, wire);
  EXPECT_EQ(wire[1], 201);
  const auto parsed = parse_rtcp(wire);
  ASSERT_TRUE(parsed) << to_string(parsed.error());
  EXPECT_FALSE(parsed->reports.at(0).sender);
  EXPECT_TRUE(parsed->reports.at(0).blocks.empty());
  EXPECT_EQ(parsed->cnames.at(0).second, "abc");
  EXPECT_EQ(parsed->bye, std::vector<std::uint32_t>{7});
}

TEST(RtcpPacket, CnameLengthsOnEveryWordBoundaryParse) {
  for (std::size_t n = 1; n <= 9; ++n) {
    RtcpOutgoing ours;
    const std::string cname(n, 'x');
    ours.cname = cname;
    Bytes wire;
    write_rtcp(ours, wire);
    const auto parsed = parse_rtcp(wire);
    ASSERT_TRUE(parsed) << n << ": " << to_string(parsed.error());
    EXPECT_EQ(parsed->cnames.at(0).second, cname);
  }
}

TEST(RtcpPacket, UnknownTypesAreSkippedByTheirLength) {
  // An RTPFB (205) generic NACK of 3 words after an empty RR.
  const Bytes wire{0x80, 201, 0, 1, 0, 0, 0, 9, 0x81, 205, 0, 2, 0, 0, 0, 9, 0, 0, 0, 5};
  const auto parsed = parse_rtcp(wire);
  ASSERT_TRUE(parsed) << to_string(parsed.error());
  EXPECT_EQ(parsed->skipped, 1U);
  EXPECT_EQ(parsed->reports.size(), 1U);
}

TEST(RtcpPacket, ByeCarriesItsReason) {
  const Bytes wire{0x81, 203, 0, 3, 0, 0, 0, 9, 4, 'd', 'o', 'n', 'e', 0, 0, 0};
  const auto parsed = parse_rtcp(wire);
  ASSERT_TRUE(parsed) << to_string(parsed.error());
  EXPECT_EQ(parsed->bye, std::vector<std::uint32_t>{9});
  EXPECT_EQ(parsed->bye_reason, "done");
}

TEST(RtcpPacket, RefusesCompoundsThatBreakAppendixA2) {
  EXPECT_EQ(parse_rtcp(Bytes{}).error(), RtcpParseError::Empty);
  EXPECT_EQ(parse_rtcp(Bytes{0x80, 201, 0}).error(), RtcpParseError::TooShort);
  EXPECT_EQ(parse_rtcp(Bytes{0x40, 201, 0, 1, 0, 0, 0, 9}).error(), RtcpParseError::BadVersion);
  EXPECT_EQ(parse_rtcp(Bytes{0x80, 201, 0, 2, 0, 0, 0, 9}).error(), RtcpParseError::LengthOverrun);
  // An RR claiming one report block but carrying none.
  EXPECT_EQ(parse_rtcp(Bytes{0x81, 201, 0, 1, 0, 0, 0, 9}).error(), RtcpParseError::TooShort);
  // Padding on the first of two packets.
  const Bytes padded_first{0xa0, 201, 0, 1, 0, 0, 0, 4, 0x80, 201, 0, 1, 0, 0, 0, 9};
  EXPECT_EQ(parse_rtcp(padded_first).error(), RtcpParseError::BadPadding);
  // An SDES item running past its packet.
  const Bytes sdes{0x81, 202, 0, 2, 0, 0, 0, 9, 1, 200, 'x', 'y'};
  EXPECT_EQ(parse_rtcp(sdes).error(), RtcpParseError::LengthOverrun);
}

}  // namespace
}  // namespace voxgate::media
