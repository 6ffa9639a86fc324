#include "media/engine/media_clock.hpp"

#include <algorithm>
#include <cmath>

namespace voxgate::media {

void MediaClockStats::record(Clock::Duration lateness) noexcept {
  ++ticks;
  max_lateness = std::max(max_lateness, lateness);
  if (lateness > std::chrono::milliseconds(5)) ++late_over_5ms;
  const auto whole_ms = std::chrono::duration_cast<std::chrono::milliseconds>(lateness).count();
  const std::size_t bucket = whole_ms <= 0 ? 0 : std::min(static_cast<std::size_t>(whole_ms), kLatenessBuckets - 1);
  ++lateness_ms[bucket];
}

Clock::Duration MediaClockStats::lateness_percentile(double percent) const noexcept {
  std::uint64_t total = 0;
  for (const std::uint64_t count : lateness_ms) total += count;
  if (total == 0) return Clock::Duration::zero();
  // The rank (1-based) of the tick at `percent`: the smallest r with r >= percent % of total.
  const double wanted = std::clamp(percent, 0.0, 100.0) / 100.0 * static_cast<double>(total);
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(wanted)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i + 1 < kLatenessBuckets; ++i) {
    seen += lateness_ms[i];
    if (seen >= rank) {
      return std::min<Clock::Duration>(std::chrono::milliseconds(static_cast<std::int64_t>(i) + 1), max_lateness);
    }
  }
  return max_lateness;
}

MediaClockStats& MediaClockStats::operator+=(const MediaClockStats& other) noexcept {
  ticks += other.ticks;
  skipped += other.skipped;
  max_lateness = std::max(max_lateness, other.max_lateness);
  late_over_5ms += other.late_over_5ms;
  for (std::size_t i = 0; i < kLatenessBuckets; ++i) lateness_ms[i] += other.lateness_ms[i];
  return *this;
}

MediaClockStats MediaClockStats::since(const MediaClockStats& earlier) const noexcept {
  MediaClockStats window;
  window.ticks = ticks - earlier.ticks;
  window.skipped = skipped - earlier.skipped;
  window.late_over_5ms = late_over_5ms - earlier.late_over_5ms;
  std::size_t highest = 0;
  bool any = false;
  for (std::size_t i = 0; i < kLatenessBuckets; ++i) {
    window.lateness_ms[i] = lateness_ms[i] - earlier.lateness_ms[i];
    if (window.lateness_ms[i] > 0) {
      highest = i;
      any = true;
    }
  }
  if (any && highest + 1 < kLatenessBuckets) {
    window.max_lateness =
        std::min<Clock::Duration>(std::chrono::milliseconds(static_cast<std::int64_t>(highest) + 1), max_lateness);
  } else if (any) {
    window.max_lateness = max_lateness;
  }
  return window;
}

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
    stats_.record(now - (start_ + settings_.period * static_cast<std::int64_t>(next_tick_)));
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
