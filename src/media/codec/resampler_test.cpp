#include "media/codec/resampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

// 50 frames of 20 ms through one resampler, as a stream would feed it.
std::vector<std::int16_t> resample_frames(Resampler& resampler, const std::vector<std::int16_t>& pcm) {
  const std::size_t frame = static_cast<std::size_t>(resampler.input_rate()) / 50;
  std::vector<std::int16_t> out;
  for (std::size_t at = 0; at + frame <= pcm.size(); at += frame) {
    resampler.process(std::span(pcm).subspan(at, frame), out);
  }
  return out;
}

TEST(Resampler, EightToFortyEightKilohertzKeepsTheToneAndTheDuration) {
  auto resampler = Resampler::create(8000, 48000);
  ASSERT_TRUE(resampler) << resampler.error().message;
  const auto out = resample_frames(*resampler, test::sine(440, 8000, 8000, 10000));
  EXPECT_NEAR(static_cast<double>(out.size()), 48000.0, 48.0) << "one second in, one second out";
  const auto steady = std::span<const std::int16_t>(out).subspan(4800);
  EXPECT_GT(test::tone_dominance(steady, 440, {300, 600, 1000, 3000}, 48000), 5.0);
}

TEST(Resampler, SixteenToEightKilohertzDropsWhatNarrowbandCannotCarry) {
  auto resampler = Resampler::create(16000, 8000);
  ASSERT_TRUE(resampler);
  const auto low = resample_frames(*resampler, test::sine(1000, 16000, 16000, 10000));
  EXPECT_NEAR(static_cast<double>(low.size()), 8000.0, 16.0);
  EXPECT_GT(test::tone_dominance(std::span<const std::int16_t>(low).subspan(800), 1000, {500, 2000, 3000}, 8000), 5.0);

  auto again = Resampler::create(16000, 8000);
  const auto high = resample_frames(*again, test::sine(6000, 16000, 16000, 10000));  // above the 4 kHz Nyquist of 8 kHz
  const auto low_steady = std::span<const std::int16_t>(low).subspan(800);
  const auto high_steady = std::span<const std::int16_t>(high).subspan(800);
  double low_energy = 0;
  double high_energy = 0;
  for (const auto s : low_steady) low_energy += static_cast<double>(s) * s;
  for (const auto s : high_steady) high_energy += static_cast<double>(s) * s;
  EXPECT_LT(high_energy, low_energy / 100) << "filtered out, not aliased to 2 kHz";
}

TEST(Resampler, RefusesRatesItCannotConvert) {
  EXPECT_FALSE(Resampler::create(0, 8000));
  EXPECT_FALSE(Resampler::create(8000, -1));
}

}  // namespace
}  // namespace voxgate::media
