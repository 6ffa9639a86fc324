#include "runtime/timer_queue.hpp"

#include <algorithm>
#include <utility>

namespace voxgate::runtime {

namespace {

// TimerId = generation << 32 | slot index; generation is never 0, so no live
// timer has the id TimerId{}.
TimerId make_id(std::uint32_t slot, std::uint32_t generation) noexcept {
  return TimerId{(static_cast<std::uint64_t>(generation) << 32U) | slot};
}

// Below this many heap entries a rebuild is not worth it.
constexpr std::size_t kCompactFloor = 64;

}  // namespace

TimerQueue::TimerQueue(const Clock& clock) : clock_(clock) {}

TimerId TimerQueue::schedule(Clock::Duration delay, TimerCallback callback) {
  std::uint32_t index = 0;
  if (free_slots_.empty()) {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
    // free_slot() is noexcept: room for every slot in free_slots_ up front.
    free_slots_.reserve(slots_.capacity());
  } else {
    index = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& slot = slots_[index];
  slot.armed = true;
  slot.callback = std::move(callback);
  ++live_;

  const Clock::Duration wait = std::max(delay, Clock::Duration::zero());
  heap_.push_back(Entry{clock_.now() + wait, next_sequence_++, index, slot.generation});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  return make_id(index, slot.generation);
}

void TimerQueue::cancel(TimerId id) noexcept {
  const auto index = static_cast<std::uint32_t>(id.value() & 0xFFFFFFFFU);
  const auto generation = static_cast<std::uint32_t>(id.value() >> 32U);
  if (generation == 0 || index >= slots_.size()) return;
  Slot& slot = slots_[index];
  if (!slot.armed || slot.generation != generation) return;
  slot.callback.reset();
  free_slot(index);
  if (heap_.size() > kCompactFloor && heap_.size() > 2 * live_) compact();
}

void TimerQueue::free_slot(std::uint32_t index) noexcept {
  Slot& slot = slots_[index];
  slot.armed = false;
  slot.generation = slot.generation == 0xFFFFFFFFU ? 1 : slot.generation + 1;
  --live_;
  // Never reallocates: schedule() reserved room for every slot.
  free_slots_.push_back(index);
}

void TimerQueue::pop_top() noexcept {
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  heap_.pop_back();
}

void TimerQueue::drop_dead_top() noexcept {
  while (!heap_.empty() && !is_live(heap_.front())) pop_top();
}

void TimerQueue::compact() {
  std::erase_if(heap_, [this](const Entry& e) { return !is_live(e); });
  std::make_heap(heap_.begin(), heap_.end(), Later{});
}

std::size_t TimerQueue::run_due() {
  const Clock::TimePoint now = clock_.now();
  std::size_t ran = 0;
  while (true) {
    drop_dead_top();
    if (heap_.empty() || heap_.front().deadline > now) break;
    const std::uint32_t index = heap_.front().slot;
    pop_top();
    // Free the slot before running: the callback may schedule (reusing it)
    // or cancel its own, now stale, id harmlessly.
    TimerCallback callback = std::move(slots_[index].callback);
    free_slot(index);
    callback();
    ++ran;
  }
  return ran;
}

std::optional<Clock::TimePoint> TimerQueue::next_deadline() noexcept {
  drop_dead_top();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().deadline;
}

}  // namespace voxgate::runtime
