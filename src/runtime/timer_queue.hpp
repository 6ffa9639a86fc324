#pragma once
// TimerQueue: the timers of one loop, kept in a binary min-heap on their
// deadline (Clock::TimePoint from an injected Clock). It does not wait by
// itself: whoever owns it calls run_due() when next_deadline() has passed
// (LoopTimers does so from one boost::asio::steady_timer; tests advance a
// ManualClock and call run_due()).
//
// Cancellation is O(1) and lazy: the callback is destroyed at once and its
// heap entry left behind, skipped when it reaches the top. When skipped
// entries outnumber live ones the heap is rebuilt without them, so memory
// stays within twice the live timers even when most timers are cancelled
// early (Timer B and F usually are: the response arrives first).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/clock.hpp"
#include "runtime/timer_service.hpp"

namespace voxgate::runtime {

class TimerQueue final : public Timers {
 public:
  explicit TimerQueue(const Clock& clock);

  TimerId schedule(Clock::Duration delay, TimerCallback callback) override;
  void cancel(TimerId id) noexcept override;

  // Runs every timer whose deadline is at or before clock.now() (read once,
  // on entry), earliest deadline first, timers with equal deadlines in the
  // order they were scheduled. Callbacks may schedule and cancel timers;
  // one they schedule that is already due runs in this same call. Returns
  // how many callbacks ran.
  std::size_t run_due();

  // The earliest deadline of a live timer; nullopt when there is none.
  // (Not const: it drops cancelled entries off the top of the heap.)
  [[nodiscard]] std::optional<Clock::TimePoint> next_deadline() noexcept;

  // Live (scheduled, not yet run or cancelled) timers.
  [[nodiscard]] std::size_t size() const noexcept { return live_; }
  [[nodiscard]] bool empty() const noexcept { return live_ == 0; }
  // Heap entries, cancelled ones included (for tests of the compaction).
  [[nodiscard]] std::size_t heap_entries() const noexcept { return heap_.size(); }

  [[nodiscard]] const Clock& clock() const noexcept { return clock_; }

 private:
  struct Entry {
    Clock::TimePoint deadline;
    std::uint64_t sequence;  // ties broken by scheduling order
    std::uint32_t slot;
    std::uint32_t generation;
  };
  struct Slot {
    std::uint32_t generation = 1;  // bumped when the slot is freed; never 0
    bool armed = false;
    TimerCallback callback;
  };

  // std::*_heap keep a max-heap under the comparator; ordering "later"
  // first makes the earliest (deadline, sequence) the top.
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const noexcept {
      if (a.deadline != b.deadline) return a.deadline > b.deadline;
      return a.sequence > b.sequence;
    }
  };

  [[nodiscard]] bool is_live(const Entry& e) const noexcept {
    const Slot& s = slots_[e.slot];
    return s.armed && s.generation == e.generation;
  }
  void free_slot(std::uint32_t index) noexcept;
  void pop_top() noexcept;
  void drop_dead_top() noexcept;
  void compact();

  const Clock& clock_;
  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_sequence_ = 0;
  std::size_t live_ = 0;
};

}  // namespace voxgate::runtime
