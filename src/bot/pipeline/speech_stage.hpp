#pragma once
// Text to speech (the synthesiser provider): each piece of text is split
// for speech (long prompts: the first sentence plays while the next is
// made) and synthesised chunk by chunk.
//
//   ReplyStarted   the next reply's first chunk starts it (pushed on)
//   AgentText      pushed on, then one SpeechAudio per chunk
//   SayText        one SpeechAudio per chunk, then the SayText itself, so
//                  what follows knows the say's audio is all queued
//
// A chunk the synthesiser fails is left out (bot.error).
#include <cstddef>
#include <string_view>

#include "base/clock.hpp"
#include "bot/pipeline/conversation_output.hpp"
#include "bot/pipeline/stage.hpp"
#include "bot/tts/speech_synthesizer.hpp"

namespace voxgate::bot {

class SpeechStage final : public Stage {
 public:
  // `tts` (shared by the calls), `events` and `clock` must outlive the stage.
  SpeechStage(SpeechSynthesizer& tts, std::size_t max_chunk_chars, BotEvents& events, const Clock& clock)
      : tts_(tts), max_chunk_chars_(max_chunk_chars), events_(events), clock_(clock) {}

  void process(Frame frame, Direction direction) override;

 private:
  void speak(std::string_view text, bool reply);

  SpeechSynthesizer& tts_;
  std::size_t max_chunk_chars_;
  BotEvents& events_;
  const Clock& clock_;
  bool reply_spoken_ = false;  // a chunk of the reply under way was queued
};

}  // namespace voxgate::bot
