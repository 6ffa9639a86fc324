#include "runtime/loop_pool.hpp"

#include <string>
#include <thread>

#include "base/ascii.hpp"

namespace voxgate::runtime {

LoopPool::LoopPool(std::size_t threads) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  loops_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    loops_.push_back(std::make_unique<EventLoop>("worker-" + std::to_string(i)));
  }
}

LoopPool::~LoopPool() {
  stop();
  join();
}

std::size_t LoopPool::index_for(std::string_view key) const noexcept {
  return static_cast<std::size_t>(ascii::fnv1a(key) % loops_.size());
}

void LoopPool::start() {
  for (auto& loop : loops_) loop->start();
}

void LoopPool::stop() {
  for (auto& loop : loops_) loop->stop();
}

void LoopPool::join() {
  for (auto& loop : loops_) loop->join();
}

}  // namespace voxgate::runtime
