#pragma once
// The media clock of one worker loop (docs/adr/0004-media-engine.md): one
// timer drives every stream of the loop every 20 ms, instead of a timer per
// call. Ticks are due at absolute times (start + n x period), so a late tick
// does not push the ones after it; when the loop was blocked past several
// ticks, the missed ones run at once (streams keep their timestamps in step
// with real time) up to `max_catch_up`, and beyond that are skipped and
// counted. Lateness is measured at every tick: it is the send-interval
// jitter the media benchmark reports (bench/media_load), as a maximum, a
// count over 5 ms and a histogram for its percentiles.

#include <array>
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
  // Lateness histogram: bucket i < kLatenessBuckets - 1 counts the ticks
  // delivered [i, i + 1) ms late, the last one those 100 ms late or more.
  static constexpr std::size_t kLatenessBuckets = 101;

  std::uint64_t ticks = 0;    // ticks delivered
  std::uint64_t skipped = 0;  // ticks dropped after a stall beyond max_catch_up
  Clock::Duration max_lateness{};
  std::uint64_t late_over_5ms = 0;  // ticks delivered more than 5 ms after they were due
  std::array<std::uint64_t, kLatenessBuckets> lateness_ms{};

  // Counts one delivered tick `lateness` late (every field above).
  void record(Clock::Duration lateness) noexcept;

  // The lateness `percent` (0-100) of the ticks were delivered within: the
  // upper edge of the 1-ms bucket holding that rank, but never above
  // max_lateness (so it is an upper bound, at most 1 ms above the exact
  // value); max_lateness for a rank in the overflow bucket; zero without
  // ticks.
  [[nodiscard]] Clock::Duration lateness_percentile(double percent) const noexcept;

  // Adds another clock's stats (several loops, one report).
  MediaClockStats& operator+=(const MediaClockStats& other) noexcept;

  // The ticks delivered since `earlier`, a snapshot of the same clock (a
  // measurement window): counts subtract; max_lateness becomes the upper
  // edge of the highest bucket that gained ticks (capped by this
  // max_lateness), since the window's own maximum was not kept.
  [[nodiscard]] MediaClockStats since(const MediaClockStats& earlier) const noexcept;
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
