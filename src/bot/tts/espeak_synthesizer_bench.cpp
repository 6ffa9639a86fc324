// CPU cost of speaking with espeak-ng, beside flite's
// (flite_synthesizer_bench.cpp, the same prompt): per character of prompt,
// and how much faster than real time one core speaks (docs/adr/0005).

#include <benchmark/benchmark.h>

#include "bot/tts/espeak_synthesizer.hpp"
#include "bot/tts/synthesizer_bench.hpp"

namespace voxgate::bot {
namespace {

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

// Arg: the output rate (0: espeak-ng's own 22,050 Hz, no resampling).
void BM_EspeakSynthesize(benchmark::State& state) {
  auto tts = EspeakSynthesizer::create({.output_rate = static_cast<int>(state.range(0))});
  if (!tts) {
    state.SkipWithError(tts.error().message.c_str());
    return;
  }
  speak_prompt_repeatedly(state, **tts);
}
BENCHMARK(BM_EspeakSynthesize)->Arg(0)->Arg(8000)->Arg(16000)->Unit(benchmark::kMillisecond);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::bot
