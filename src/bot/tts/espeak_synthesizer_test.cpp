#include "bot/tts/espeak_synthesizer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "bot/tts/pcm_test_support.hpp"

namespace voxgate::bot {
namespace {

std::unique_ptr<EspeakSynthesizer> make_espeak(const EspeakOptions& options = {}) {
  auto tts = EspeakSynthesizer::create(options);
  EXPECT_TRUE(tts) << tts.error().message;
  return tts ? std::move(*tts) : nullptr;
}

double mean_square(const std::vector<std::int16_t>& pcm) {
  double energy = 0;
  for (const auto s : pcm) energy += static_cast<double>(s) * s;
  return pcm.empty() ? 0 : energy / static_cast<double>(pcm.size());
}

TEST(EspeakSynthesizer, SpeaksAPhraseAtEightKilohertzWithRealEnergy) {
  auto tts = make_espeak({.output_rate = 8000});
  ASSERT_TRUE(tts);
  EXPECT_EQ(tts->sample_rate(), 8000);
  const auto pcm = tts->synthesize("Please say sales, support or billing.");
  ASSERT_TRUE(pcm) << pcm.error().message;
  const double seconds = static_cast<double>(pcm->size()) / 8000;
  EXPECT_GT(seconds, 1.0);
  EXPECT_LT(seconds, 4.0);
  EXPECT_GT(mean_square(*pcm), 1000.0 * 1000.0 / 100) << "audible speech, RMS above -30 dBFS";
}

TEST(EspeakSynthesizer, SpeaksAtSixteenKilohertzKeepingTheDuration) {
  auto narrow = make_espeak({.output_rate = 8000});
  auto wide = make_espeak({.output_rate = 16000});
  ASSERT_TRUE(narrow && wide);
  EXPECT_EQ(wide->sample_rate(), 16000);
  const auto at8 = narrow->synthesize("Billing.");
  const auto at16 = wide->synthesize("Billing.");
  ASSERT_TRUE(at8);
  ASSERT_TRUE(at16);
  // Twice the samples: both are the same 22,050 Hz speech resampled, give
  // or take the filters' delays and a little of espeak-ng's own state (the
  // first synthesis in a process comes out 1.25 ms shorter): 5 ms.
  EXPECT_NEAR(static_cast<double>(at16->size()), 2.0 * static_cast<double>(at8->size()), 80);
  EXPECT_GT(mean_square(*at16), 1000.0 * 1000.0 / 100);
}

TEST(EspeakSynthesizer, KeepsItsOwnRateWhenAskedForNone) {
  auto tts = make_espeak();
  ASSERT_TRUE(tts);
  EXPECT_EQ(tts->sample_rate(), 22050);
  const auto pcm = tts->synthesize("Support.");
  ASSERT_TRUE(pcm);
  EXPECT_GT(pcm->size(), 22050u / 4);
  EXPECT_EQ(voxgate::bot::test::first_loud(*pcm), 0u) << "no resampler delay, the first sample is sound";
}

TEST(EspeakSynthesizer, StartsSoundingWithinAFewMillisecondsAndKeepsAShortTail) {
  auto tts = make_espeak({.output_rate = 8000});
  ASSERT_TRUE(tts);
  const auto pcm = tts->synthesize("Hello.");
  ASSERT_TRUE(pcm);
  ASSERT_FALSE(pcm->empty());
  // Untrimmed, espeak-ng starts with about 12 ms of silence; what is left is
  // the resampler's delay.
  EXPECT_LE(voxgate::bot::test::first_loud(*pcm), 8u * 5) << "the first sound within 5 ms";
  EXPECT_LE(voxgate::bot::test::trailing_quiet(*pcm), 800u + 80 + 8)
      << "100 ms of silence after the last sound (+ the flush)";
}

TEST(EspeakSynthesizer, KeepsTheTrailingSilenceItIsAskedFor) {
  auto tts = make_espeak({.trailing_silence = std::chrono::milliseconds(0)});
  ASSERT_TRUE(tts);
  const auto pcm = tts->synthesize("Goodbye.");
  ASSERT_TRUE(pcm);
  EXPECT_EQ(voxgate::bot::test::trailing_quiet(*pcm), 0u);
}

TEST(EspeakSynthesizer, SpeaksFasterAtAHigherRate) {
  auto slow = make_espeak({.words_per_minute = 120});
  auto fast = make_espeak({.words_per_minute = 300});
  ASSERT_TRUE(slow && fast);
  const auto at120 = slow->synthesize("Thank you for calling, how can I help you today?");
  const auto at300 = fast->synthesize("Thank you for calling, how can I help you today?");
  ASSERT_TRUE(at120);
  ASSERT_TRUE(at300);
  EXPECT_LT(static_cast<double>(at300->size()), 0.6 * static_cast<double>(at120->size()));
}

TEST(EspeakSynthesizer, SpeaksOtherLanguages) {
  auto tts = make_espeak({.voice = "de", .output_rate = 8000});
  ASSERT_TRUE(tts);
  const auto pcm = tts->synthesize("Guten Tag, bitte sagen Sie Verkauf oder Kundendienst.");
  ASSERT_TRUE(pcm) << pcm.error().message;
  EXPECT_GT(pcm->size(), 8000u);
}

TEST(EspeakSynthesizer, SaysNothingForBlankText) {
  auto tts = make_espeak();
  ASSERT_TRUE(tts);
  const auto blank = tts->synthesize(" \t\n");
  ASSERT_TRUE(blank);
  EXPECT_TRUE(blank->empty());
  const auto empty = tts->synthesize("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

// espeak-ng mixes random noise into its sounds (aspiration, fricatives), so
// two runs of one text differ by a few LSBs: the same voice and rate are told
// by the length of what they say, which does not vary by more than the edge
// of the trimmed noise.
bool about_as_long(std::size_t a, std::size_t b) {
  return static_cast<double>(a) > 0.98 * static_cast<double>(b) &&
         static_cast<double>(a) < 1.02 * static_cast<double>(b);
}

TEST(EspeakSynthesizer, KnowsVoicesByNameFileOrLanguage) {
  // "English (Great Britain)" is the voice's name, gmw/en its file, en-gb
  // its language: all three speak with it.
  auto by_language = make_espeak({.voice = "en-gb"});
  auto by_file = make_espeak({.voice = "gmw/en"});
  auto by_name = make_espeak({.voice = "English (Great Britain)"});
  ASSERT_TRUE(by_language && by_file && by_name);
  const auto reference = by_file->synthesize("Support, please.");
  const auto language = by_language->synthesize("Support, please.");
  const auto name = by_name->synthesize("Support, please.");
  ASSERT_TRUE(reference && language && name);
  EXPECT_TRUE(about_as_long(language->size(), reference->size())) << language->size() << " " << reference->size();
  EXPECT_TRUE(about_as_long(name->size(), reference->size())) << name->size() << " " << reference->size();
}

TEST(EspeakSynthesizer, RefusesAnUnknownVoice) {
  const auto tts = EspeakSynthesizer::create({.voice = "klingon-xx"});
  ASSERT_FALSE(tts);
  EXPECT_EQ(tts.error().code, Errc::NotFound);
  EXPECT_NE(tts.error().message.find("klingon-xx"), std::string::npos) << tts.error().message;
  // The failed attempt leaves the others speaking.
  auto good = make_espeak();
  ASSERT_TRUE(good);
  const auto pcm = good->synthesize("Sales.");
  ASSERT_TRUE(pcm);
  EXPECT_FALSE(pcm->empty());
}

TEST(EspeakSynthesizer, RefusesAMissingDataDirectory) {
  const auto tts = EspeakSynthesizer::create({.data_path = "/nonexistent/espeak-ng-data"});
  ASSERT_FALSE(tts);
  EXPECT_NE(tts.error().message.find("/nonexistent/espeak-ng-data"), std::string::npos) << tts.error().message;
}

TEST(EspeakSynthesizer, RefusesSettingsOutOfRange) {
  EXPECT_EQ(EspeakSynthesizer::create({.words_per_minute = 20}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(EspeakSynthesizer::create({.pitch = 101}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(EspeakSynthesizer::create({.output_rate = -8000}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(EspeakSynthesizer::create({.trailing_silence = std::chrono::milliseconds(-1)}).error().code,
            Errc::InvalidArgument);
}

TEST(EspeakSynthesizer, GivesEachSynthesizerItsOwnSettingsWhenThreadsSpeakAtOnce) {
  // espeak-ng's voice and rate are process-wide: each synthesize() must set
  // its own under the lock, or one thread speaks with another's settings.
  const EspeakOptions slow{.voice = "en-us", .words_per_minute = 120};
  const EspeakOptions fast{.voice = "en-gb", .words_per_minute = 300};
  const std::string text = "Your call is important to us.";
  auto slow_tts = make_espeak(slow);
  auto fast_tts = make_espeak(fast);
  ASSERT_TRUE(slow_tts && fast_tts);
  const auto reference_slow = slow_tts->synthesize(text);
  const auto reference_fast = fast_tts->synthesize(text);
  ASSERT_TRUE(reference_slow && reference_fast);
  ASSERT_FALSE(about_as_long(reference_slow->size(), reference_fast->size()));
  std::vector<std::vector<std::size_t>> lengths(4);
  std::vector<std::thread> threads;
  threads.reserve(lengths.size());
  for (std::size_t t = 0; t < lengths.size(); ++t) {
    threads.emplace_back([&, t] {
      auto tts = EspeakSynthesizer::create(t % 2 == 0 ? slow : fast);
      for (int i = 0; i < 5 && tts; ++i) {
        if (auto pcm = (*tts)->synthesize(text)) lengths[t].push_back(pcm->size());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t t = 0; t < lengths.size(); ++t) {
    const std::size_t expected = (t % 2 == 0 ? reference_slow : reference_fast)->size();
    ASSERT_EQ(lengths[t].size(), 5u);
    for (const auto length : lengths[t]) EXPECT_TRUE(about_as_long(length, expected)) << length << " " << expected;
  }
}

}  // namespace
}  // namespace voxgate::bot
