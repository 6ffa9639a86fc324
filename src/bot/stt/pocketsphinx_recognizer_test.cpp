#include "bot/stt/pocketsphinx_recognizer.hpp"

#include <gtest/gtest.h>

#include <flite.h>

#include <random>

extern "C" cst_voice* register_cmu_us_kal(const char* voxdir);
extern "C" cst_voice* register_cmu_us_kal16(const char* voxdir);

namespace voxgate::bot {
namespace {

// Real speech without binary fixtures: flite's kal voice at 8 kHz (kal) or
// 16 kHz (kal16), framed by silence as a caller's turn would be.
std::vector<std::int16_t> speak(const std::string& text, int rate = 8000) {
  flite_init();
  cst_voice* voice = rate == 16000 ? register_cmu_us_kal16(nullptr) : register_cmu_us_kal(nullptr);
  cst_wave* wave = flite_text_to_wave(text.c_str(), voice);
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(rate / 5));  // 200 ms before
  pcm.insert(pcm.end(), wave->samples, wave->samples + wave->num_samples);
  pcm.resize(pcm.size() + static_cast<std::size_t>(rate * 3 / 10));  // 300 ms after
  delete_wave(wave);
  return pcm;
}

std::vector<std::int16_t> white_noise(std::size_t samples, int amplitude) {
  std::mt19937 random(11);
  std::uniform_int_distribution<int> sample(-amplitude, amplitude);
  std::vector<std::int16_t> pcm(samples);
  for (auto& s : pcm) s = static_cast<std::int16_t>(sample(random));
  return pcm;
}

const std::vector<std::string> menu{"sales", "support", "billing", "operator"};

class PocketsphinxRecognizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = PocketsphinxModel::load();
    ASSERT_TRUE(loaded) << loaded.error().message;
    model = std::move(*loaded);
  }
  static void TearDownTestSuite() { model.reset(); }

  static std::unique_ptr<PocketsphinxRecognizer> make(const PocketsphinxOptions& options = {}) {
    auto recognizer = PocketsphinxRecognizer::create(model, options);
    EXPECT_TRUE(recognizer) << recognizer.error().message;
    return std::move(*recognizer);
  }

  // Feeds `pcm` in 20 ms frames, as the media loop hands them over.
  static Transcript recognise(SpeechRecognizer& recognizer, const std::vector<std::int16_t>& pcm,
                              std::vector<Transcript>* interims = nullptr) {
    EXPECT_TRUE(recognizer.start_utterance());
    const auto frame = static_cast<std::size_t>(recognizer.sample_rate() / 50);
    for (std::size_t at = 0; at < pcm.size(); at += frame) {
      auto interim = recognizer.feed(std::span(pcm).subspan(at, std::min(frame, pcm.size() - at)));
      EXPECT_TRUE(interim) << interim.error().message;
      if (interim && *interim && interims != nullptr) interims->push_back(**interim);
    }
    auto final = recognizer.finish_utterance();
    EXPECT_TRUE(final) << final.error().message;
    return final ? *final : Transcript{};
  }

  static inline std::shared_ptr<const PocketsphinxModel> model;  // loaded once for the suite
};

TEST_F(PocketsphinxRecognizerTest, RecognisesEachMenuWordSpokenByFliteAtEightKilohertz) {
  auto recognizer = make();
  EXPECT_EQ(recognizer->sample_rate(), 8000);
  ASSERT_TRUE(recognizer->expect(menu));
  for (const auto& word : menu) {
    const auto transcript = recognise(*recognizer, speak(word));
    EXPECT_EQ(transcript.text, word);
    EXPECT_EQ(transcript.confidence, 1.0F);
    EXPECT_TRUE(transcript.final);
  }
}

TEST_F(PocketsphinxRecognizerTest, FindsThePhraseInsideASentenceOfCarrierWords) {
  auto recognizer = make();
  ASSERT_TRUE(recognizer->expect(menu));
  EXPECT_EQ(recognise(*recognizer, speak("I want to talk to the operator please.")).text, "operator");
  EXPECT_EQ(recognise(*recognizer, speak("I need support please.")).text, "support");
}

TEST_F(PocketsphinxRecognizerTest, RecognisesWidebandAudioWithoutResampling) {
  auto recognizer = make({.sample_rate = 16000});
  EXPECT_EQ(recognizer->sample_rate(), 16000);
  ASSERT_TRUE(recognizer->expect(menu));
  EXPECT_EQ(recognise(*recognizer, speak("billing", 16000)).text, "billing");
}

TEST_F(PocketsphinxRecognizerTest, RecognisesMultiWordPhrasesAndReturnsThemAsSpelt) {
  auto recognizer = make();
  const std::vector<std::string> phrases{"Check my balance.", "Talk to an agent", "Goodbye"};
  ASSERT_TRUE(recognizer->expect(phrases));
  EXPECT_EQ(recognise(*recognizer, speak("check my balance")).text, "Check my balance.");
  EXPECT_EQ(recognise(*recognizer, speak("goodbye")).text, "Goodbye");
}

