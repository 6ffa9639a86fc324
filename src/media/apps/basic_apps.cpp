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
      level_(static_cast<double>(std::max<std::int16_t>(0, level))) {}

bool ToneApp::fill(std::span<std::int16_t> frame) {
  for (std::int16_t& sample : frame) {
    sample = static_cast<std::int16_t>(std::lround(level_ * std::sin(phase_)));
    phase_ += step_;
  }
  phase_ = std::fmod(phase_, 2 * std::numbers::pi);  // keep precision over hours
  return true;
}

bool SilenceApp::fill(std::span<std::int16_t> frame) {
  std::fill(frame.begin(), frame.end(), std::int16_t{0});
  return true;
}

}  // namespace voxgate::media
