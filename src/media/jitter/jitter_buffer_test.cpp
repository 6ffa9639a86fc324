#include "media/jitter/jitter_buffer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace voxgate::media {
namespace {

constexpr std::uint32_t kFrame = 160;  // 20 ms at 8 kHz

// One packet on the wire: its RTP fields, the tick it reaches us, and the
// index the sender gave it (written into the payload, read back on play).
struct Packet {
  std::uint32_t timestamp;
  std::uint16_t sequence;
  bool marker;
  std::uint32_t arrival_tick;
  std::uint32_t index;
};

std::vector<std::uint8_t> payload_of(std::uint32_t index) {
  std::vector<std::uint8_t> bytes(kFrame, static_cast<std::uint8_t>(index));
  for (std::size_t i = 0; i < 4; ++i) bytes[i] = static_cast<std::uint8_t>(index >> (8 * i));
  return bytes;
}

std::uint32_t index_of(std::span<const std::uint8_t> payload) {
  std::uint32_t index = 0;
  for (std::size_t i = 0; i < 4; ++i) index |= static_cast<std::uint32_t>(payload[i]) << (8 * i);
  return index;
}

// A 20-ms sender: one packet per tick. Timestamps start away from zero and
// sequence numbers wrap during the tests.
struct Sender {
  std::uint32_t timestamp = 90000;
  std::uint16_t sequence = 65500;
  std::uint32_t tick = 0;
  std::uint32_t index = 0;

  // The next packet, arriving `delay` ticks after it was sent.
  Packet send(std::uint32_t delay = 0, bool marker = false) {
    Packet packet{timestamp, sequence, marker, tick + delay, index};
    skip();
    return packet;
  }
  // The next packet is lost, or never sent (DTX: the timestamp still
  // advances, RFC 3550 §5.1, but the sequence number does not).
  void skip(bool lost = true) {
    timestamp += kFrame;
    if (lost) ++sequence;
    ++tick;
    ++index;
  }
};

// `count` packets, each arriving at the tick it is sent.
void send_steady(Sender& sender, std::vector<Packet>& packets, std::size_t count) {
  packets.reserve(packets.size() + count);
  for (std::size_t i = 0; i < count; ++i) packets.push_back(sender.send());
}

struct Played {
  JitterOutcome outcome;
  std::uint32_t timestamp;
  std::uint32_t index;  // the sender's index of a Frame
};

// Delivers packets at their arrival ticks: at each tick, the packets
// arriving then are put (in the order given), then one get().
class Network {
 public:
  explicit Network(std::vector<Packet> packets) : packets_(std::move(packets)) {
    std::stable_sort(packets_.begin(), packets_.end(),
                     [](const Packet& a, const Packet& b) { return a.arrival_tick < b.arrival_tick; });
  }

  Played tick(JitterBuffer& buffer) {
    for (; next_ < packets_.size() && packets_[next_].arrival_tick == tick_; ++next_) {
      const Packet& packet = packets_[next_];
      buffer.put(packet.timestamp, packet.sequence, packet.marker, payload_of(packet.index));
    }
    ++tick_;
    const JitterFrame frame = buffer.get();
    return {frame.outcome, frame.timestamp,
            frame.outcome == JitterOutcome::Frame ? index_of(frame.payload) : UINT32_MAX};
  }

