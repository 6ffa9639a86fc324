#pragma once
// One change-feed subscriber's queue (private to the in-memory registry):
// writers append under the registry's shard lock, the subscriber drains
// from its own thread, and the wake function is called outside every
// registry lock.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "session/registry/session_event.hpp"
#include "session/registry/session_filter.hpp"
#include "session/registry/session_registry.hpp"

namespace voxgate::session::detail {

class SubscriberQueue {
 public:
  SubscriberQueue(SessionFilter filter, WakeFunction wake, std::size_t capacity);

  // Immutable, so writers read it without the queue's lock.
  [[nodiscard]] const SessionFilter& filter() const noexcept { return filter_; }

  // Appends one event. When the queue is full it is cleared and an
  // Overflow event goes first: a writer never waits for a slow subscriber,
  // and the subscriber learns it must resynchronise instead of silently
  // missing changes. True when the subscriber must be woken (it had
  // drained the queue since the last wake).
  bool push(SessionEventKind kind, std::uint64_t sequence, const SessionRecord& record);

  std::vector<SessionEvent> poll(std::size_t max_events);

  // Calls the wake function unless close() was called.
  void wake();
  // After it returns the wake function is not running and never runs again.
  void close();

  [[nodiscard]] std::uint64_t overflows() const;

 private:
  const SessionFilter filter_;
  const std::size_t capacity_;

  mutable std::mutex mutex_;  // events_, armed_, overflows_
  std::deque<SessionEvent> events_;
  bool armed_ = true;  // the next push wakes
  std::uint64_t overflows_ = 0;

  // Separate from mutex_ so a wake function may poll() synchronously;
  // held while waking so close() can wait for a running wake.
  std::mutex wake_mutex_;
  WakeFunction wake_;
  bool closed_ = false;
};

}  // namespace voxgate::session::detail
