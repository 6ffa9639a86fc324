#include "bot/conversation/endpointer.hpp"

namespace voxgate::bot {

VoiceEvent Endpointer::on_frame(bool voiced) {
  if (!started_) {
    onset_frames_ = voiced ? onset_frames_ + 1 : 0;
    if (config_.frame * onset_frames_ < config_.min_speech) return VoiceEvent::None;
    started_ = true;
    speech_frames_ = onset_frames_;
    silence_frames_ = 0;
    return VoiceEvent::SpeechStarted;
  }
  if (voiced) {
    // A pause inside the turn counts as part of it.
    speech_frames_ += silence_frames_ + 1;
    silence_frames_ = 0;
    return VoiceEvent::None;
  }
  ++silence_frames_;
  if (config_.frame * silence_frames_ < config_.end_silence) return VoiceEvent::None;
  reset();
  return VoiceEvent::TurnEnded;
}

void Endpointer::reset() noexcept {
  started_ = false;
  onset_frames_ = 0;
  speech_frames_ = 0;
  silence_frames_ = 0;
}

}  // namespace voxgate::bot