 private:
  std::vector<Packet> packets_;
  std::size_t next_ = 0;
  std::uint32_t tick_ = 0;
};

// Ticks 0 to ticks - 1.
std::vector<Played> run(JitterBuffer& buffer, std::vector<Packet> packets, std::uint32_t ticks) {
  Network network(std::move(packets));
  std::vector<Played> played;
  for (std::uint32_t tick = 0; tick < ticks; ++tick) played.push_back(network.tick(buffer));
  return played;
}

// F, M or S per tick, for failure messages.
std::string outcomes(const std::vector<Played>& played) {
  std::string text;
  for (const Played& p : played) text += "FMS"[static_cast<int>(p.outcome)];
  return text;
}

// The tick at which the packet of `index` played.
std::size_t tick_of(const std::vector<Played>& played, std::uint32_t index) {
  for (std::size_t tick = 0; tick < played.size(); ++tick) {
    if (played[tick].outcome == JitterOutcome::Frame && played[tick].index == index) return tick;
  }
  return SIZE_MAX;
}

JitterBuffer make_buffer() {
  auto buffer = JitterBuffer::create();
  if (!buffer) throw std::runtime_error(buffer.error().message);
  return std::move(*buffer);
}

std::vector<std::uint32_t> frames_of(const std::vector<Played>& played) {
  std::vector<std::uint32_t> indexes;
  for (const Played& p : played) {
    if (p.outcome == JitterOutcome::Frame) indexes.push_back(p.index);
  }
  return indexes;
}

std::size_t count(const std::vector<Played>& played, JitterOutcome outcome) {
  return static_cast<std::size_t>(
      std::count_if(played.begin(), played.end(), [&](const Played& p) { return p.outcome == outcome; }));
}

// The longest run of consecutive outcomes other than Frame, from `from` on.
std::size_t longest_gap(const std::vector<Played>& played, std::size_t from = 0) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (std::size_t i = from; i < played.size(); ++i) {
    run = played[i].outcome == JitterOutcome::Frame ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  return longest;
}

bool strictly_increasing(const std::vector<std::uint32_t>& indexes) {
  return std::adjacent_find(indexes.begin(), indexes.end(), std::greater_equal<>()) == indexes.end();
}

// Frames the sender sent from the first played to the last that did not play.
std::size_t gaps(const std::vector<std::uint32_t>& indexes) {
  return indexes.empty() ? 0 : indexes.back() - indexes.front() + 1 - indexes.size();
}

TEST(JitterBuffer, NothingReceivedYetIsSilenceNotConcealment) {
  JitterBuffer buffer = make_buffer();
  for (int i = 0; i < 30; ++i) EXPECT_EQ(buffer.get().outcome, JitterOutcome::Silence);
  EXPECT_EQ(buffer.stats().silence, 30U);
  EXPECT_EQ(buffer.stats().concealed, 0U);
}

TEST(JitterBuffer, InOrderPacketsPlayInOrderOnePerTickAfterATwoTickStart) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 200);
  const auto played = run(buffer, packets, 202);

  EXPECT_EQ(played[0].outcome, JitterOutcome::Silence);
  EXPECT_EQ(played[1].outcome, JitterOutcome::Silence);
  ASSERT_EQ(played[2].outcome, JitterOutcome::Frame) << "40 ms of initial delay, then playout";
  EXPECT_EQ(played[2].index, 0U);
  EXPECT_EQ(played[2].timestamp, 90000U);
  const auto frames = frames_of(played);
  EXPECT_TRUE(strictly_increasing(frames)) << "across the sequence number wrap too";
  // The 40 ms are not needed, but the peer never pauses: they are kept
  // rather than given back by skipping speech.
  EXPECT_EQ(gaps(frames), 0U);
  EXPECT_EQ(buffer.stats().skipped, 0U);
  EXPECT_EQ(frames.back(), 199U);
  EXPECT_EQ(buffer.stats().concealed, 0U) << outcomes(played);
  EXPECT_EQ(buffer.stats().late, 0U);
}

TEST(JitterBuffer, ReorderedPacketsWithinTheDepthPlayInOrderWithoutConcealment) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  // Sent 0,1,2,3,...; every second packet overtaken by the next: arrivals
  // 0,2,1,4,3,6,5,...
  for (std::uint32_t i = 0; i < 300; ++i) packets.push_back(sender.send(i % 2 == 1 ? 1 : 0));
  for (std::size_t i = 1; i + 1 < packets.size(); i += 2) std::swap(packets[i], packets[i + 1]);
  const auto played = run(buffer, packets, 300);

  const auto frames = frames_of(played);
  EXPECT_TRUE(strictly_increasing(frames));
  EXPECT_EQ(frames.front(), 0U);
  EXPECT_EQ(gaps(frames), 0U) << "the one frame of delay the reordering does not need is kept, not skipped";
  EXPECT_EQ(buffer.stats().skipped, 0U);
  EXPECT_EQ(buffer.stats().concealed, 0U) << outcomes(played);
  EXPECT_EQ(buffer.stats().late, 0U);
}

