#include "media/codec/g722.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

TEST(G722, TwentyMillisecondsAre320SamplesIn160Bytes) {
  G722Encoder encoder;
  const auto pcm = test::sine(1000, 320, kG722SampleRate, 12000);
  std::vector<std::uint8_t> payload(encoder.max_payload_bytes(pcm.size()));
  EXPECT_EQ(encoder.encode(pcm, payload), 160U);
  G722Decoder decoder;
  std::vector<std::int16_t> out(decoder.max_samples(payload.size()));
  EXPECT_EQ(decoder.decode(payload, out), 320U);
}

TEST(G722, AWidebandToneSurvivesEncodeAndDecode) {
  // 20 ms frames through one encoder and one decoder, as a call would; the
  // first frames (ADPCM adaptation, the codec's delay) are left out.
  G722Encoder encoder;
  G722Decoder decoder;
  const auto pcm = test::sine(5000, std::size_t{320} * 25, kG722SampleRate,
                              12000);  // above narrowband's 3.4 kHz: wideband really works
  std::vector<std::int16_t> decoded;
  for (std::size_t at = 0; at < pcm.size(); at += 320) {
    std::vector<std::uint8_t> payload(160);
    const std::size_t bytes = encoder.encode(std::span(pcm).subspan(at, 320), payload);
    std::vector<std::int16_t> frame(decoder.max_samples(bytes));
    frame.resize(decoder.decode(std::span(payload).first(bytes), frame));
    decoded.insert(decoded.end(), frame.begin(), frame.end());
  }
  ASSERT_EQ(decoded.size(), pcm.size());
  const std::span<const std::int16_t> steady = std::span(decoded).subspan(std::size_t{320} * 5);
  EXPECT_GT(test::tone_dominance(steady, 5000, {1000, 2500, 4000, 6000, 7000}, kG722SampleRate), 5.0);
}

}  // namespace
}  // namespace voxgate::media
