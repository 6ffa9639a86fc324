#include "media/apps/basic_apps.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace voxgate::media {

void EchoApp::on_caller_audio(std::span<const std::int16_t> frame) {
  last_.assign(frame.begin(), frame.end());
  fresh_ = true;
}

bool EchoApp::fill(std::span<std::int16_t> frame) {
  std::fill(frame.begin(), frame.end(), std::int16_t{0});
  if (fresh_) {
    std::copy_n(last_.begin(), std::min(last_.size(), frame.size()), frame.begin());
    fresh_ = false;  // a frame is echoed once: no repeated audio when the caller goes quiet
  }
  return true;
}

ToneApp::ToneApp(int sample_rate, double frequency, std::int16_t level)
    : sample_rate_(sample_rate),
      step_(2 * std::numbers::pi * frequency / sample_rate),
      step_cos_(std::cos(step_)),
      step_sin_(std::sin(step_)),
      level_(static_cast<double>(std::max<std::int16_t>(0, level))) {}

bool ToneApp::fill(std::span<std::int16_t> frame) {
  // sin() per sample was a tenth of a load generator's CPU: instead, turn
  // the point (cos, sin) by one step per sample (a rotation: four multiplies),
  // starting each frame from the exact phase so rounding cannot build up.
  double sin = std::sin(phase_);
  double cos = std::cos(phase_);
  for (std::int16_t& sample : frame) {
    const double value = level_ * sin;
    sample = static_cast<std::int16_t>(value + (value < 0 ? -0.5 : 0.5));  // rounded half away from zero
    const double next_sin = sin * step_cos_ + cos * step_sin_;
    cos = cos * step_cos_ - sin * step_sin_;
    sin = next_sin;
  }
  phase_ = std::fmod(phase_ + step_ * static_cast<double>(frame.size()), 2 * std::numbers::pi);  // precise over hours
  return true;
}

bool SilenceApp::fill(std::span<std::int16_t> frame) {
  std::fill(frame.begin(), frame.end(), std::int16_t{0});
  return true;
}

}  // namespace voxgate::media
