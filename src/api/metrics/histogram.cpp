#include "api/metrics/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace voxgate::api {

namespace {

constexpr double kNanosPerSecond = 1e9;

std::int64_t to_nanoseconds(double seconds) {
  // The largest bound whose nanoseconds fit an int64, with room to spare
  // for the rounding of the product.
  constexpr double kMaxSeconds = 9.2e9;
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > kMaxSeconds) {
    throw std::logic_error(fmt::format("histogram bucket bound {} is not a positive number of seconds", seconds));
  }
  return std::llround(seconds * kNanosPerSecond);
}

}  // namespace

HistogramSnapshot& HistogramSnapshot::operator+=(const HistogramSnapshot& other) {
  if (other.upper_bounds != upper_bounds) throw std::logic_error("adding histograms with different buckets");
  for (std::size_t i = 0; i < cumulative.size(); ++i) cumulative[i] += other.cumulative[i];
  count += other.count;
  sum += other.sum;
  return *this;
}

Histogram::Histogram(std::span<const double> upper_bounds)
    : upper_bounds_(upper_bounds.begin(), upper_bounds.end()), buckets_(upper_bounds.size() + 1) {
  upper_bounds_ns_.reserve(upper_bounds_.size());
  for (const double bound : upper_bounds_) {
    const std::int64_t ns = to_nanoseconds(bound);
    // Two bounds that round to the same nanosecond would make an empty,
    // unreachable bucket: as much a bug as unsorted bounds.
    if (!upper_bounds_ns_.empty() && ns <= upper_bounds_ns_.back()) {
      throw std::logic_error(fmt::format("histogram bucket bounds not strictly increasing at {}", bound));
    }
    upper_bounds_ns_.push_back(ns);
  }
}

void Histogram::observe(std::chrono::nanoseconds duration) noexcept {
  const std::int64_t ns = std::max<std::int64_t>(duration.count(), 0);
  // The first bound >= the value: Prometheus buckets are "less than or
  // equal" (le). Past the last bound lands in the overflow bucket.
  const auto bucket = std::lower_bound(upper_bounds_ns_.begin(), upper_bounds_ns_.end(), ns) - upper_bounds_ns_.begin();
  buckets_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot s;
  s.upper_bounds = upper_bounds_;
  s.cumulative.reserve(upper_bounds_.size());
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < upper_bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running + buckets_.back().load(std::memory_order_relaxed);
  s.sum = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / kNanosPerSecond;
  return s;
}

}  // namespace voxgate::api
