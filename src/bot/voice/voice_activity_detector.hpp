#pragma once
// Tells speech from silence and noise in a caller's audio, frame by frame, so
// the bot knows when an utterance starts and ends (barge-in, end of turn).

#include <cstdint>
#include <span>

#include "base/result.hpp"

namespace voxgate::bot {

class VoiceActivityDetector {
 public:
  VoiceActivityDetector() = default;
  VoiceActivityDetector(const VoiceActivityDetector&) = delete;
  VoiceActivityDetector& operator=(const VoiceActivityDetector&) = delete;
  virtual ~VoiceActivityDetector() = default;

  // The rate of the frames process() takes: 8000 or 16000 Hz.
  [[nodiscard]] virtual int sample_rate() const noexcept = 0;

  // Takes the next 20 ms of one call's audio (sample_rate() / 50 samples),
  // replaces it with its noise-suppressed version, and says whether it holds
  // speech. Fails on a frame of the wrong size. Stateful: one instance per
  // audio stream, fed consecutive frames from one thread at a time.
  virtual Result<bool> process(std::span<std::int16_t> frame) = 0;
};

}  // namespace voxgate::bot
