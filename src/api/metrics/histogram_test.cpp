#include "api/metrics/histogram.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

namespace voxgate::api {
namespace {

using namespace std::chrono_literals;

TEST(Histogram, CountsAnObservationInTheFirstBucketWhoseBoundIsAtLeastIt) {
  const std::vector<double> bounds{0.005, 0.1, 1.0};
  Histogram h(bounds);
  h.observe(0ms);
  h.observe(5ms);  // exactly on a bound: le means "less than or equal"
  h.observe(5001us);
  h.observe(1s);
  h.observe(3s);  // above every bound: only in +Inf
  const HistogramSnapshot s = h.snapshot();
  EXPECT_EQ(s.upper_bounds, bounds);
  EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{2, 3, 4}));
  EXPECT_EQ(s.count, 5U);
  EXPECT_DOUBLE_EQ(s.sum, 4.010001);
}

TEST(Histogram, CountsANegativeDurationAsZero) {
  Histogram h;
  h.observe(-5ms);
  const HistogramSnapshot s = h.snapshot();
  EXPECT_EQ(s.cumulative.front(), 1U);
  EXPECT_EQ(s.sum, 0.0);
}

TEST(Histogram, DefaultsToLatencyBucketsFrom5MillisecondsTo10Seconds) {
  const Histogram h;
  ASSERT_EQ(h.upper_bounds().size(), kLatencyBucketsSeconds.size());
  EXPECT_EQ(h.upper_bounds().front(), 0.005);
  EXPECT_EQ(h.upper_bounds().back(), 10.0);
  EXPECT_EQ(h.snapshot().cumulative.size(), kLatencyBucketsSeconds.size());
}

TEST(Histogram, SumsConcurrentObservationsFromFourThreadsExactly) {
  Histogram h;
  constexpr int kThreads = 4;
  constexpr int kEach = 50'000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    // Thread t observes (t + 1) ms: each lands in a known bucket.
    threads.emplace_back([&h, t] {
      for (int i = 0; i < kEach; ++i) h.observe(std::chrono::milliseconds(t + 1));
    });
  }
  for (auto& thread : threads) thread.join();
  const HistogramSnapshot s = h.snapshot();
  EXPECT_EQ(s.count, std::uint64_t{kThreads} * kEach);
  // (1 + 2 + 3 + 4) ms * 50'000 = 500 s, summed in whole nanoseconds.
  EXPECT_EQ(s.sum, 500.0);
  EXPECT_EQ(s.cumulative[0], std::uint64_t{kThreads} * kEach);  // all <= 5 ms
}

TEST(Histogram, KeepsTheInfBucketEqualToTheCountWhileObserved) {
  Histogram h;
  std::thread writer([&h] {
    for (int i = 0; i < 100'000; ++i) h.observe(std::chrono::milliseconds(i % 20'000));
  });
  for (int i = 0; i < 200; ++i) {
    const HistogramSnapshot s = h.snapshot();
    for (std::size_t b = 1; b < s.cumulative.size(); ++b) ASSERT_LE(s.cumulative[b - 1], s.cumulative[b]);
    ASSERT_LE(s.cumulative.back(), s.count);
  }
  writer.join();
  EXPECT_EQ(h.snapshot().count, 100'000U);
}

TEST(Histogram, RejectsBoundsThatAreNotPositiveFiniteAndIncreasing) {
  const auto make = [](std::vector<double> bounds) { Histogram h(bounds); };
  EXPECT_THROW(make({0.1, 0.1}), std::logic_error);
  EXPECT_THROW(make({1.0, 0.5}), std::logic_error);
  EXPECT_THROW(make({0.0, 1.0}), std::logic_error);
  EXPECT_THROW(make({-1.0}), std::logic_error);
  EXPECT_THROW(make({0.1, std::numeric_limits<double>::infinity()}), std::logic_error);
  EXPECT_THROW(make({std::numeric_limits<double>::quiet_NaN()}), std::logic_error);
  EXPECT_THROW(make({1e-10, 2e-10}), std::logic_error);  // both round to 0 ns
  EXPECT_NO_THROW(make({}));                             // only +Inf: a count and a sum
}

TEST(HistogramSnapshot, AddsSnapshotsOfTheSameBuckets) {
  Histogram a;
  Histogram b;
  a.observe(1ms);
  b.observe(2s);
  b.observe(20s);
  HistogramSnapshot sum = a.snapshot();
  sum += b.snapshot();
  EXPECT_EQ(sum.count, 3U);
  EXPECT_DOUBLE_EQ(sum.sum, 22.001);
  EXPECT_EQ(sum.cumulative.front(), 1U);
  EXPECT_EQ(sum.cumulative.back(), 2U);
}

TEST(HistogramSnapshot, RefusesToAddDifferentBuckets) {
  const Histogram a;
  const std::vector<double> other{1.0};
  const Histogram b(other);
  HistogramSnapshot s = a.snapshot();
  EXPECT_THROW(s += b.snapshot(), std::logic_error);
}

}  // namespace
}  // namespace voxgate::api