TEST(JitterBuffer, DuplicatePacketPlaysOnceAndIsCounted) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 40);
  packets.push_back(packets[10]);  // the same packet again, same tick
  Packet later = packets[20];      // and one again three ticks later, still buffered
  later.arrival_tick += 3;
  packets.push_back(later);
  const auto played = run(buffer, packets, 40);

  const auto frames = frames_of(played);
  EXPECT_TRUE(strictly_increasing(frames)) << "10 and 20 played once each";
  EXPECT_EQ(frames.size(), 38U) << outcomes(played);
  EXPECT_EQ(buffer.stats().duplicates, 2U);
  EXPECT_EQ(buffer.stats().concealed, 0U);
}

TEST(JitterBuffer, LostPacketIsExactlyOneMissingAtItsTick) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  for (int i = 0; i < 60; ++i) {
    if (i == 30) {
      sender.skip();
    } else {
      packets.push_back(sender.send());
    }
  }
  const auto played = run(buffer, packets, 60);

  // Packet i plays at tick i + 2.
  EXPECT_EQ(played[31].index, 29U);
  EXPECT_EQ(played[32].outcome, JitterOutcome::Missing);
  EXPECT_EQ(played[32].timestamp, 90000U + 30 * kFrame) << "the lost packet's timestamp, for the concealment";
  EXPECT_EQ(played[33].index, 31U);
  EXPECT_EQ(count(played, JitterOutcome::Missing), 1U);
  EXPECT_EQ(buffer.stats().concealed, 1U);
}

TEST(JitterBuffer, LatePacketIsConcealedAtItsTickCountedAndNeverPlayed) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  for (std::uint32_t i = 0; i < 60; ++i) packets.push_back(sender.send(i == 30 ? 5 : 0));
  const auto played = run(buffer, packets, 60);

  EXPECT_EQ(played[32].outcome, JitterOutcome::Missing) << "due at tick 32, arrives at 35";
  const auto frames = frames_of(played);
  EXPECT_EQ(std::count(frames.begin(), frames.end(), 30U), 0);
  EXPECT_TRUE(std::is_sorted(frames.begin(), frames.end()));
  EXPECT_EQ(buffer.stats().late, 1U);
}

// Arrival delays uniform over 0-40 ms (0, 1 or 2 ticks), so packets also
// overtake each other.
std::vector<Packet> jittered(std::uint32_t count, std::uint32_t seed) {
  Sender sender;
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::uint32_t> delay(0, 2);
  std::vector<Packet> packets;
  for (std::uint32_t i = 0; i < count; ++i) packets.push_back(sender.send(delay(random)));
  return packets;
}

TEST(JitterBuffer, FortyMillisecondsOfJitterGrowTheDelaySoFewFramesAreConcealed) {
  JitterBuffer buffer = make_buffer();
  Network network(jittered(3000, 4));
  std::vector<Played> played;
  std::uint64_t delay_sum = 0;
  for (std::uint32_t tick = 0; tick < 3000; ++tick) {
    played.push_back(network.tick(buffer));
    if (tick >= 1000) delay_sum += buffer.stats().delay;
  }

  const auto frames = frames_of(played);
  EXPECT_TRUE(strictly_increasing(frames));
  EXPECT_LT(buffer.stats().concealed, 3000U / 100) << "under 1 % concealed: " << outcomes(played);
  EXPECT_EQ(buffer.stats().resyncs, 0U);
  // What it takes: audio buffered, on average, at least a frame, and at
  // most twice the jitter.
  const double mean_delay = static_cast<double>(delay_sum) / 2000.0;
  EXPECT_GE(mean_delay, 1.0 * kFrame);
  EXPECT_LE(buffer.stats().max_delay, 4 * kFrame);
}

