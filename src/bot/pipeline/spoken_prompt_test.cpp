// What the bot's voices say is what the bot's ears understand: each
// text-to-speech provider (through the factory, as BotService builds it)
// speaks menu words at the call's rate and PocketSphinx, with the grammar
// a menu gives it, recognises them. It lives here, where the pipeline joins
// the two, because neither provider module may know the other.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "bot/stt/pocketsphinx_recognizer.hpp"
#include "bot/tts/synthesizer_factory.hpp"

namespace voxgate::bot {
namespace {

const std::vector<std::string> spoken_menu{"sales", "support", "billing", "goodbye", "operator"};

struct SpokenPromptCase {
  std::string_view provider;
  std::string_view voice;  // espeak-ng's; flite speaks kal at 8 kHz, kal16 at 16 kHz
  int rate;
  // The words of spoken_menu the recogniser must get right, said in menu
  // order to a fresh recogniser. Measured (12 runs of each word) where a
  // word is left out: espeak-ng's default en-us voice is formant speech the
  // model (trained on human wideband speech, its narrowband start measured
  // on flite voices) mostly mishears once it is narrowband: at 8 kHz
  // "sales", "billing" and "goodbye" 0/12 ("sales" heard as "billing");
  // at 16 kHz "sales" 7/12 (never the first utterance), "billing" 1/12. The
  // Klatt variant (en-us+klatt) does far better: at 8 kHz only "billing"
  // misses (8/12 right), at 16 kHz "billing" 0/12. flite: 60/60 at both rates.
  std::vector<std::string> understood;
};

class SpokenPromptTest : public ::testing::TestWithParam<SpokenPromptCase> {
 protected:
  static void SetUpTestSuite() {
    auto loaded = PocketsphinxModel::load();
    ASSERT_TRUE(loaded) << loaded.error().message;
    model = std::move(*loaded);
  }
  static void TearDownTestSuite() { model.reset(); }

  // `word` said by the provider, framed by silence as a caller's turn
  // would be, fed in 20 ms frames; the recogniser's final text.
  static std::string heard(SpeechSynthesizer& voice, SpeechRecognizer& ears, std::string_view word) {
    const auto said = voice.synthesize(word);
    EXPECT_TRUE(said) << said.error().message;
    if (!said) return {};
    const int rate = voice.sample_rate();
    std::vector<std::int16_t> pcm(static_cast<std::size_t>(rate / 5));  // 200 ms before
    pcm.insert(pcm.end(), said->begin(), said->end());
    pcm.resize(pcm.size() + static_cast<std::size_t>(rate * 3 / 10));  // 300 ms after
    EXPECT_TRUE(ears.start_utterance());
    const auto frame = static_cast<std::size_t>(rate / 50);
    for (std::size_t at = 0; at < pcm.size(); at += frame) {
      EXPECT_TRUE(ears.feed(std::span(pcm).subspan(at, std::min(frame, pcm.size() - at))));
    }
    auto final = ears.finish_utterance();
    EXPECT_TRUE(final) << final.error().message;
    return final ? final->text : std::string{};
  }

  static inline std::shared_ptr<const PocketsphinxModel> model;
};

TEST_P(SpokenPromptTest, TheRecogniserUnderstandsTheMenuWordsTheVoiceSays) {
  const SpokenPromptCase& tested = GetParam();
  TtsSettings settings;
  settings.provider = std::string(tested.provider);
  settings.flite.voice = tested.rate == 16000 ? FliteOptions::Voice::Kal16 : FliteOptions::Voice::Kal;
  settings.espeak.voice = std::string(tested.voice);
  auto voice = create_synthesizer(settings, tested.rate);
  ASSERT_TRUE(voice) << voice.error().message;
  auto ears = PocketsphinxRecognizer::create(model, {.sample_rate = tested.rate});
  ASSERT_TRUE(ears) << ears.error().message;
  ASSERT_TRUE((*ears)->expect(spoken_menu));
  for (const auto& word : spoken_menu) {
    const std::string text = heard(**voice, **ears, word);
    if (std::find(tested.understood.begin(), tested.understood.end(), word) != tested.understood.end()) {
      EXPECT_EQ(text, word) << tested.provider << " " << tested.voice << " at " << tested.rate << " Hz";
    }
  }
}

// Test names such as espeak_ng_en_us_klatt_8000.
std::string spoken_prompt_case_name(const ::testing::TestParamInfo<SpokenPromptCase>& tested) {
  std::string name = fmt::format("{}_{}_{}", tested.param.provider, tested.param.voice, tested.param.rate);
  std::replace_if(
      name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    EveryProvider, SpokenPromptTest,
    ::testing::Values(SpokenPromptCase{"flite", "kal", 8000, spoken_menu},
                      SpokenPromptCase{"flite", "kal16", 16000, spoken_menu},
                      SpokenPromptCase{"espeak-ng", "en-us+klatt", 8000, {"sales", "support", "goodbye", "operator"}},
                      SpokenPromptCase{"espeak-ng", "en-us+klatt", 16000, {"sales", "support", "goodbye", "operator"}},
                      SpokenPromptCase{"espeak-ng", "en-us", 16000, {"support", "goodbye", "operator"}},
                      SpokenPromptCase{"espeak-ng", "en-us", 8000, {"support", "operator"}}),
    spoken_prompt_case_name);

}  // namespace
}  // namespace voxgate::bot
