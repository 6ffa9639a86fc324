// Micro-benchmarks of the jitter buffer: one 20-ms G.711 frame put and
// played per iteration, as each call does every media tick (5,000 calls
// are 250,000 iterations a second), and the memory one buffer holds.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "media/jitter/jitter_buffer.hpp"

namespace voxgate::media {
namespace {

JitterBuffer make_buffer() {
  auto buffer = JitterBuffer::create();
  if (!buffer) std::abort();  // the default settings must be valid
  return std::move(*buffer);
}

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

void BM_PutGetSteady(benchmark::State& state) {
  JitterBuffer buffer = make_buffer();
  std::array<std::uint8_t, 160> payload{};
  std::uint32_t timestamp = 0;
  std::uint16_t sequence = 0;
  for (auto _ : state) {
    buffer.put(timestamp, sequence, false, payload);
    JitterFrame frame = buffer.get();
    benchmark::DoNotOptimize(frame);
    timestamp += 160;
    ++sequence;
  }
  if (buffer.stats().frames + 2 < static_cast<std::uint64_t>(state.iterations())) {
    state.SkipWithError("not steady: frames were not played");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PutGetSteady);

// Heap per buffer after a second of steady 20-ms G.711 (so its slots hold
// payload buffers), over 1,000 buffers; glibc's mallinfo2 counts it.
void BM_MemoryPerBuffer(benchmark::State& state) {
  constexpr int kBuffers = 1000;
  std::array<std::uint8_t, 160> payload{};
  double heap_per_buffer = 0;
  for (auto _ : state) {
    std::vector<JitterBuffer> buffers;
    buffers.reserve(kBuffers);
    const std::size_t before = mallinfo2().uordblks;
    for (int i = 0; i < kBuffers; ++i) {
      buffers.push_back(make_buffer());
      for (std::uint32_t tick = 0; tick < 50; ++tick) {
        buffers.back().put(tick * 160, static_cast<std::uint16_t>(tick), false, payload);
        benchmark::DoNotOptimize(buffers.back().get());
      }
    }
    const std::size_t after = mallinfo2().uordblks;
    heap_per_buffer = static_cast<double>(after - before) / kBuffers;
  }
  state.counters["heap_bytes"] = heap_per_buffer;
  state.counters["sizeof"] = static_cast<double>(sizeof(JitterBuffer));
}
BENCHMARK(BM_MemoryPerBuffer)->Iterations(1);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::media