TEST(JitterBuffer, DelaySpikesOnFivePercentOfPacketsAreBufferedRatherThanConcealed) {
  // 40-100 ms extra on 5 % of packets: the late cost (two frames per
  // percent) makes covering them worth the delay.
  Sender sender;
  std::mt19937 random(4);
  std::bernoulli_distribution spike(0.05);
  std::uniform_int_distribution<std::uint32_t> extra(2, 5);
  std::vector<Packet> packets;
  for (std::uint32_t i = 0; i < 6000; ++i) packets.push_back(sender.send(spike(random) ? extra(random) : 0));
  JitterBuffer buffer = make_buffer();
  const auto played = run(buffer, packets, 6000);

  EXPECT_LT(buffer.stats().concealed, 6000U * 3 / 1000) << "under 0.3 % concealed";
  EXPECT_LE(buffer.stats().max_delay, 5 * kFrame) << "no more delay than the largest spike";
  EXPECT_TRUE(strictly_increasing(frames_of(played)));
}

TEST(JitterBuffer, SteadyArrivalsKeepTheBufferShallow) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 500);
  Network network(packets);
  std::uint32_t worst_after_warmup = 0;
  for (std::uint32_t tick = 0; tick < 500; ++tick) {
    network.tick(buffer);
    if (tick >= 100) worst_after_warmup = std::max(worst_after_warmup, buffer.stats().delay);
  }
  EXPECT_EQ(worst_after_warmup, 2 * kFrame) << "the initial 40 ms, never more (the next pause gives it back)";
  EXPECT_EQ(buffer.stats().skipped, 0U);
  EXPECT_EQ(buffer.stats().concealed, 0U);
}

TEST(JitterBuffer, SteadyTenSecondStreamPlaysEveryPacketExactlyOnceWithNothingSkipped) {
  // What an echo test sees (SIPp's 100 PCMU packets, and longer): once the
  // 40-ms start has passed, every packet is played, in its own tick.
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 500);
  const auto played = run(buffer, packets, 502);

  EXPECT_EQ(count(played, JitterOutcome::Silence), 2U);
  for (std::uint32_t index = 0; index < 500; ++index) {
    ASSERT_EQ(played[index + 2].outcome, JitterOutcome::Frame) << index << " " << outcomes(played);
    ASSERT_EQ(played[index + 2].index, index) << outcomes(played);
  }
  EXPECT_EQ(buffer.stats().frames, 500U);
  EXPECT_EQ(buffer.stats().skipped, 0U);
  EXPECT_EQ(buffer.stats().given_back, 0U);
  EXPECT_EQ(buffer.stats().concealed, 0U);
  EXPECT_EQ(buffer.stats().late, 0U);
}

// 2 s of steady talk, 2 s in which every fifth packet is 80 ms late, 30 s
// of steady talk again, `pause` ticks of DTX (timestamps advance, sequence
// numbers do not), and a 2-s talk spurt starting with a marked packet.
// The late packets make speexdsp grow the delay; after some 16 s of steady
// arrivals its history no longer justifies the extra delay.
constexpr std::uint32_t kSpikesFrom = 100;
constexpr std::uint32_t kSteadyFrom = 200;
constexpr std::uint32_t kPauseFrom = 1700;

std::vector<Packet> spikes_then_pause(std::uint32_t pause) {
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, kSpikesFrom);
  for (std::uint32_t i = kSpikesFrom; i < kSteadyFrom; ++i) packets.push_back(sender.send(i % 5 == 0 ? 4 : 0));
  send_steady(sender, packets, kPauseFrom - kSteadyFrom);
  for (std::uint32_t i = 0; i < pause; ++i) sender.skip(false);
  packets.push_back(sender.send(0, true));
  send_steady(sender, packets, 99);
  return packets;
}

