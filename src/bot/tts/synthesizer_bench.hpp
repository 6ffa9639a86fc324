#pragma once
// The loop every voice's benchmark runs (flite, espeak-ng): one prompt
// spoken per iteration, counted as CPU per character and as seconds of
// speech per second of CPU (docs/adr/0005).
#include <benchmark/benchmark.h>

#include <string>

#include "bot/tts/speech_synthesizer.hpp"

namespace voxgate::bot {

inline void speak_prompt_repeatedly(benchmark::State& state, SpeechSynthesizer& tts) {
  const std::string text = "Thank you for calling. Please say sales, support, or billing.";
  std::size_t samples = 0;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): Google Benchmark's loop
    auto pcm = tts.synthesize(text);
    samples += pcm ? pcm->size() : 0;
    benchmark::DoNotOptimize(pcm);
  }
  const auto chars = static_cast<double>(text.size());
  state.counters["per_char"] =
      benchmark::Counter(chars, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["x_real_time"] =
      benchmark::Counter(static_cast<double>(samples) / tts.sample_rate(), benchmark::Counter::kIsRate);
}

}  // namespace voxgate::bot
