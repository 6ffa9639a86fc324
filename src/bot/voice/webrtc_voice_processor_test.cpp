#include "bot/voice/webrtc_voice_processor.hpp"

#include <gtest/gtest.h>

#include <flite.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

extern "C" cst_voice* register_cmu_us_kal(const char* voxdir);
extern "C" cst_voice* register_cmu_us_kal16(const char* voxdir);

namespace voxgate::bot {
namespace {

// Real speech without binary fixtures: flite's kal voices speak at 8 kHz
// (kal) and 16 kHz (kal16).
std::vector<std::int16_t> speak(const std::string& text, int rate) {
  flite_init();
  cst_voice* voice = rate == 16000 ? register_cmu_us_kal16(nullptr) : register_cmu_us_kal(nullptr);
  cst_wave* wave = flite_text_to_wave(text.c_str(), voice);
  std::vector<std::int16_t> pcm(wave->samples, wave->samples + wave->num_samples);
  EXPECT_EQ(wave->sample_rate, rate);
  delete_wave(wave);
  return pcm;
}

std::vector<std::int16_t> white_noise(std::size_t samples, int amplitude, unsigned seed = 7) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> sample(-amplitude, amplitude);
  std::vector<std::int16_t> pcm(samples);
  for (auto& s : pcm) s = static_cast<std::int16_t>(sample(random));
  return pcm;
}

double energy(std::span<const std::int16_t> pcm) {
  double sum = 0;
  for (const auto s : pcm) sum += static_cast<double>(s) * s;
  return sum;
}

struct Verdicts {
  int speech = 0;
  int frames = 0;
};

// Runs whole 20 ms frames of `pcm` through `vad`, in place.
Verdicts run(VoiceActivityDetector& vad, std::vector<std::int16_t>& pcm) {
  const auto frame = static_cast<std::size_t>(vad.sample_rate() / 50);
  Verdicts verdicts;
  for (std::size_t at = 0; at + frame <= pcm.size(); at += frame) {
    auto speech = vad.process(std::span(pcm).subspan(at, frame));
    EXPECT_TRUE(speech) << speech.error().message;
    verdicts.speech += speech && *speech ? 1 : 0;
    ++verdicts.frames;
  }
  return verdicts;
}

std::unique_ptr<WebrtcVoiceProcessor> make(int rate) {
  auto vad = WebrtcVoiceProcessor::create({.sample_rate = rate});
  EXPECT_TRUE(vad) << vad.error().message;
  return std::move(*vad);
}

TEST(WebrtcVoiceProcessor, CallsFliteSpeechSpeechAtBothRates) {
  for (const int rate : {8000, 16000}) {
    auto vad = make(rate);
    auto pcm = speak("Thank you for calling. Please say sales, support or billing.", rate);
    const auto verdicts = run(*vad, pcm);
    EXPECT_GT(verdicts.speech, verdicts.frames / 2) << rate << " Hz: " << verdicts.speech << " of " << verdicts.frames;
  }
}

TEST(WebrtcVoiceProcessor, NeverCallsDigitalSilenceSpeech) {
  auto vad = make(8000);
  std::vector<std::int16_t> silence(std::size_t{8000} * 3);
  EXPECT_EQ(run(*vad, silence).speech, 0);
}

TEST(WebrtcVoiceProcessor, CallsFewFramesOfLowLevelWhiteNoiseSpeech) {
  for (const int rate : {8000, 16000}) {
    auto vad = make(rate);
    auto noise = white_noise(static_cast<std::size_t>(rate) * 5, 300);  // about -50 dBFS
    const auto verdicts = run(*vad, noise);
    EXPECT_LT(verdicts.speech, verdicts.frames / 5) << rate << " Hz: " << verdicts.speech << " of " << verdicts.frames;
  }
}

TEST(WebrtcVoiceProcessor, SuppressionLowersTheEnergyOfWhiteNoise) {
  auto vad = make(8000);
  const auto original = white_noise(std::size_t{8000} * 5, 1000);
  auto processed = original;
  run(*vad, processed);
  // After the first second the noise estimate has converged.
  const auto settled = std::span<const std::int16_t>(original).subspan(8000);
  const auto suppressed = std::span<const std::int16_t>(processed).subspan(8000);
  EXPECT_LT(energy(suppressed), energy(settled) / 4) << "at least 6 dB down";
}

TEST(WebrtcVoiceProcessor, LeavesTheAudioAloneWhenSuppressionIsOff) {
  auto vad = WebrtcVoiceProcessor::create({.sample_rate = 8000, .suppression = WebrtcVoiceOptions::Suppression::Off});
  ASSERT_TRUE(vad);
  const auto original = white_noise(8000, 1000);
  auto processed = original;
  run(**vad, processed);
  EXPECT_EQ(processed, original);
}

TEST(WebrtcVoiceProcessor, RefusesFramesThatAreNotTwentyMilliseconds) {
  auto vad = make(8000);
  std::vector<std::int16_t> ten_ms(80);
  const auto verdict = (*vad).process(ten_ms);
  ASSERT_FALSE(verdict);
  EXPECT_EQ(verdict.error().code, Errc::InvalidArgument);
}

TEST(WebrtcVoiceProcessor, RefusesRatesOtherThanNarrowAndWideband) {
  const auto vad = WebrtcVoiceProcessor::create({.sample_rate = 48000});
  ASSERT_FALSE(vad);
  EXPECT_EQ(vad.error().code, Errc::InvalidArgument);
}

}  // namespace
}  // namespace voxgate::bot
