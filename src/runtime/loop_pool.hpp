#pragma once
// The worker loops of a process: N EventLoops, one thread each (default: one
// per core). A call is pinned to one loop for its whole life, chosen from a
// stable hash of its Call-ID, so all of a call's state lives on one thread and
// the message path needs no lock.

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "runtime/event_loop.hpp"

namespace voxgate::runtime {

class LoopPool {
 public:
  // `threads` == 0 means one loop per hardware thread.
  explicit LoopPool(std::size_t threads);
  LoopPool(const LoopPool&) = delete;
  LoopPool& operator=(const LoopPool&) = delete;
  ~LoopPool();

  [[nodiscard]] std::size_t size() const noexcept { return loops_.size(); }
  [[nodiscard]] EventLoop& loop(std::size_t index) { return *loops_.at(index); }

  // The loop that owns everything keyed by `key` (a Call-ID). The same key
  // always maps to the same loop, in this process and any other of equal size.
  [[nodiscard]] std::size_t index_for(std::string_view key) const noexcept;
  [[nodiscard]] EventLoop& loop_for(std::string_view key) { return *loops_[index_for(key)]; }

  void start();
  void stop();
  void join();

 private:
  std::vector<std::unique_ptr<EventLoop>> loops_;
};

}  // namespace voxgate::runtime
