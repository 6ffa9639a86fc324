#include "bot/pipeline/speech_stage.hpp"

#include <string>
#include <utility>

#include "bot/pipeline/event_json.hpp"

namespace voxgate::bot {

void SpeechStage::process(Frame frame, Direction direction) {
  if (auto* text = std::get_if<AgentText>(&frame)) {
    std::string reply = text->text;
    push(std::move(frame), direction);  // its arrival is the agent's latency (bot.turn)
    speak(reply, true);
    return;
  }
  if (const auto* say = std::get_if<SayText>(&frame)) {
    speak(say->text, false);
    push(std::move(frame), direction);
    return;
  }
  if (std::holds_alternative<ReplyStarted>(frame)) reply_spoken_ = false;
  push(std::move(frame), direction);
}

void SpeechStage::speak(std::string_view text, bool reply) {
  bool first = true;
  for (const auto piece : split_for_speech(text, max_chunk_chars_)) {
    const auto began = clock_.now();
    auto pcm = tts_.synthesize(piece);
    if (!pcm) {
      events_.event("bot.error", json({{"message", pcm.error().message}}));
      continue;
    }
    const auto tts = clock_.now() - began;
    // A say() is a reply of its own to the playout ledger (what a barge-in
    // heard of it), and leaves the agent's reply under way as it was.
    const bool starts = reply ? !reply_spoken_ : first;
    push(SpeechAudio{std::string(piece), std::move(*pcm), reply, starts, tts});
    if (reply) reply_spoken_ = true;
    first = false;
  }
}

}  // namespace voxgate::bot
