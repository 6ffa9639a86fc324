#include "base/clock.hpp"

namespace voxgate {

namespace {
// 2026-01-01T00:00:00Z: a fixed, readable origin for ManualClock wall time.
constexpr std::chrono::seconds kManualWallOrigin{1767225600};
}  // namespace

ManualClock::ManualClock() : ManualClock(WallTime{kManualWallOrigin}) {}

ManualClock::ManualClock(WallTime wall_start) : wall_start_(wall_start) {}

Clock::TimePoint ManualClock::now() const noexcept {
  return TimePoint{Duration{elapsed_.load(std::memory_order_acquire)}};
}

Clock::WallTime ManualClock::wall_now() const noexcept {
  return wall_start_ +
         std::chrono::duration_cast<WallTime::duration>(Duration{elapsed_.load(std::memory_order_acquire)});
}

void ManualClock::advance(Duration by) noexcept {
  elapsed_.fetch_add(by.count(), std::memory_order_acq_rel);
}

}  // namespace voxgate
