#pragma once
// The media clock of one worker loop (docs/adr/0004-media-engine.md): one
// timer drives every stream of the loop every 20 ms, instead of a timer per
// call. Ticks are due at absolute times (start + n x period), so a late tick
// does not push the ones after it; when the loop was blocked past several
// ticks, the missed ones run at once (streams keep their timestamps in step
// with real time) up to `max_catch_up`, and beyond that are skipped and
// counted. Lateness is measured at every tick: it is the send-interval
// jitter the media benchmark reports.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/clock.hpp"
#include "runtime/timer_service.hpp"

namespace voxgate::media {

class MediaTickHandler {
 public:
  virtual ~MediaTickHandler() = default;
  // Tick `tick` (counted from the clock's start) is due; called on the loop.
  virtual void on_media_tick(std::uint64_t tick) = 0;
};

struct MediaClockSettings {
  Clock::Duration period = std::chrono::milliseconds(20);
  std::uint32_t max_catch_up = 5;  // missed ticks run at once before the rest are skipped
};

struct MediaClockStats {
  std::uint64_t ticks = 0;    // ticks delivered
  std::uint64_t skipped = 0;  // ticks dropped after a stall beyond max_catch_up
  Clock::Duration max_lateness{};
  std::uint64_t late_over_5ms = 0;  // ticks delivered more than 5 ms after they were due
};

class MediaClock {
 public:
  MediaClock(runtime::Timers& timers, const Clock& clock, MediaClockSettings settings = {});
  MediaClock(const MediaClock&) = delete;
  MediaClock& operator=(const MediaClock&) = delete;
  ~MediaClock();

  // Handlers are called in the order added. Adding or removing one from
  // inside a tick is allowed: a removed handler is not called again, an
  // added one from the next tick on. The clock runs while it has handlers.
  void add(MediaTickHandler& handler);
  void remove(MediaTickHandler& handler) noexcept;

  [[nodiscard]] std::size_t handlers() const noexcept { return live_; }
  [[nodiscard]] const MediaClockStats& stats() const noexcept { return stats_; }

 private:
  void arm();
  void on_timer();

  runtime::Timers& timers_;
  const Clock& clock_;
  MediaClockSettings settings_;
  std::vector<MediaTickHandler*> handlers_;  // nullptr: removed, compacted after the tick
  std::size_t live_ = 0;
  bool ticking_ = false;
  runtime::TimerId timer_;
  Clock::TimePoint start_{};
  std::uint64_t next_tick_ = 0;
  MediaClockStats stats_;
};

}  // namespace voxgate::media
