#include "bot/pipeline/recognition_stage.hpp"

#include <utility>

#include "bot/pipeline/event_json.hpp"

namespace voxgate::bot {

RecognitionStage::RecognitionStage(std::unique_ptr<SpeechRecognizer> stt, std::size_t pre_roll_frames,
                                   const ConversationState& state, BotEvents& events, const Clock& clock)
    : stt_(std::move(stt)), state_(state), events_(events), clock_(clock), pre_roll_frames_(pre_roll_frames) {}

void RecognitionStage::process(Frame frame, Direction direction) {
  if (auto* audio = std::get_if<CallerAudio>(&frame)) {
    on_audio(std::move(*audio));
    return;
  }
  if (std::holds_alternative<SpeechStopped>(frame)) {
    finish_utterance();
    return;
  }
  if (auto* expect = std::get_if<ExpectPhrases>(&frame)) {
    if (auto expected = stt_->expect(expect->phrases); !expected) {
      events_.event("bot.error", json({{"message", expected.error().message}}));
    }
    return;
  }
  if (std::holds_alternative<SpeechStarted>(frame)) open_utterance();
  if (std::holds_alternative<ResetTurn>(frame) || std::holds_alternative<End>(frame)) cancel_utterance();
  push(std::move(frame), direction);
}

void RecognitionStage::on_audio(CallerAudio audio) {
  if (!utterance_) {
    // The frame that starts speech is the pre-roll's last: SpeechStarted follows it.
    pre_roll_.push_back(std::move(audio.pcm));
    while (pre_roll_.size() > pre_roll_frames_ + 1) pre_roll_.pop_front();
    return;
  }
  auto interim = stt_->feed(audio.pcm);
  if (interim && *interim && (*interim)->text != last_interim_) {
    last_interim_ = (*interim)->text;
    push(InterimTranscript{last_interim_});
  }
  push(std::move(audio));
}

void RecognitionStage::open_utterance() {
  // While Processing, the turn is taken: speech now is not the next one.
  if (state_.state() == BotState::Processing || !stt_->start_utterance()) return;
  utterance_ = true;
  last_interim_.clear();
  for (const auto& earlier : pre_roll_) (void)stt_->feed(earlier);
  pre_roll_.clear();
}

void RecognitionStage::finish_utterance() {
  if (!utterance_) return;
  const auto ended = clock_.now();
  auto transcript = stt_->finish_utterance();
  utterance_ = false;
  const auto stt = clock_.now() - ended;
  push(FinalTranscript{transcript ? transcript->text : std::string(), ended, stt});
}

void RecognitionStage::cancel_utterance() {
  if (utterance_) stt_->cancel_utterance();
  utterance_ = false;
}

}  // namespace voxgate::bot
