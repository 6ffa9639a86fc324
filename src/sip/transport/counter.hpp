#pragma once
// A counter written by one thread and read by any: the building block of
// the transport's per-loop counters (transport_stats.hpp). No lock and no
// read-modify-write instruction: the single writer loads and stores.

#include <atomic>
#include <cstdint>

namespace voxgate::sip {

class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

}  // namespace voxgate::sip