// The delay a packet played with: the ticks from its arrival (its index,
// arriving in the tick it is sent) to its playout.
std::size_t delay_of(const std::vector<Played>& played, std::uint32_t index) {
  return tick_of(played, index) - index;
}

void expect_extra_delay_kept_through_the_spurt(const std::vector<Played>& played, const JitterBuffer& buffer) {
  EXPECT_GE(buffer.stats().inserted, 1U) << "the late packets grew the delay: " << outcomes(played);
  const std::size_t grown = delay_of(played, kSteadyFrom);
  EXPECT_GT(grown, 2U) << outcomes(played);
  // Every packet of the steady talk plays, one per tick: speexdsp wanted
  // the delay back long before the pause, but it is not taken mid-speech.
  for (std::uint32_t index = kSteadyFrom; index < kPauseFrom; ++index) {
    ASSERT_EQ(delay_of(played, index), grown) << index << " " << outcomes(played);
  }
}

TEST(JitterBuffer, DelayGrownByLatePacketsIsKeptThroughTheTalkSpurtAndGivenBackInThePause) {
  constexpr std::uint32_t kPause = 10;  // 200 ms: concealment, then silence
  JitterBuffer buffer = make_buffer();
  const auto played = run(buffer, spikes_then_pause(kPause), kPauseFrom + kPause + 100 + 2);

  expect_extra_delay_kept_through_the_spurt(played, buffer);
  const std::size_t grown = delay_of(played, kPauseFrom - 1);
  // Given back during the pause's silence: the next spurt plays with less.
  EXPECT_GE(buffer.stats().given_back, 1U);
  const std::uint32_t next = kPauseFrom + kPause;
  EXPECT_LT(delay_of(played, next), grown) << outcomes(played);
  EXPECT_LE(delay_of(played, next), 2U) << outcomes(played);
  for (std::uint32_t index = next; index < next + 100; ++index) {
    ASSERT_EQ(delay_of(played, index), delay_of(played, next)) << index << " " << outcomes(played);
  }
  EXPECT_EQ(buffer.stats().skipped, 0U);
  EXPECT_EQ(buffer.stats().resyncs, 0U);
}

TEST(JitterBuffer, DelayGrownByLatePacketsIsGivenBackWhenTheNextTalkSpurtStarts) {
  // A pause of 100 ms: one tick of concealment, then the marked packet
  // arrives with nothing before it buffered, and the playout point moves
  // over the rest of the pause to it.
  constexpr std::uint32_t kPause = 5;
  JitterBuffer buffer = make_buffer();
  const auto played = run(buffer, spikes_then_pause(kPause), kPauseFrom + kPause + 100 + 2);

  expect_extra_delay_kept_through_the_spurt(played, buffer);
  const std::size_t grown = delay_of(played, kPauseFrom - 1);
  const std::uint32_t next = kPauseFrom + kPause;
  EXPECT_LT(delay_of(played, next), grown) << outcomes(played);
  EXPECT_EQ(buffer.stats().given_back, grown - delay_of(played, next));
  EXPECT_EQ(tick_of(played, next) - tick_of(played, kPauseFrom - 1) - 1, kPause - buffer.stats().given_back)
      << "the pause played shorter by the delay given back: " << outcomes(played);
  for (std::uint32_t index = next; index < next + 100; ++index) {
    ASSERT_EQ(delay_of(played, index), delay_of(played, next)) << index << " " << outcomes(played);
  }
  EXPECT_EQ(buffer.stats().skipped, 0U);
  EXPECT_EQ(buffer.stats().resyncs, 0U);
}

