#pragma once
// A latency histogram in seconds, for call-setup and API request latency:
// fixed bucket upper bounds chosen at construction, observe() from any
// thread without a lock, snapshot() to render (PrometheusText::histogram).
//
//   api::Histogram setup_latency;                    // kLatencyBucketsSeconds
//   setup_latency.observe(clock.now() - invited_at); // any thread
//   text.family("voxgate_call_setup_seconds", "...", MetricType::Histogram);
//   text.histogram({}, setup_latency.snapshot());
//
// Buckets are kept non-cumulative, one atomic per bucket plus one above the
// largest bound; the sum is fixed-point nanoseconds in one atomic, so every
// update is a relaxed fetch_add. A snapshot taken while others observe is
// consistent in its buckets and count (the count is their sum, so the +Inf
// bucket always equals _count as the exposition format requires) but its
// sum may miss an observation still being recorded.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace voxgate::api {

// The Prometheus client libraries' default buckets (5 ms to 10 s): they
// span what a call setup or an API request takes, from a loopback answer to
// a slow peer; anything slower is still counted, in the +Inf bucket.
inline constexpr std::array<double, 11> kLatencyBucketsSeconds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                               0.5,   1.0,  2.5,   5.0,  10.0};

// What a histogram held at one moment, in the form the exposition wants.
struct HistogramSnapshot {
  std::vector<double> upper_bounds;       // seconds, strictly increasing, without +Inf
  std::vector<std::uint64_t> cumulative;  // [i]: observations <= upper_bounds[i]
  std::uint64_t count = 0;                // every observation: the +Inf bucket
  double sum = 0;                         // seconds

  // Adds another snapshot of the same buckets (e.g. one histogram per
  // worker loop, summed for the exposition). Different bounds are a bug:
  // std::logic_error.
  HistogramSnapshot& operator+=(const HistogramSnapshot& other);
};

class Histogram {
 public:
  // `upper_bounds` in seconds: finite, positive, strictly increasing, at
  // most about 292 years (nanoseconds in an int64). Anything else is a
  // bug: std::logic_error.
  explicit Histogram(std::span<const double> upper_bounds = kLatencyBucketsSeconds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;
  Histogram(Histogram&&) = delete;
  Histogram& operator=(Histogram&&) = delete;
  ~Histogram() = default;

  // Records one observation. A negative duration (a clock misuse) counts
  // as zero. Any thread.
  void observe(std::chrono::nanoseconds duration) noexcept;

  // Any thread.
  [[nodiscard]] HistogramSnapshot snapshot() const;

  [[nodiscard]] std::span<const double> upper_bounds() const noexcept { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  std::vector<std::int64_t> upper_bounds_ns_;  // the same bounds, to place a duration without floating point
  // One per bound, then one for the observations above the largest bound.
  std::vector<std::atomic<std::uint64_t>> buckets_;
  std::atomic<std::uint64_t> sum_ns_{0};
};

}  // namespace voxgate::api
