#pragma once
// Turns per-frame voice activity into the caller's turns: speech started
// (enough voiced audio in a row to be more than a click or a cough), and
// end of turn (silence for `end_silence` after speech: endpointing, the wait
// every voice bot pays before it may answer; 500 ms by default).
//
// Frames are the call's 20 ms frames; the VAD's verdict for each comes in
// order (bot/voice). Pure logic: no clock, frame counts are time.

#include <chrono>
#include <cstdint>

namespace voxgate::bot {

struct EndpointerConfig {
  std::chrono::milliseconds frame{20};
  std::chrono::milliseconds min_speech{100};   // voiced in a row before speech counts as started
  std::chrono::milliseconds end_silence{500};  // unvoiced after speech: the turn ended
};

enum class VoiceEvent : std::uint8_t { None, SpeechStarted, TurnEnded };

class Endpointer {
 public:
  explicit Endpointer(EndpointerConfig config = {}) : config_(config) {}

  VoiceEvent on_frame(bool voiced);
  // Forgets the current utterance (a barge-in consumed it, a new turn).
  void reset() noexcept;

  [[nodiscard]] bool in_speech() const noexcept { return started_; }
  // Of the utterance under way: from its first voiced frame to its last.
  [[nodiscard]] std::chrono::milliseconds speech_duration() const noexcept { return config_.frame * speech_frames_; }
  // Unvoiced since the utterance's last voiced frame.
  [[nodiscard]] std::chrono::milliseconds trailing_silence() const noexcept { return config_.frame * silence_frames_; }
  [[nodiscard]] const EndpointerConfig& config() const noexcept { return config_; }

 private:
  EndpointerConfig config_;
  bool started_ = false;
  std::int64_t onset_frames_ = 0;    // voiced in a row, before started_
  std::int64_t speech_frames_ = 0;   // first to last voiced frame of the utterance
  std::int64_t silence_frames_ = 0;  // unvoiced since the last voiced frame
};

}  // namespace voxgate::bot