TEST(JitterBuffer, DelayAboveTheCeilingIsCutByDroppingTheOldestFramesWhichAreCounted) {
  // A sender whose clock runs 5 % fast and never pauses (no DTX): 21
  // packets every 20 ticks, so the delay would grow by a frame each time.
  JitterBuffer buffer = make_buffer();
  ASSERT_EQ(buffer.settings().max_delay_frames, 10U);
  constexpr std::uint32_t kTicks = 1000;
  Sender sender;
  std::vector<Packet> packets;
  for (std::uint32_t tick = 0; tick < kTicks; ++tick) {
    for (std::uint32_t n = 0; n < (tick % 20 == 19 ? 2U : 1U); ++n) {
      Packet packet = sender.send();
      packet.arrival_tick = tick;
      packets.push_back(packet);
    }
  }
  Network network(packets);
  std::vector<Played> played;
  for (std::uint32_t tick = 0; tick < kTicks; ++tick) {
    played.push_back(network.tick(buffer));
    ASSERT_LE(buffer.stats().delay, 10 * kFrame) << tick;
  }

  // The delay grows up to the ceiling (8 frames on the 40-ms start, over
  // 160 ticks), then a frame is dropped each time one more arrives; they
  // are the only frames missing from the playout.
  const auto frames = frames_of(played);
  EXPECT_TRUE(strictly_increasing(frames));
  EXPECT_EQ(gaps(frames), buffer.stats().skipped);
  EXPECT_EQ(buffer.stats().frames, kTicks - 2);
  EXPECT_EQ(buffer.stats().skipped, kTicks / 20 - 8);
  EXPECT_EQ(buffer.stats().frames + buffer.stats().skipped + buffer.stats().delay / kFrame, packets.size())
      << "every packet played, dropped or still buffered";
  EXPECT_EQ(buffer.stats().concealed, 0U) << outcomes(played);
  EXPECT_EQ(buffer.stats().late, 0U);
  EXPECT_EQ(buffer.stats().resyncs, 0U) << "the slots never run out";
}

TEST(JitterBuffer, RefusesACeilingBelowTheInitialDelayOrAsDeepAsTheSlots) {
  EXPECT_FALSE(JitterBuffer::create({.max_delay_frames = 1}));
  EXPECT_TRUE(JitterBuffer::create({.max_delay_frames = 2}));
  EXPECT_TRUE(JitterBuffer::create({.max_delay_frames = 30}));
  EXPECT_FALSE(JitterBuffer::create({.max_delay_frames = 31}));
}

TEST(JitterBuffer, DtxPauseConcealsThreeFramesThenPlaysSilenceAndTheNextSpurtStartsPromptly) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 50);
  for (int i = 0; i < 60; ++i) sender.skip(false);  // 1.2 s of DTX
  packets.push_back(sender.send(0, true));
  send_steady(sender, packets, 40);
  const auto played = run(buffer, packets, 150);

  const std::size_t last = tick_of(played, 49);
  ASSERT_LT(last, 60U) << outcomes(played);
  for (std::size_t tick = last + 1; tick < last + 4; ++tick) {
    EXPECT_EQ(played[tick].outcome, JitterOutcome::Missing) << tick << " " << outcomes(played);
  }
  for (std::size_t tick = last + 4; tick < 112; ++tick) {
    EXPECT_EQ(played[tick].outcome, JitterOutcome::Silence) << tick << " " << outcomes(played);
  }
  // The new spurt arrives at tick 110 and plays after the initial delay.
  EXPECT_EQ(tick_of(played, 110), 112U) << outcomes(played);
  EXPECT_EQ(longest_gap(played, 113), 0U);
  EXPECT_EQ(buffer.stats().concealed, 3U);
  EXPECT_EQ(buffer.stats().resyncs, 0U) << "a pause is not a disruption";
}

