#pragma once
// The tone check of the media tests (issue 4): the Goertzel algorithm gives
// the power of one frequency in a block of samples, so a test can say "the
// 440 Hz component carries at least 5x the energy of any other probe
// frequency" about audio decoded from voxgate's RTP or a recorded file.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <numbers>
#include <span>

namespace voxgate::test {

// Power of `frequency` Hz in `samples` taken at `sample_rate` Hz.
inline double goertzel_power(std::span<const std::int16_t> samples, double frequency, double sample_rate) {
  const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / sample_rate);
  double s1 = 0;
  double s2 = 0;
  for (const std::int16_t x : samples) {
    const double s0 = x + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

// The ratio of the power at `tone` to the strongest of `others`.
inline double tone_dominance(std::span<const std::int16_t> samples, double tone, std::initializer_list<double> others,
                             double sample_rate) {
  const double wanted = goertzel_power(samples, tone, sample_rate);
  double strongest = 1e-9;
  for (const double f : others) strongest = std::max(strongest, goertzel_power(samples, f, sample_rate));
  return wanted / strongest;
}

}  // namespace voxgate::test
