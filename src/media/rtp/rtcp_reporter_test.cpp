#include "media/rtp/rtcp_reporter.hpp"

#include <gtest/gtest.h>

namespace voxgate::media {
namespace {

constexpr std::uint64_t kSecond = std::uint64_t{1} << 32;  // NTP 32.32

RtcpCompound parse(const std::vector<std::uint8_t>& bytes) {
  auto parsed = parse_rtcp(bytes);
  EXPECT_TRUE(parsed.has_value());
  return parsed ? *parsed : RtcpCompound{};
}

TEST(RtcpReporter, SendsAnRrUntilItSentRtpThenAnSrWithItsCounts) {
  RtcpReporter reporter(0x1111, "a@voxgate");
  std::vector<std::uint8_t> out;
  reporter.write_report(nullptr, 0, 100 * kSecond, 0, false, out);
  auto first = parse(out);
  ASSERT_EQ(first.reports.size(), 1U);
  EXPECT_FALSE(first.reports[0].sender.has_value());
  ASSERT_EQ(first.cnames.size(), 1U);
  EXPECT_EQ(first.cnames[0].second, "a@voxgate");

  reporter.on_rtp_sent(160, 160);
  reporter.on_rtp_sent(320, 160);
  out.clear();
  reporter.write_report(nullptr, 0, 101 * kSecond, 8320, false, out);
  auto second = parse(out);
  ASSERT_TRUE(second.reports[0].sender.has_value());
  EXPECT_EQ(second.reports[0].sender->packet_count, 2U);
  EXPECT_EQ(second.reports[0].sender->octet_count, 320U);
  EXPECT_EQ(second.reports[0].sender->rtp_timestamp, 8320U);
  EXPECT_EQ(second.reports[0].sender->ntp_timestamp, 101 * kSecond);
  EXPECT_EQ(reporter.reports_sent(), 2U);
}

TEST(RtcpReporter, ComputesTheRoundTripFromTheBlockThatEchoesOurSr) {
  // A sends an SR at t=10 s; B receives it 30 ms later, answers 200 ms
  // after that with a block echoing it; A receives that 30 ms later: the
  // round trip is 60 ms (§6.4.1, Figure 2).
  RtcpReporter a(0xA, "a");
  RtcpReporter b(0xB, "b");
  a.on_rtp_sent(0, 160);
  std::vector<std::uint8_t> sr;
  a.write_report(nullptr, 0, 10 * kSecond, 0, false, sr);
  const std::uint64_t ms = kSecond / 1000;
  b.on_received(parse(sr), 10 * kSecond + 30 * ms);

  RtpReceiveStats stats_at_b;
  for (std::uint16_t seq = 0; seq < 10; ++seq) stats_at_b.on_packet(seq, seq * 160U, seq * 160U, 160);
  std::vector<std::uint8_t> rr;
  b.write_report(&stats_at_b, 0xA, 10 * kSecond + 230 * ms, 0, false, rr);
  const auto compound = parse(rr);
  ASSERT_EQ(compound.reports.at(0).blocks.size(), 1U);
  EXPECT_EQ(compound.reports[0].blocks[0].ssrc, 0xAU);
  EXPECT_EQ(compound.reports[0].blocks[0].last_sr, ntp_middle32(10 * kSecond));

  a.on_received(compound, 10 * kSecond + 260 * ms);
  ASSERT_TRUE(a.round_trip_seconds().has_value());
  EXPECT_NEAR(*a.round_trip_seconds(), 0.060, 0.001);
  ASSERT_TRUE(a.peer_report().has_value());
  EXPECT_EQ(a.peer_report()->highest_sequence, 9U);
}

TEST(RtcpReporter, IgnoresBlocksAboutOtherSourcesAndBlocksWithoutAnSr) {
  RtcpReporter a(0xA, "a");
  RtcpCompound compound;
  RtcpReport report;
  report.ssrc = 0xB;
  ReportBlock other;
  other.ssrc = 0xC;
  other.last_sr = 5;
  ReportBlock no_sr;
  no_sr.ssrc = 0xA;
  report.blocks = {other, no_sr};
  compound.reports.push_back(report);
  a.on_received(compound, 20 * kSecond);
  EXPECT_FALSE(a.round_trip_seconds().has_value());
  ASSERT_TRUE(a.peer_report().has_value());  // the block about us, even without timing
}

TEST(RtcpReporter, AddsByeWhenLeaving) {
  RtcpReporter a(0xA, "a");
  std::vector<std::uint8_t> out;
  a.write_report(nullptr, 0, kSecond, 0, true, out);
  EXPECT_EQ(parse(out).bye, std::vector<std::uint32_t>{0xA});
}

TEST(RtcpReporter, RandomisesTheIntervalAroundFiveSeconds) {
  EXPECT_EQ(RtcpReporter::next_interval_ms(0.0), 2500U);
  EXPECT_EQ(RtcpReporter::next_interval_ms(0.5), 5000U);
  EXPECT_EQ(RtcpReporter::next_interval_ms(0.999), 7495U);
  EXPECT_EQ(RtcpReporter::next_interval_ms(7.0), 7500U);  // clamped
}

}  // namespace
}  // namespace voxgate::media
