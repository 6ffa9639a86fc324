// CPU cost of speaking: per character of prompt, and how much faster than
// real time one core speaks (docs/adr/0005).

#include <benchmark/benchmark.h>

#include <string>

#include "bot/tts/flite_synthesizer.hpp"
#include "bot/tts/synthesizer_bench.hpp"

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
  speak_prompt_repeatedly(state, **tts);
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
