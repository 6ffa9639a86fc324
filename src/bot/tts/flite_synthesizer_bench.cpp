// CPU cost of speaking: per character of prompt, and how much faster than
// real time one core speaks (docs/adr/0005).

#include <benchmark/benchmark.h>

#include <string>

#include "bot/tts/flite_synthesizer.hpp"

namespace voxgate::bot {
namespace {

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

void BM_FliteSynthesize(benchmark::State& state) {
  const bool wide = state.range(0) == 16000;
  auto tts = FliteSynthesizer::create({.voice = wide ? FliteOptions::Voice::Kal16 : FliteOptions::Voice::Kal});
  if (!tts) {
    state.SkipWithError(tts.error().message.c_str());
    return;
  }
  const std::string text = "Thank you for calling. Please say sales, support, or billing.";
  std::size_t samples = 0;
  for (auto _ : state) {
    auto pcm = (*tts)->synthesize(text);
    samples += pcm ? pcm->size() : 0;
    benchmark::DoNotOptimize(pcm);
  }
  const auto chars = static_cast<double>(text.size());
  state.counters["per_char"] =
      benchmark::Counter(chars, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  // Seconds of speech per second of CPU.
  state.counters["x_real_time"] =
      benchmark::Counter(static_cast<double>(samples) / (*tts)->sample_rate(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FliteSynthesize)->Arg(8000)->Arg(16000)->Unit(benchmark::kMillisecond);

void BM_SplitForSpeech(benchmark::State& state) {
  const std::string text =
      "Thank you for calling Acme Corporation, where your satisfaction is our priority; please listen carefully, "
      "as our menu options have recently changed. If you know your party's extension, you may dial it at any time.";
  for (auto _ : state) benchmark::DoNotOptimize(split_for_speech(text, 60));
}
BENCHMARK(BM_SplitForSpeech);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::bot
