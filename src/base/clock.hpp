#pragma once
// Every component that needs time takes a Clock&, so timers and timestamps are
// testable without sleeping: production wires SystemClock, tests ManualClock.

#include <atomic>
#include <chrono>

namespace voxgate {

class Clock {
 public:
  using Duration = std::chrono::nanoseconds;
  using TimePoint = std::chrono::steady_clock::time_point;  // for timers and intervals
  using WallTime = std::chrono::system_clock::time_point;   // for timestamps people read

  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  [[nodiscard]] virtual TimePoint now() const noexcept = 0;
  [[nodiscard]] virtual WallTime wall_now() const noexcept = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const noexcept override { return std::chrono::steady_clock::now(); }
  [[nodiscard]] WallTime wall_now() const noexcept override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to. Steady and wall time advance together.
// Safe to read from any thread; advance() from one thread at a time.
class ManualClock final : public Clock {
 public:
  // Starts at an arbitrary but fixed wall time so tests are reproducible.
  ManualClock();
  explicit ManualClock(WallTime wall_start);

  [[nodiscard]] TimePoint now() const noexcept override;
  [[nodiscard]] WallTime wall_now() const noexcept override;

  void advance(Duration by) noexcept;

 private:
  WallTime wall_start_;
  std::atomic<Duration::rep> elapsed_{0};
};

// `duration` in milliseconds with its fraction: for logs and reports.
constexpr double as_ms(Clock::Duration duration) noexcept {
  return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace voxgate
