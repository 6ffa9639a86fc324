#pragma once
// The tone check of the media tests (issue 4), and the tones they feed: the
// Goertzel algorithm gives
// the power of one frequency in a block of samples, so a test can say "the
// 440 Hz component carries at least 5x the energy of any other probe
// frequency" about audio decoded from voxgate's RTP or a recorded file.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <numbers>
#include <span>
#include <vector>

namespace voxgate::test {

// `samples` of a sine at `frequency` Hz and peak `amplitude`, sampled at
// `sample_rate` Hz: the audio the media tests feed codecs and streams.
inline std::vector<std::int16_t> sine(double frequency, std::size_t samples, double sample_rate, double amplitude) {
  std::vector<std::int16_t> pcm(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    pcm[i] = static_cast<std::int16_t>(
        amplitude * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(i) / sample_rate));
  }
  return pcm;
}

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
