#include "bot/tts/synthesizer_factory.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

TEST(SynthesizerFactory, BuildsFliteByDefault) {
  auto tts = create_synthesizer(TtsSettings{}, 8000);
  ASSERT_TRUE(tts) << tts.error().message;
  EXPECT_NE(dynamic_cast<FliteSynthesizer*>(tts->get()), nullptr);
  EXPECT_EQ((*tts)->sample_rate(), 8000);
}

TEST(SynthesizerFactory, BuildsEspeakNgByNameAtTheCallRate) {
  TtsSettings settings;
  settings.provider = "espeak-ng";
  auto tts = create_synthesizer(settings, 16000);
  ASSERT_TRUE(tts) << tts.error().message;
  EXPECT_NE(dynamic_cast<EspeakSynthesizer*>(tts->get()), nullptr);
  EXPECT_EQ((*tts)->sample_rate(), 16000);
  const auto pcm = (*tts)->synthesize("Sales.");
  ASSERT_TRUE(pcm);
  EXPECT_FALSE(pcm->empty());
}

TEST(SynthesizerFactory, PassesTheProvidersOwnOptions) {
  TtsSettings settings;
  settings.provider = "espeak-ng";
  settings.espeak.voice = "no-such-voice";
  const auto tts = create_synthesizer(settings, 8000);
  ASSERT_FALSE(tts);
  EXPECT_EQ(tts.error().code, Errc::NotFound);
  settings.provider = "flite";  // flite ignores espeak-ng's options
  EXPECT_TRUE(create_synthesizer(settings, 8000));
}

TEST(SynthesizerFactory, RefusesAnUnknownProviderListingTheKnownOnes) {
  TtsSettings settings;
  settings.provider = "festival";
  const auto tts = create_synthesizer(settings, 8000);
  ASSERT_FALSE(tts);
  EXPECT_EQ(tts.error().code, Errc::InvalidArgument);
  EXPECT_EQ(tts.error().message, "no text-to-speech provider 'festival' (one of flite, espeak-ng)");
  EXPECT_EQ(synthesizer_names(), "flite, espeak-ng");
  EXPECT_TRUE(is_synthesizer_provider("espeak-ng"));
  EXPECT_FALSE(is_synthesizer_provider("festival"));
  EXPECT_EQ(synthesizer_providers().front().name, "flite");
}

}  // namespace
}  // namespace voxgate::bot
