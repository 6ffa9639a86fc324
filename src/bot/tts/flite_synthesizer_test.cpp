#include "bot/tts/flite_synthesizer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "bot/tts/pcm_test_support.hpp"

namespace voxgate::bot {
namespace {

std::unique_ptr<FliteSynthesizer> make(const FliteOptions& options = {}) {
  auto tts = FliteSynthesizer::create(options);
  EXPECT_TRUE(tts) << tts.error().message;
  return std::move(*tts);
}

TEST(FliteSynthesizer, SpeaksAPhraseAtEightKilohertzByDefault) {
  auto tts = make();
  EXPECT_EQ(tts->sample_rate(), 8000);
  const auto pcm = tts->synthesize("Please say sales, support or billing.");
  ASSERT_TRUE(pcm) << pcm.error().message;
  const double seconds = static_cast<double>(pcm->size()) / 8000;
  EXPECT_GT(seconds, 1.0);
  EXPECT_LT(seconds, 4.0);
  double energy = 0;
  for (const auto s : *pcm) energy += static_cast<double>(s) * s;
  EXPECT_GT(energy / static_cast<double>(pcm->size()), 1000.0 * 1000.0 / 100) << "audible speech, RMS above -30 dBFS";
}

TEST(FliteSynthesizer, StartsSoundingWithinAMillisecondAndKeepsAShortTail) {
  auto tts = make();
  const auto pcm = tts->synthesize("Hello.");
  ASSERT_TRUE(pcm);
  ASSERT_FALSE(pcm->empty());
  EXPECT_LE(voxgate::bot::test::first_loud(*pcm), 8u) << "flite's leading pause is gone";
  EXPECT_LE(voxgate::bot::test::trailing_quiet(*pcm), 800u + 8) << "at most 100 ms of silence after the last sound";
}

TEST(FliteSynthesizer, KeepsTheTrailingSilenceItIsAskedFor) {
  auto tts = make({.trailing_silence = std::chrono::milliseconds(0)});
  const auto pcm = tts->synthesize("Goodbye.");
  ASSERT_TRUE(pcm);
  EXPECT_EQ(voxgate::bot::test::trailing_quiet(*pcm), 0u);
}

TEST(FliteSynthesizer, SpeaksWidebandWithKal16) {
  auto tts = make({.voice = FliteOptions::Voice::Kal16});
  EXPECT_EQ(tts->sample_rate(), 16000);
  const auto pcm = tts->synthesize("Support.");
  ASSERT_TRUE(pcm);
  EXPECT_GT(pcm->size(), 16000u / 4);
  EXPECT_LE(voxgate::bot::test::first_loud(*pcm), 16u);
}

TEST(FliteSynthesizer, ResamplesToTheRequestedRateKeepingTheDuration) {
  auto narrow = make();
  auto wide = make({.output_rate = 16000});
  EXPECT_EQ(wide->sample_rate(), 16000);
  const auto at8 = narrow->synthesize("Billing.");
  const auto at16 = wide->synthesize("Billing.");
  ASSERT_TRUE(at8);
  ASSERT_TRUE(at16);
  // Twice the samples, plus the 10 ms of zeros that flush the filter.
  EXPECT_NEAR(static_cast<double>(at16->size()), 2.0 * static_cast<double>(at8->size()) + 160, 40);
  EXPECT_LE(voxgate::bot::test::first_loud(*at16), 16u * 5) << "only the filter's delay of a few ms";
}

TEST(FliteSynthesizer, SaysNothingForBlankText) {
  auto tts = make();
  const auto pcm = tts->synthesize(" \t\n");
  ASSERT_TRUE(pcm);
  EXPECT_TRUE(pcm->empty());
}

TEST(FliteSynthesizer, RefusesAnOutputRateTheResamplerCannotReach) {
  const auto tts = FliteSynthesizer::create({.output_rate = -8000});
  ASSERT_FALSE(tts);
  EXPECT_EQ(tts.error().code, Errc::InvalidArgument);
}

TEST(FliteSynthesizer, GivesTheSameAudioWhenThreadsSpeakAtOnce) {
  auto reference_tts = make();
  const auto reference = reference_tts->synthesize("Your call is important to us.");
  ASSERT_TRUE(reference);
  std::vector<std::vector<std::int16_t>> results(4);
  std::vector<std::thread> threads;
  threads.reserve(results.size());
  for (auto& result : results) {
    threads.emplace_back([&result] {
      auto tts = FliteSynthesizer::create();
      for (int i = 0; i < 5; ++i) {
        if (auto pcm = (*tts)->synthesize("Your call is important to us.")) result = std::move(*pcm);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, *reference);
}

}  // namespace
}  // namespace voxgate::bot
