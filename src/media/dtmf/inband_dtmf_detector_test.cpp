#include "media/dtmf/inband_dtmf_detector.hpp"

#include <gtest/gtest.h>

#include <spandsp.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

constexpr std::size_t kFrame = 160;  // 20 ms at 8 kHz
constexpr std::size_t kRate = 8000;

// `digits` keyed as audio by spandsp's generator (ITU-T Q.23 frequencies,
// -10 dBm0), each tone `on_ms` long and followed by `off_ms` of silence.
std::vector<std::int16_t> keyed(std::string_view digits, int on_ms, int off_ms) {
  struct Free {
    void operator()(dtmf_tx_state_t* state) const noexcept { dtmf_tx_free(state); }
  };
  const std::unique_ptr<dtmf_tx_state_t, Free> tx(dtmf_tx_init(nullptr));
  dtmf_tx_set_timing(tx.get(), on_ms, off_ms);
  dtmf_tx_put(tx.get(), digits.data(), static_cast<int>(digits.size()));
  std::vector<std::int16_t> audio;
  std::vector<std::int16_t> chunk(kFrame);
  while (true) {
    const int made = dtmf_tx(tx.get(), chunk.data(), static_cast<int>(chunk.size()));
    if (made <= 0) break;
    audio.insert(audio.end(), chunk.begin(), chunk.begin() + made);
  }
  audio.resize(audio.size() + kRate / 5);  // 200 ms of silence: the last digit ends
  return audio;
}

// What a stream would see: the audio in 20-ms frames, digits as characters.
std::string detect(InbandDtmfDetector& detector, const std::vector<std::int16_t>& audio) {
  std::vector<DtmfEvent> events;
  for (std::size_t at = 0; at < audio.size(); at += kFrame) {
    const std::size_t n = std::min(kFrame, audio.size() - at);
    detector.process(std::span(audio).subspan(at, n), events);
  }
  std::string digits;
  for (const DtmfEvent event : events) digits += dtmf_char(event);
  return digits;
}

std::string detect(const std::vector<std::int16_t>& audio) {
  InbandDtmfDetector detector;
  return detect(detector, audio);
}

constexpr std::string_view kAllDigits = "0123456789*#ABCD";

TEST(InbandDtmfDetector, ReportsEachOfTheSixteenDigitsOnceAtShortAndLongTimings) {
  for (const auto& [on_ms, off_ms] : {std::pair{50, 50}, std::pair{70, 60}, std::pair{100, 100}}) {
    EXPECT_EQ(detect(keyed(kAllDigits, on_ms, off_ms)), kAllDigits) << on_ms << " ms on, " << off_ms << " ms off";
  }
}

TEST(InbandDtmfDetector, AHeldKeyIsOneDigitAndTheSameKeyPressedTwiceIsTwo) {
  EXPECT_EQ(detect(keyed("5", 1000, 100)), "5");
  EXPECT_EQ(detect(keyed("55", 80, 80)), "55");
}

TEST(InbandDtmfDetector, APlainToneIsNotADigit) {
  EXPECT_EQ(detect(test::sine(440, 2 * kRate, kRate, 12000)), "");
  EXPECT_EQ(detect(test::sine(697, 2 * kRate, kRate, 12000)), "") << "one DTMF frequency alone is no digit";
}

// Two seconds of something like speech: a voiced buzz whose pitch glides
// (100-220 Hz, rich in harmonics across the DTMF band) with noisy
// consonants, under a 4-Hz syllable envelope. Deterministic (fixed seed).
std::vector<std::int16_t> speech_like() {
  std::mt19937 random(20261122);
  std::uniform_real_distribution<double> noise(-1.0, 1.0);
  std::vector<std::int16_t> audio(2 * kRate);
  double phase = 0;
  for (std::size_t i = 0; i < audio.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double pitch = 160 + 60 * std::sin(2 * std::numbers::pi * 0.7 * t);
    phase += 2 * std::numbers::pi * pitch / kRate;
    double voiced = 0;
    for (int harmonic = 1; harmonic * pitch < 3800; ++harmonic) voiced += std::sin(harmonic * phase) / harmonic;
    const double syllable = std::abs(std::sin(2 * std::numbers::pi * 2 * t));  // 4 bursts a second
    const bool consonant = std::fmod(t, 0.25) < 0.05;
    const double sample = consonant ? 0.6 * noise(random) : 0.5 * voiced + 0.05 * noise(random);
    audio[i] = static_cast<std::int16_t>(std::clamp(8000 * syllable * sample, -32768.0, 32767.0));
  }
  return audio;
}

TEST(InbandDtmfDetector, SpeechLikeAudioIsNotADigit) {
  EXPECT_EQ(detect(speech_like()), "");
}

TEST(InbandDtmfDetector, DigitsSurviveMuLawCompanding) {
  // What a G.711 call delivers: each sample through µ-law and back (spandsp's
  // own companding; media_dtmf does not depend on media_codec).
  auto audio = keyed(kAllDigits, 60, 60);
  for (std::int16_t& sample : audio) sample = ulaw_to_linear(linear_to_ulaw(sample));
  EXPECT_EQ(detect(audio), kAllDigits);
}

TEST(InbandDtmfDetector, KeepsDetectingAfterAMove) {
  // Split 15 ms into the "9" (tones at 0-100 and 200-300 ms): the moved
  // detector must finish confirming a digit the first one started hearing.
  const auto audio = keyed("19", 100, 100);
  const std::size_t split = kRate * 215 / 1000;
  InbandDtmfDetector first;
  std::string digits = detect(first, std::vector<std::int16_t>(audio.begin(), audio.begin() + split));
  InbandDtmfDetector moved(std::move(first));
  digits += detect(moved, std::vector<std::int16_t>(audio.begin() + split, audio.end()));
  EXPECT_EQ(digits, "19");
}

}  // namespace
}  // namespace voxgate::media
