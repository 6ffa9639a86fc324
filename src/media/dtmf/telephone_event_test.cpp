#include "media/dtmf/telephone_event.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace voxgate::media {
namespace {

using Bytes = std::array<std::uint8_t, kTelephoneEventBytes>;

Bytes wire(const TelephoneEventPayload& event) {
  Bytes out{};
  write_telephone_event(event, out);
  return out;
}

TEST(TelephoneEvent, DigitsMapToRfc4733EventCodes) {
  EXPECT_EQ(dtmf_event_from_char('0')->code, 0);
  EXPECT_EQ(dtmf_event_from_char('9')->code, 9);
  EXPECT_EQ(dtmf_event_from_char('*')->code, 10);
  EXPECT_EQ(dtmf_event_from_char('#')->code, 11);
  EXPECT_EQ(dtmf_event_from_char('a')->code, 12);
  EXPECT_EQ(dtmf_event_from_char('D')->code, 15);
  EXPECT_FALSE(dtmf_event_from_char('x'));
  EXPECT_EQ(dtmf_char(DtmfEvent{11}), '#');
  EXPECT_EQ(dtmf_char(DtmfEvent{16}), '!');
  EXPECT_EQ(dtmf_char(DtmfEvent{99}), '?');
}

TEST(TelephoneEvent, PayloadRoundTripsWithEndBitVolumeAndDuration) {
  const Bytes bytes = wire(TelephoneEventPayload{DtmfEvent{5}, true, 10, 800});
  EXPECT_EQ(bytes, (Bytes{0x05, 0x8a, 0x03, 0x20}));
  const auto parsed = parse_telephone_event(bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->event.code, 5);
  EXPECT_TRUE(parsed->end);
  EXPECT_EQ(parsed->volume, 10);
  EXPECT_EQ(parsed->duration, 800);
  EXPECT_FALSE(parse_telephone_event(std::array<std::uint8_t, 3>{5, 0x8a, 3}));
}

TEST(TelephoneEvent, ASentDigitIsReportedExactlyOnceEvenWithLostPackets) {
  // "1", "2", "1": two equal digits in a row must still be two reports.
  std::string reported;
  TelephoneEventReceiver receiver;
  std::uint32_t timestamp = 8000;
  int packet_number = 0;
  for (const char digit : std::string("121")) {
    TelephoneEventSender sender(*dtmf_event_from_char(digit), 800, 160);
    while (auto packet = sender.next()) {
      // Lose the first packet of the second digit and one of every three after.
      const bool lost = (digit == '2' && packet->marker) || (++packet_number % 3 == 0);
      if (lost) continue;
      if (auto event = receiver.on_packet(timestamp, wire(packet->payload))) reported += dtmf_char(*event);
    }
    timestamp += 1600;  // the next event starts later (§2.5.1.2: a new timestamp)
  }
  EXPECT_EQ(reported, "121");
}

TEST(TelephoneEvent, TheSenderMarksTheStartGrowsTheDurationAndSendsTheEndThreeTimes) {
  TelephoneEventSender sender(DtmfEvent{3}, 480, 160);
  std::vector<TelephoneEventSender::Packet> packets;
  while (auto packet = sender.next()) packets.push_back(*packet);
  ASSERT_EQ(packets.size(), 5U);  // 160, 320, 480 (end) and two end repeats
  EXPECT_TRUE(packets[0].marker);
  EXPECT_FALSE(packets[1].marker);
  EXPECT_EQ(packets[0].payload.duration, 160);
  EXPECT_EQ(packets[1].payload.duration, 320);
  EXPECT_FALSE(packets[1].payload.end);
  for (std::size_t i = 2; i < 5; ++i) {
    EXPECT_TRUE(packets[i].payload.end);
    EXPECT_EQ(packets[i].payload.duration, 480);
  }
}

}  // namespace
}  // namespace voxgate::media
