#include "bot/pipeline/voice_stage.hpp"

#include <utility>

namespace voxgate::bot {

void VoiceStage::process(Frame frame, Direction direction) {
  if (auto* audio = std::get_if<CallerAudio>(&frame)) {
    on_audio(std::move(*audio));
    return;
  }
  if (std::holds_alternative<ResetTurn>(frame) || std::holds_alternative<End>(frame)) endpointer_.reset();
  push(std::move(frame), direction);
}

void VoiceStage::on_audio(CallerAudio audio) {
  auto voiced = vad_->process(audio.pcm);  // a frame it cannot judge is silence
  const VoiceEvent voice = endpointer_.on_frame(voiced && *voiced);
  audio.speech = SpeechSoFar{endpointer_.in_speech(), endpointer_.speech_duration(), endpointer_.trailing_silence()};
  push(std::move(audio));
  if (voice == VoiceEvent::SpeechStarted) push(SpeechStarted{});
  if (voice == VoiceEvent::TurnEnded) push(SpeechStopped{});
}

}  // namespace voxgate::bot
