#include "media/rtp/rtp_receive_stats.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace voxgate::media {
namespace {

// 20-ms PCMU packets: timestamps advance 160, arrivals at exactly that pace
// unless a test shifts them.
struct Sender {
  std::uint16_t sequence;
  std::uint32_t timestamp = 1000;

  void send(RtpReceiveStats& stats, std::int32_t arrival_shift = 0) {
    stats.on_packet(sequence, timestamp, timestamp + 50000 + static_cast<std::uint32_t>(arrival_shift), 160);
    ++sequence;
    timestamp += 160;
  }
  void skip() {
    ++sequence;
    timestamp += 160;
  }
};

TEST(RtpReceiveStats, InOrderPacketsAcrossTheSequenceWrapLoseNothing) {
  RtpReceiveStats stats;
  Sender sender{65500};
  for (int i = 0; i < 100; ++i) sender.send(stats);
  EXPECT_EQ(stats.counters().packets, 100U) << "every packet counted, probation included";
  EXPECT_EQ(stats.counters().bytes, 16000U);
  EXPECT_EQ(stats.expected(), 99U) << "A.1: counting starts when probation ends, at the second packet";
  EXPECT_EQ(stats.cumulative_lost(), 0);
  EXPECT_EQ(stats.extended_highest(), 65536U + static_cast<std::uint16_t>(65500 + 99));
  EXPECT_EQ(stats.jitter(), 0U);
}

TEST(RtpReceiveStats, GapsAreLostAndTheReportGivesTheFractionSinceTheLastOne) {
  RtpReceiveStats stats;
  Sender sender{1};
  sender.send(stats);
  sender.send(stats);  // probation over
  for (int i = 0; i < 40; ++i) {
    if (i % 4 == 0) {
      sender.skip();
    } else {
      sender.send(stats);
    }
  }
  EXPECT_EQ(stats.cumulative_lost(), 10);
  const ReportBlock first = stats.make_report(0x55, 0, 0);
  EXPECT_EQ(first.ssrc, 0x55U);
  EXPECT_EQ(first.cumulative_lost, 10);
  EXPECT_EQ(first.fraction_lost, (10 * 256) / 41) << "10 of the 41 expected so far";
  for (int i = 0; i < 20; ++i) sender.send(stats);
  const ReportBlock second = stats.make_report(0x55, 0, 0);
  EXPECT_EQ(second.fraction_lost, 0) << "nothing lost since the previous report";
  EXPECT_EQ(second.cumulative_lost, 10);
}

TEST(RtpReceiveStats, ReorderedAndDuplicatedPacketsAreCountedApart) {
  RtpReceiveStats stats;
  for (std::uint16_t seq : {10, 11, 12, 14, 13, 15, 15, 12}) stats.on_packet(seq, seq * 160U, seq * 160U, 160);
  EXPECT_EQ(stats.counters().out_of_order, 1U) << "13 after 14";
  EXPECT_EQ(stats.counters().duplicates, 2U) << "15 again and 12 again";
  EXPECT_EQ(stats.cumulative_lost(), -2) << "duplicates make it negative (RFC 3550 §6.4.1)";
}

TEST(RtpReceiveStats, JitterFollowsTheVariationOfTransitTime) {
  RtpReceiveStats stats;
  Sender steady{100};
  for (int i = 0; i < 50; ++i) steady.send(stats, 0);
  EXPECT_EQ(stats.jitter(), 0U);
  // Arrivals alternately 40 units (5 ms at 8 kHz) early and late: |D| = 80.
  for (int i = 0; i < 400; ++i) steady.send(stats, i % 2 == 0 ? 40 : -40);
  EXPECT_NEAR(static_cast<double>(stats.jitter()), 80.0, 2.0);
}

TEST(RtpReceiveStats, ALargeJumpIsBelievedOnlyWhenTheNextPacketFollowsIt) {
  RtpReceiveStats stats;
  Sender sender{1};
  for (int i = 0; i < 5; ++i) sender.send(stats);
  EXPECT_FALSE(stats.on_packet(40000, 0, 0, 160)) << "a stray packet far ahead";
  EXPECT_TRUE(stats.on_packet(6, 0, 0, 160)) << "the stream goes on";
  EXPECT_EQ(stats.counters().resyncs, 0U);
  EXPECT_FALSE(stats.on_packet(50000, 0, 0, 160));
  EXPECT_TRUE(stats.on_packet(50001, 0, 0, 160)) << "the source restarted: resynchronised";
  EXPECT_EQ(stats.counters().resyncs, 1U);
  EXPECT_EQ(stats.expected(), 1U);
  EXPECT_EQ(stats.cumulative_lost(), 0);
}

}  // namespace
}  // namespace voxgate::media