TEST(JitterBuffer, TalkSpurtBehindThePlayoutPointResyncsWithinTwoTicks) {
  // A sender that holds its timestamp still across a short silence (against
  // RFC 3550 §5.1): the new spurt is behind the playout point.
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 50);
  sender.tick += 8;  // 160 ms of silence, timestamps not advanced
  packets.push_back(sender.send(0, true));
  send_steady(sender, packets, 30);
  const auto played = run(buffer, packets, 91);  // until the last packet plays

  // The spurt's first packet arrives at tick 58, plays after the initial
  // delay of the restarted playout.
  EXPECT_EQ(tick_of(played, 50), 60U) << outcomes(played);
  EXPECT_EQ(longest_gap(played, 61), 0U) << outcomes(played);
  EXPECT_EQ(buffer.stats().resyncs, 1U);
}

TEST(JitterBuffer, TalkSpurtFarAheadOfThePlayoutPointResyncsWithinTwoTicks) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 50);
  sender.skip(false);
  sender.timestamp += 40 * kFrame;  // the sender's clock ran 800 ms ahead during one silent tick
  packets.push_back(sender.send(0, true));
  send_steady(sender, packets, 30);
  const auto played = run(buffer, packets, 84);  // until the last packet plays

  EXPECT_EQ(tick_of(played, 51), 53U) << "arrives at tick 51, plays at 53: " << outcomes(played);
  EXPECT_EQ(longest_gap(played, 54), 0U) << outcomes(played);
  EXPECT_EQ(buffer.stats().resyncs, 1U);
}

TEST(JitterBuffer, SenderRestartWithATimestampJumpResyncsInsteadOfConcealing) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 50);
  sender.timestamp += 8000 * 10;  // 10 s forward, no marker, sequence continues
  send_steady(sender, packets, 40);
  const auto played = run(buffer, packets, 90);

  EXPECT_LE(longest_gap(played, 2), 2U) << "the initial delay of the restarted playout, nothing longer";
  EXPECT_EQ(tick_of(played, 50), 52U) << outcomes(played);
  EXPECT_EQ(buffer.stats().resyncs, 1U);
  EXPECT_EQ(buffer.stats().concealed, 0U);
}

TEST(JitterBuffer, StrayPacketFarFromThePlayoutPointIsDiscardedWithoutDisturbingPlayout) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 60);
  packets.push_back(Packet{packets[30].timestamp + 8000 * 30, 12345, false, 30, 9999});
  packets.push_back(Packet{packets[40].timestamp - 8000 * 30, 23456, false, 40, 9998});
  const auto played = run(buffer, packets, 60);

  const auto frames = frames_of(played);
  EXPECT_TRUE(strictly_increasing(frames));
  EXPECT_EQ(gaps(frames), buffer.stats().skipped) << outcomes(played);
  EXPECT_EQ(buffer.stats().concealed, 0U);
  EXPECT_EQ(buffer.stats().discarded, 2U);
  EXPECT_EQ(buffer.stats().resyncs, 0U);
}

TEST(JitterBuffer, PayloadIsCopiedAndStaysValidUntilTheNextCall) {
  JitterBuffer buffer = make_buffer();
  std::vector<std::uint8_t> big(JitterBuffer::kMaxPayloadBytes);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  const std::vector<std::uint8_t> sent = big;
  buffer.put(1000, 1, true, big);
  std::fill(big.begin(), big.end(), 0);  // the caller reuses its receive buffer
  buffer.get();
  buffer.get();
  const JitterFrame frame = buffer.get();
  ASSERT_EQ(frame.outcome, JitterOutcome::Frame);
  EXPECT_TRUE(frame.marker);
  EXPECT_EQ(frame.timestamp, 1000U);
  EXPECT_TRUE(std::equal(frame.payload.begin(), frame.payload.end(), sent.begin(), sent.end()));

  const std::vector<std::uint8_t> oversized(JitterBuffer::kMaxPayloadBytes + 1);
  buffer.put(1000 + kFrame, 2, false, oversized);
  EXPECT_EQ(buffer.stats().discarded, 1U);
  EXPECT_EQ(buffer.get().outcome, JitterOutcome::Missing);
}

