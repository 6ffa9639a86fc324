#pragma once
// Cuts a voice activity detector's hangover. WebRTC's VAD keeps saying
// "voice" for about 200 ms after a word ends (its smoothing holds short
// pauses inside words); the endpointer then adds its own end-of-turn
// silence (500 ms) on top, and every answer comes 200 ms late. Speech that
// ended is quiet, whatever the VAD says: a frame counts as voice only when
// it is also well above the line's noise floor and within reach of the
// recent speech level.
//
// Levels are mean squares of the (noise-suppressed) frame. The noise floor
// follows the frames the VAD calls silence; the speech level is a peak that
// decays over about a second, so a loud vowel does not silence the softer
// syllables after it. Pure logic, one instance per audio stream.
#include <cstdint>
#include <span>

namespace voxgate::bot {

class EnergyGate {
 public:
  // Below the speech peak by this much (26 dB), a frame is the hangover:
  // word-final fricatives ("sales") stay above it, silence and hiss fall below.
  static constexpr double kBelowPeak = 0.0025;
  // Above the noise floor by this much (6 dB).
  static constexpr double kAboveNoise = 4.0;
  // Never voice below this (a mean absolute amplitude of about 20 of 32768).
  static constexpr double kAbsoluteFloor = 400.0;

  // Whether the frame the VAD judged (`vad_voiced`) is speech.
  bool admit(std::span<const std::int16_t> frame, bool vad_voiced) noexcept;

  [[nodiscard]] double noise_floor() const noexcept { return noise_ < 0 ? 0.0 : noise_; }
  [[nodiscard]] double speech_level() const noexcept { return speech_; }

 private:
  double noise_ = -1.0;  // none measured yet
  double speech_ = 0.0;
};

}  // namespace voxgate::bot
