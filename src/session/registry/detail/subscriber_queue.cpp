#include "session/registry/detail/subscriber_queue.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace voxgate::session::detail {

SubscriberQueue::SubscriberQueue(SessionFilter filter, WakeFunction wake, std::size_t capacity)
    : filter_(std::move(filter)), capacity_(std::max<std::size_t>(capacity, 2)), wake_(std::move(wake)) {}

bool SubscriberQueue::push(SessionEventKind kind, std::uint64_t sequence, const SessionRecord& record) {
  const std::scoped_lock lock(mutex_);
  if (events_.size() >= capacity_) {
    events_.clear();
    events_.push_back(SessionEvent{SessionEventKind::Overflow, sequence, {}});
    ++overflows_;
  }
  events_.push_back(SessionEvent{kind, sequence, record});
  return std::exchange(armed_, false);
}

std::vector<SessionEvent> SubscriberQueue::poll(std::size_t max_events) {
  const std::scoped_lock lock(mutex_);
  const std::size_t count = std::min(max_events, events_.size());
  std::vector<SessionEvent> out;
  out.reserve(count);
  const auto end = events_.begin() + static_cast<std::ptrdiff_t>(count);
  std::move(events_.begin(), end, std::back_inserter(out));
  events_.erase(events_.begin(), end);
  if (events_.empty()) armed_ = true;
  return out;
}

void SubscriberQueue::wake() {
  const std::scoped_lock lock(wake_mutex_);
  if (!closed_ && wake_) wake_();
}

void SubscriberQueue::close() {
  const std::scoped_lock lock(wake_mutex_);
  closed_ = true;
}

std::uint64_t SubscriberQueue::overflows() const {
  const std::scoped_lock lock(mutex_);
  return overflows_;
}

}  // namespace voxgate::session::detail
