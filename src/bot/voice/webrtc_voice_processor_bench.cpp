// CPU cost of noise suppression and VAD per 20 ms frame of one call: the
// budget is 3 % of a core per bot call for everything (docs/adr/0005).

#include <benchmark/benchmark.h>

#include <flite.h>

#include <random>
#include <vector>

#include "bot/voice/webrtc_voice_processor.hpp"

extern "C" cst_voice* register_cmu_us_kal(const char* voxdir);
extern "C" cst_voice* register_cmu_us_kal16(const char* voxdir);

namespace voxgate::bot {
namespace {

// Speech with a noise floor, as a phone line delivers it.
std::vector<std::int16_t> noisy_speech(int rate) {
  flite_init();
  cst_voice* voice = rate == 16000 ? register_cmu_us_kal16(nullptr) : register_cmu_us_kal(nullptr);
  cst_wave* wave = flite_text_to_wave("I would like to speak to someone about my last bill, please.", voice);
  std::vector<std::int16_t> pcm(wave->samples, wave->samples + wave->num_samples);
  delete_wave(wave);
  std::mt19937 random(3);
  std::uniform_int_distribution<int> noise(-300, 300);
  for (auto& s : pcm) s = static_cast<std::int16_t>(std::clamp(s + noise(random), -32768, 32767));
  return pcm;
}

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

void BM_WebrtcVoiceProcessor20ms(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  auto vad = WebrtcVoiceProcessor::create({.sample_rate = rate});
  if (!vad) {
    state.SkipWithError(vad.error().message.c_str());
    return;
  }
  const auto audio = noisy_speech(rate);
  const auto frame = static_cast<std::size_t>(rate / 50);
  std::vector<std::int16_t> buffer(frame);
  std::size_t at = 0;
  for (auto _ : state) {
    if (at + frame > audio.size()) at = 0;
    std::copy_n(audio.begin() + static_cast<std::ptrdiff_t>(at), frame, buffer.begin());
    at += frame;
    benchmark::DoNotOptimize((*vad)->process(buffer));
  }
  // The share of one core a call takes: seconds of CPU per second of audio.
  state.counters["core_share"] =
      benchmark::Counter(0.020, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_WebrtcVoiceProcessor20ms)->Arg(8000)->Arg(16000);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::bot
