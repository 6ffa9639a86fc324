#pragma once
// Speech to text (the recogniser provider): an utterance from speech start
// to the end of the turn, with the frames just before it (a word's onset
// is quiet, so it starts before the VAD is sure).
//
//   CallerAudio      outside an utterance: kept as pre-roll, consumed;
//                    inside: fed, InterimTranscript when the hypothesis
//                    changed, then the frame is pushed on
//   SpeechStarted    opens an utterance with the pre-roll, unless the bot
//                    is Processing a turn; pushed on either way
//   SpeechStopped    ends the utterance: FinalTranscript (consumed)
//   ResetTurn, End   the utterance under way is cancelled
//   ExpectPhrases    (upstream) the recogniser's grammar for the next turn
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "bot/pipeline/conversation_state.hpp"
#include "bot/pipeline/stage.hpp"
#include "bot/stt/speech_recognizer.hpp"

namespace voxgate::bot {

class RecognitionStage final : public Stage {
 public:
  // `state`, `events` and `clock` must outlive the stage.
  RecognitionStage(std::unique_ptr<SpeechRecognizer> stt, std::size_t pre_roll_frames, const ConversationState& state,
                   BotEvents& events, const Clock& clock);

  void process(Frame frame, Direction direction) override;

 private:
  void on_audio(CallerAudio audio);
  void open_utterance();
  void finish_utterance();
  void cancel_utterance();

  std::unique_ptr<SpeechRecognizer> stt_;
  const ConversationState& state_;
  BotEvents& events_;
  const Clock& clock_;

  std::deque<std::vector<std::int16_t>> pre_roll_;  // frames before the utterance
  std::size_t pre_roll_frames_;
  bool utterance_ = false;  // the recogniser has an utterance open
  std::string last_interim_;
};

}  // namespace voxgate::bot