TEST(JitterBuffer, MovedBufferKeepsItsPackets) {
  JitterBuffer first = make_buffer();
  Sender sender;
  for (int i = 0; i < 3; ++i) {
    const Packet packet = sender.send();
    first.put(packet.timestamp, packet.sequence, false, payload_of(packet.index));
  }
  JitterBuffer second = std::move(first);
  second.get();
  second.get();
  JitterBuffer third = make_buffer();
  third = std::move(second);
  for (std::uint32_t index = 0; index < 3; ++index) {
    const JitterFrame frame = third.get();
    ASSERT_EQ(frame.outcome, JitterOutcome::Frame);
    EXPECT_EQ(index_of(frame.payload), index);
  }
}

TEST(JitterBuffer, ResetForANewSourceStartsOver) {
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::vector<Packet> packets;
  send_steady(sender, packets, 20);
  run(buffer, packets, 20);
  buffer.reset();  // new SSRC: its sequence numbers and timestamps are unrelated
  buffer.put(5, 3, true, payload_of(7777));
  EXPECT_EQ(buffer.get().outcome, JitterOutcome::Silence);
  EXPECT_EQ(buffer.get().outcome, JitterOutcome::Silence);
  const JitterFrame frame = buffer.get();
  ASSERT_EQ(frame.outcome, JitterOutcome::Frame);
  EXPECT_EQ(index_of(frame.payload), 7777U);
  EXPECT_EQ(buffer.stats().resyncs, 1U);
}

TEST(JitterBuffer, LongImpairedCallKeepsPlayingWithoutResyncs) {
  // ADR 0004's impairment: 10 % loss, 40 ms of jitter (so reordering), a
  // duplicate now and then, and stragglers 200-500 ms late, for ten minutes.
  JitterBuffer buffer = make_buffer();
  Sender sender;
  std::mt19937 random(7);
  std::bernoulli_distribution lose(0.10);
  std::bernoulli_distribution duplicate(0.01);
  std::bernoulli_distribution straggle(0.005);
  std::uniform_int_distribution<std::uint32_t> delay(0, 2);
  std::uniform_int_distribution<std::uint32_t> straggler_delay(10, 25);
  constexpr std::uint32_t kTicks = 30000;
  std::vector<Packet> packets;
  for (std::uint32_t i = 0; i < kTicks; ++i) {
    if (lose(random)) {
      sender.skip();
      continue;
    }
    packets.push_back(sender.send(straggle(random) ? straggler_delay(random) : delay(random)));
    if (duplicate(random)) packets.push_back(packets.back());
  }
  const auto played = run(buffer, packets, kTicks);

  const auto& stats = buffer.stats();
  EXPECT_EQ(stats.frames + stats.concealed + stats.silence, kTicks);
  EXPECT_EQ(stats.resyncs, 0U) << "late packets never exhaust the slots";
  EXPECT_GT(stats.late, kTicks / 400);
  EXPECT_GT(stats.duplicates, kTicks / 200);
  EXPECT_GT(stats.frames, kTicks * 87 / 100);
  EXPECT_LT(stats.concealed, kTicks * 13 / 100);
  const auto frames = frames_of(played);
  EXPECT_TRUE(std::is_sorted(frames.begin(), frames.end()));
  EXPECT_EQ(std::adjacent_find(frames.begin(), frames.end()), frames.end()) << "nothing played twice";
}

TEST(JitterBuffer, RefusesSettingsSpeexdspCannotUse) {
  EXPECT_FALSE(JitterBuffer::create({.frame_samples = 0}));
  EXPECT_FALSE(JitterBuffer::create({.frame_samples = 160, .max_late_rate_percent = 0}));
  EXPECT_FALSE(JitterBuffer::create({.frame_samples = 160, .max_late_rate_percent = 101}));
  EXPECT_TRUE(JitterBuffer::create({.frame_samples = 960}));
}

}  // namespace
}  // namespace voxgate::media
