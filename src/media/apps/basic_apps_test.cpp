#include "media/apps/basic_apps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <vector>

#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

constexpr std::size_t kFrame = 160;  // 20 ms at 8 kHz

TEST(EchoApp, TheCallerHearsEachFrameOnceOnTheNextTick) {
  EchoApp echo(8000);
  std::array<std::int16_t, kFrame> out{};
  ASSERT_TRUE(echo.fill(out));
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](std::int16_t s) { return s == 0; })) << "silence first";
  std::array<std::int16_t, kFrame> spoken{};
  for (std::size_t i = 0; i < kFrame; ++i) spoken[i] = static_cast<std::int16_t>(i * 7);
  echo.on_caller_audio(spoken);
  echo.fill(out);
  EXPECT_EQ(out, spoken);
  echo.fill(out);
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](std::int16_t s) { return s == 0; }))
      << "not repeated when nothing new arrived (a lost packet)";
}

TEST(ToneApp, StaysWithinOneOfTheExactSineOverThreeMinutes) {
  ToneApp tone(8000, 440);
  std::array<std::int16_t, kFrame> frame{};
  long double phase = 0;
  const long double step = 2 * std::numbers::pi_v<long double> * 440 / 8000;
  int worst = 0;
  for (int i = 0; i < 3 * 60 * 50; ++i) {
    ASSERT_TRUE(tone.fill(frame));
    for (const std::int16_t sample : frame) {
      const auto exact = static_cast<int>(std::lround(8000 * std::sin(phase)));
      worst = std::max(worst, std::abs(sample - exact));
      phase = std::fmod(phase + step, 2 * std::numbers::pi_v<long double>);
    }
  }
  EXPECT_LE(worst, 1);
}

TEST(ToneApp, CarriesItsFrequencyPhaseContinuouslyAcrossFrames) {
  ToneApp tone(8000, 440);
  std::vector<std::int16_t> audio;
  std::array<std::int16_t, kFrame> frame{};
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(tone.fill(frame));
    audio.insert(audio.end(), frame.begin(), frame.end());
  }
  EXPECT_GT(test::tone_dominance(audio, 440, {300, 600, 1000, 2000, 3000}, 8000), 5.0);
  // No click at frame edges: consecutive samples never jump more than a
  // 440 Hz sine at level 8000 can move in one sample (2*pi*440/8000*8000 ≈ 2765).
  for (std::size_t i = 1; i < audio.size(); ++i) {
    EXPECT_LE(std::abs(audio[i] - audio[i - 1]), 2800) << "at sample " << i;
  }
}

TEST(SilenceApp, SendsZeros) {
  SilenceApp silence(16000);
  std::array<std::int16_t, 320> frame{};
  frame.fill(5);
  EXPECT_TRUE(silence.fill(frame));
  EXPECT_TRUE(std::all_of(frame.begin(), frame.end(), [](std::int16_t s) { return s == 0; }));
  EXPECT_EQ(silence.sample_rate(), 16000);
}

}  // namespace
}  // namespace voxgate::media
