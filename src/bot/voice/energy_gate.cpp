#include "bot/voice/energy_gate.hpp"

#include <algorithm>

namespace voxgate::bot {
namespace {

double mean_square(std::span<const std::int16_t> frame) noexcept {
  if (frame.empty()) return 0.0;
  double sum = 0.0;
  for (const std::int16_t s : frame) sum += static_cast<double>(s) * s;
  return sum / static_cast<double>(frame.size());
}

}  // namespace

bool EnergyGate::admit(std::span<const std::int16_t> frame, bool vad_voiced) noexcept {
  const double level = mean_square(frame);
  if (!vad_voiced) {
    // A slow follower: a second of frames to move most of the way.
    noise_ = noise_ < 0 ? level : 0.95 * noise_ + 0.05 * level;
    return false;
  }
  speech_ = std::max(level, speech_ * 0.98);  // 50 frames (1 s) to fall to a third
  const double threshold = std::max({noise_floor() * kAboveNoise, speech_ * kBelowPeak, kAbsoluteFloor});
  return level >= threshold;
}

}  // namespace voxgate::bot
