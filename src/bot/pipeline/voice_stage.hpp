#pragma once
// The caller's audio in: noise suppression and voice activity (the VAD
// provider), then the Endpointer's reading of it.
//
//   CallerAudio    denoised in place and annotated with the utterance so
//                  far, then pushed on; followed by SpeechStarted when
//                  speech began with it, SpeechStopped when the turn ended
//   ResetTurn, End the endpointer forgets the utterance under way
#include <memory>
#include <utility>

#include "bot/conversation/endpointer.hpp"
#include "bot/pipeline/stage.hpp"
#include "bot/voice/voice_activity_detector.hpp"

namespace voxgate::bot {

class VoiceStage final : public Stage {
 public:
  VoiceStage(std::unique_ptr<VoiceActivityDetector> vad, EndpointerConfig endpointing)
      : vad_(std::move(vad)), endpointer_(endpointing) {}

  void process(Frame frame, Direction direction) override;

 private:
  void on_audio(CallerAudio audio);

  std::unique_ptr<VoiceActivityDetector> vad_;
  Endpointer endpointer_;
};

}  // namespace voxgate::bot