TEST_F(PocketsphinxRecognizerTest, ReportsTheInterimHypothesisBeforeTheUtteranceEnds) {
  auto recognizer = make();
  ASSERT_TRUE(recognizer->expect(menu));
  std::vector<Transcript> interims;
  recognise(*recognizer, speak("support"), &interims);
  ASSERT_FALSE(interims.empty());
  EXPECT_EQ(interims.back().text, "support");
  EXPECT_FALSE(interims.back().final);
}

TEST_F(PocketsphinxRecognizerTest, HearsNothingInSilenceOrFaintNoise) {
  auto recognizer = make();
  ASSERT_TRUE(recognizer->expect(menu));
  const auto silence = recognise(*recognizer, std::vector<std::int16_t>(std::size_t{8000} * 2));
  EXPECT_EQ(silence.text, "");
  EXPECT_EQ(silence.confidence, 0.0F);
  const auto noise = recognise(*recognizer, white_noise(std::size_t{8000} * 2, 100));  // about -55 dBFS
  EXPECT_EQ(noise.text, "");
  EXPECT_EQ(noise.confidence, 0.0F);
}

TEST_F(PocketsphinxRecognizerTest, RefusesAWordMissingFromTheDictionaryByName) {
  auto recognizer = make();
  const std::vector<std::string> phrases{"sales", "talk to zorblaxian"};
  const auto expected = recognizer->expect(phrases);
  ASSERT_FALSE(expected);
  EXPECT_EQ(expected.error().code, Errc::InvalidArgument);
  EXPECT_NE(expected.error().message.find("zorblaxian"), std::string::npos) << expected.error().message;
}

TEST_F(PocketsphinxRecognizerTest, KeepsThePreviousPhrasesWhenNewOnesAreRefused) {
  auto recognizer = make();
  ASSERT_TRUE(recognizer->expect(menu));
  const std::vector<std::string> refused{"qwxzzy"};
  ASSERT_FALSE(recognizer->expect(refused));
  EXPECT_EQ(recognise(*recognizer, speak("billing")).text, "billing");
}

TEST_F(PocketsphinxRecognizerTest, SwitchesToNewPhrasesBetweenUtterances) {
  auto recognizer = make();
  ASSERT_TRUE(recognizer->expect(menu));
  EXPECT_EQ(recognise(*recognizer, speak("sales")).text, "sales");
  const std::vector<std::string> yes_no{"yes", "no"};
  ASSERT_TRUE(recognizer->expect(yes_no));
  EXPECT_EQ(recognise(*recognizer, speak("no")).text, "no");
}

TEST_F(PocketsphinxRecognizerTest, RefusesCallsOutOfOrder) {
  auto recognizer = make();
  EXPECT_EQ(recognizer->start_utterance().error().code, Errc::InvalidState) << "no phrases yet";
  const std::vector<std::int16_t> frame(160);
  EXPECT_EQ(recognizer->feed(frame).error().code, Errc::InvalidState);
  EXPECT_EQ(recognizer->finish_utterance().error().code, Errc::InvalidState);
  ASSERT_TRUE(recognizer->expect(menu));
  ASSERT_TRUE(recognizer->start_utterance());
  EXPECT_EQ(recognizer->start_utterance().error().code, Errc::InvalidState);
  EXPECT_EQ(recognizer->expect(menu).error().code, Errc::InvalidState);
}

TEST_F(PocketsphinxRecognizerTest, StartsAfreshAfterACancelledUtterance) {
  auto recognizer = make();
  ASSERT_TRUE(recognizer->expect(menu));
  const auto sales = speak("sales");
  ASSERT_TRUE(recognizer->start_utterance());
  ASSERT_TRUE(recognizer->feed(std::span(sales).first(sales.size() / 2)));
  recognizer->cancel_utterance();
  recognizer->cancel_utterance();  // harmless twice
  EXPECT_EQ(recognise(*recognizer, speak("operator")).text, "operator");
}

TEST_F(PocketsphinxRecognizerTest, RefusesRatesOtherThanNarrowAndWideband) {
  const auto recognizer = PocketsphinxRecognizer::create(model, {.sample_rate = 44100});
  ASSERT_FALSE(recognizer);
  EXPECT_EQ(recognizer.error().code, Errc::InvalidArgument);
}

TEST(PocketsphinxModel, SaysWhereTheMissingModelShouldBe) {
  const auto model = PocketsphinxModel::load({.acoustic_model = "/nonexistent/en-us"});
  ASSERT_FALSE(model);
  EXPECT_EQ(model.error().code, Errc::NotFound);
  EXPECT_NE(model.error().message.find("/nonexistent/en-us"), std::string::npos);
}

TEST(PocketsphinxModel, KnowsEveryPronunciationOfAWord) {
  auto model = PocketsphinxModel::load();
  ASSERT_TRUE(model);
  EXPECT_EQ((*model)->pronunciations("support"), (std::vector<std::string_view>{"S AH P AO R T"}));
  EXPECT_GE((*model)->pronunciations("the").size(), 2u) << "DH AH and DH IY";
  EXPECT_TRUE((*model)->pronunciations("zorblaxian").empty());
}

}  // namespace
}  // namespace voxgate::bot
