#include "media/engine/media_clock.hpp"

#include <algorithm>

namespace voxgate::media {

MediaClock::MediaClock(runtime::Timers& timers, const Clock& clock, MediaClockSettings settings)
    : timers_(timers), clock_(clock), settings_(settings) {}

MediaClock::~MediaClock() {
  timers_.cancel(timer_);
}

void MediaClock::add(MediaTickHandler& handler) {
  handlers_.push_back(&handler);
  if (++live_ == 1 && !ticking_) {
    // The first stream starts the clock; its first tick is one period away.
    start_ = clock_.now();
    next_tick_ = 1;
    arm();
  }
}

void MediaClock::remove(MediaTickHandler& handler) noexcept {
  const auto it = std::find(handlers_.begin(), handlers_.end(), &handler);
  if (it == handlers_.end()) return;
  *it = nullptr;
  --live_;
  if (!ticking_) {
    handlers_.erase(std::remove(handlers_.begin(), handlers_.end(), nullptr), handlers_.end());
    if (live_ == 0) {
      timers_.cancel(timer_);
      timer_ = {};
    }
  }
}

void MediaClock::arm() {
  const Clock::TimePoint due = start_ + settings_.period * static_cast<std::int64_t>(next_tick_);
  timer_ = timers_.schedule(due - clock_.now(), [this] { on_timer(); });
}

void MediaClock::on_timer() {
  timer_ = {};
  const Clock::TimePoint now = clock_.now();
  // Every tick due by now: those beyond max_catch_up are skipped.
  const auto due_ticks = static_cast<std::uint64_t>((now - start_) / settings_.period);
  if (due_ticks >= next_tick_ + settings_.max_catch_up) {
    const std::uint64_t first_kept = due_ticks - settings_.max_catch_up + 1;
    stats_.skipped += first_kept - next_tick_;
    next_tick_ = first_kept;
  }
  ticking_ = true;
  for (; next_tick_ <= due_ticks; ++next_tick_) {
    const Clock::Duration lateness = now - (start_ + settings_.period * static_cast<std::int64_t>(next_tick_));
    stats_.max_lateness = std::max(stats_.max_lateness, lateness);
    if (lateness > std::chrono::milliseconds(5)) ++stats_.late_over_5ms;
    ++stats_.ticks;
    // Handlers added during the tick wait for the next one.
    const std::size_t count = handlers_.size();
    for (std::size_t i = 0; i < count; ++i) {
      if (MediaTickHandler* handler = handlers_[i]) handler->on_media_tick(next_tick_);
    }
  }
  ticking_ = false;
  handlers_.erase(std::remove(handlers_.begin(), handlers_.end(), nullptr), handlers_.end());
  if (live_ > 0) arm();
}

}  // namespace voxgate::media
