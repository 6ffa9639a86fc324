#pragma once
// One call's bot conversation: the pipeline from the caller's audio to the
// bot's, as a chain of stages (stage.hpp), each owning one provider or one
// concern, with frames (frame.hpp) between them:
//
//   VoiceStage        noise suppression + VAD, Endpointer: speech started,
//                     the end of the turn (500 ms of silence)
//   RecognitionStage  pre-roll + STT: interim and final transcripts
//   TurnStage         the agent and whose turn it is: turns, barge-in
//                     (caller speech of `barge_in` length while the bot
//                     speaks flushes its audio), preemptive drafts, DTMF,
//                     inactivity (reprompt, Away, hang-up)
//   SpeechStage       split for speech + TTS: the first sentence plays while
//                     the next is made
//   PlayoutStage      queues the chunks (ConversationOutput), follows the
//                     playout reports: the end of the last chunk is the end
//                     of Speaking, and the directive (go on, hang up,
//                     transfer) waits for it; say-with-handle; bot.turn
//
// The session's state (ConversationState: BotStateMachine and the
// inactivity clock) is one variable, moved by TurnStage and PlayoutStage.
// The public calls below enter the chain as frames: the caller's audio,
// keys, timers, say and end at its head; the call's playout reports at its
// tail, travelling upstream.
//
// Pure logic over injected providers and clock, driven by one thread (the
// bot worker's, never a media loop): what it decides leaves through
// ConversationOutput. Events (JSON objects, docs/BOT.md):
//   bot.state       {state, from}
//   bot.transcript  {text, final}
//   bot.say         {text}                  a chunk of the agent's reply
//   bot.barge_in    {heard_ms, text_heard, text_unheard}
//   bot.cancelled   the same, for a queue cancel_say() flushed
//   bot.turn        {input, endpoint_ms, stt_ms, agent_ms, tts_ms, queue_ms,
//                    gateway_ms, response_ms, preemptive}   per-turn latency
//                                           breakdown; preemptive: a draft was used
//   bot.draft       {text, outcome}         preemptive generation: asked, used,
//                                           discarded (the final differed)
//   bot.agent_error {message}
//   bot.said        {handle, outcome}       a say() ended: played, interrupted
//                                           (barge-in, key) or cancelled
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "bot/agent/agent.hpp"
#include "bot/conversation/bot_state.hpp"
#include "bot/conversation/endpointer.hpp"
#include "bot/conversation/inactivity_watch.hpp"
#include "bot/conversation/playout_ledger.hpp"
#include "bot/pipeline/conversation_output.hpp"
#include "bot/pipeline/conversation_state.hpp"
#include "bot/pipeline/playout_stage.hpp"
#include "bot/pipeline/recognition_stage.hpp"
#include "bot/pipeline/speech_stage.hpp"
#include "bot/pipeline/stage_chain.hpp"
#include "bot/pipeline/turn_stage.hpp"
#include "bot/pipeline/voice_stage.hpp"
#include "bot/stt/speech_recognizer.hpp"
#include "bot/tts/speech_synthesizer.hpp"
#include "bot/voice/voice_activity_detector.hpp"

namespace voxgate::bot {

struct ConversationConfig {
  EndpointerConfig endpointing;  // end of turn after 500 ms of silence
  // Caller speech this long while the bot speaks interrupts it; 0: the bot
  // cannot be interrupted by speech (keys still do).
  std::chrono::milliseconds barge_in{200};
  // An interim transcript of this many words while the bot speaks
  // interrupts it too, whichever comes first; 0: words do not. With the
  // grammar recogniser only expected words count, so a cough or a side
  // conversation never interrupts however long it lasts (set barge_in to 0
  // for words alone).
  int barge_in_words = 0;
  InactivityConfig inactivity;
  std::size_t max_chunk_chars = 120;  // split_for_speech: the first audio leaves early
  std::chrono::milliseconds pre_roll{300};
  // Preemptive generation: after this much silence following speech with
  // an interim transcript, an agent that can draft (HTTP, WebSocket) is
  // asked for its reply at once; if the final transcript is the same, the
  // reply is already under way when the turn ends. 0: off. Must be less
  // than the endpointing's end_silence to gain anything.
  std::chrono::milliseconds preemptive_after{0};
  std::string fallback_prompt = "Sorry, something went wrong on our side.";
};

struct ConversationProviders {
  std::unique_ptr<VoiceActivityDetector> vad;
  std::unique_ptr<SpeechRecognizer> stt;  // at the VAD's rate
  SpeechSynthesizer* tts = nullptr;       // shared; at the call's rate
  std::unique_ptr<Agent> agent;
};

class Conversation final {
 public:
  // `output` and `clock` must outlive the conversation; every provider set.
  Conversation(ConversationConfig config, ConversationProviders providers, ConversationOutput& output,
               const Clock& clock);

  // The call was answered: the agent's greeting.
  void start();
  // The caller's next 20 ms (at the VAD's rate).
  void on_caller_frame(std::span<const std::int16_t> frame);
  void on_dtmf(char digit);
  // Playout reports: `chunk` began on the wire `queued_for` after play()
  // queued it; `chunk` finished.
  void on_chunk_started(std::uint64_t chunk, std::chrono::nanoseconds queued_for);
  void on_chunk_played(std::uint64_t chunk);
  // What the caller heard of the audio a clear() flushed.
  void on_heard(const HeardReport& report, int sample_rate);
  // The inactivity timer fired (at next_deadline()).
  void on_timer();
  // Says `text` outside the agent's turns (the API's say): queued after
  // what the bot is saying, interruptible like a reply; bot.said {handle,
  // outcome} reports how it ended. False when the call is over.
  bool say(std::string handle, std::string_view text);
  // Stops a say() now: the bot's queued audio is flushed from the point it
  // plays, which is this say and whatever was queued after it (the session
  // queue is one FIFO). False when `handle` is not speaking or queued.
  bool cancel_say(std::string_view handle);
  // The call is over.
  void end();

  [[nodiscard]] BotState state() const noexcept { return state_.state(); }
  [[nodiscard]] std::optional<Clock::TimePoint> next_deadline() const noexcept { return state_.next_deadline(); }

 private:
  ConversationState state_;
  VoiceStage voice_;
  RecognitionStage recognition_;
  TurnStage turn_;
  SpeechStage speech_;
  PlayoutStage playout_;
  StageChain chain_;
};

}  // namespace voxgate::bot
