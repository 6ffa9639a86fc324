#include "media/codec/opus.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

// One second of a tone through 20-ms Opus packets at `rate`; the decoded
// audio after the first 200 ms.
std::vector<std::int16_t> through_opus(double hz, int rate) {
  auto encoder = OpusAudioEncoder::create(rate);
  auto decoder = OpusAudioDecoder::create(rate);
  EXPECT_TRUE(encoder && decoder);
  const std::size_t frame = static_cast<std::size_t>(rate) / 50;
  const auto pcm = test::sine(hz, frame * 50, rate, 10000);
  std::vector<std::int16_t> decoded;
  std::vector<std::uint8_t> packet(kOpusMaxPayload);
  std::vector<std::int16_t> out(decoder->max_samples(0));
  for (std::size_t at = 0; at < pcm.size(); at += frame) {
    const std::size_t bytes = encoder->encode(std::span(pcm).subspan(at, frame), packet);
    EXPECT_GT(bytes, 0U);
    const std::size_t samples = decoder->decode(std::span(packet).first(bytes), out);
    EXPECT_EQ(samples, frame);
    if (at >= frame * 10)
      decoded.insert(decoded.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(samples));
  }
  return decoded;
}

TEST(Opus, AToneSurvivesAtEightSixteenAndFortyEightKilohertz) {
  for (const int rate : {8000, 16000, 48000}) {
    const auto decoded = through_opus(440, rate);
    EXPECT_GT(test::tone_dominance(decoded, 440, {250, 700, 1000, 2000}, rate), 5.0) << rate << " Hz";
  }
}

TEST(Opus, AnEmptyPayloadConcealsOneLostFrame) {
  auto decoder = OpusAudioDecoder::create(16000);
  ASSERT_TRUE(decoder);
  std::vector<std::int16_t> out(decoder->max_samples(0));
  EXPECT_EQ(decoder->decode({}, out), 320U) << "20 ms at 16 kHz";
}

TEST(Opus, RatesOpusDoesNotRunAtAreRefused) {
  EXPECT_FALSE(OpusAudioEncoder::create(44100));
  EXPECT_FALSE(OpusAudioDecoder::create(11025));
}

}  // namespace
}  // namespace voxgate::media
