// CPU per 20 ms of a caller's audio, finish_utterance() latency and memory
// per recogniser (docs/adr/0005): the budget is 3 % of a core and 50 MB per
// bot call.

#include <benchmark/benchmark.h>

#include <flite.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "bot/stt/pocketsphinx_recognizer.hpp"

extern "C" cst_voice* register_cmu_us_kal(const char* voxdir);

namespace voxgate::bot {
namespace {

const std::vector<std::string> menu{"sales", "support", "billing", "operator"};

std::vector<std::int16_t> speak(const char* text) {
  flite_init();
  cst_wave* wave = flite_text_to_wave(text, register_cmu_us_kal(nullptr));
  std::vector<std::int16_t> pcm(1600);  // 200 ms of silence before
  pcm.insert(pcm.end(), wave->samples, wave->samples + wave->num_samples);
  pcm.resize(pcm.size() + 2400);  // 300 ms after
  delete_wave(wave);
  return pcm;
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

std::shared_ptr<const PocketsphinxModel> model() {
  static const auto loaded = PocketsphinxModel::load();
  return loaded ? *loaded : nullptr;
}

std::unique_ptr<PocketsphinxRecognizer> recognizer() {
  auto made = PocketsphinxRecognizer::create(model());
  if (!made || !(*made)->expect(menu)) return nullptr;
  return std::move(*made);
}

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

// Utterances of speech fed 20 ms at a time, including the interim
// hypothesis after every frame and the start and end of each utterance.
void BM_PocketsphinxFeed20ms(benchmark::State& state) {
  auto stt = recognizer();
  if (!stt) {
    state.SkipWithError("no recogniser");
    return;
  }
  const auto audio = speak("I want to talk to the operator please.");
  std::size_t at = 0;
  (void)stt->start_utterance();
  for (auto _ : state) {
    if (at + 160 > audio.size()) {
      benchmark::DoNotOptimize(stt->finish_utterance());
      (void)stt->start_utterance();
      at = 0;
    }
    benchmark::DoNotOptimize(stt->feed(std::span(audio).subspan(at, 160)));
    at += 160;
  }
  stt->cancel_utterance();
  state.counters["core_share"] =
      benchmark::Counter(0.020, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_PocketsphinxFeed20ms);

// From the end of the caller's audio to the final transcript.
void BM_PocketsphinxFinishUtterance(benchmark::State& state) {
  auto stt = recognizer();
  if (!stt) {
    state.SkipWithError("no recogniser");
    return;
  }
  const auto audio = speak("I need support please.");
  for (auto _ : state) {
    (void)stt->start_utterance();
    for (std::size_t at = 0; at + 160 <= audio.size(); at += 160) (void)stt->feed(std::span(audio).subspan(at, 160));
    const auto begin = std::chrono::steady_clock::now();
    auto transcript = stt->finish_utterance();
    const auto end = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(transcript);
    state.SetIterationTime(std::chrono::duration<double>(end - begin).count());
  }
}
BENCHMARK(BM_PocketsphinxFinishUtterance)->UseManualTime()->Unit(benchmark::kMillisecond);

// Resident memory each further recogniser adds once it has decoded an
// utterance (the shared model and dictionary are loaded beforehand).
void BM_PocketsphinxRecognizerMemory(benchmark::State& state) {
  const auto audio = speak("billing");
  (void)model();
  for (auto _ : state) {
    std::vector<std::unique_ptr<PocketsphinxRecognizer>> many;
    const long before = rss_kib();
    for (int i = 0; i < 20; ++i) {
      auto stt = recognizer();
      (void)stt->start_utterance();
      (void)stt->feed(audio);
      benchmark::DoNotOptimize(stt->finish_utterance());
      many.push_back(std::move(stt));
    }
    state.counters["rss_mib_per_recognizer"] = static_cast<double>(rss_kib() - before) / 1024.0 / 20.0;
  }
}
BENCHMARK(BM_PocketsphinxRecognizerMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::bot
