#pragma once
// One call's bot conversation: the pipeline from the caller's audio to the
// bot's (noise suppression and VAD -> endpointing -> STT -> agent -> TTS ->
// playout) and the BotState machine that says what each input means now.
//
//   caller frame  VAD; speech start opens an utterance for the recogniser
//                 (with the frames just before it: a word's onset is quiet);
//                 while the bot speaks, speech of `barge_in` length flushes
//                 its audio (barge-in); the end of turn (Endpointer) takes
//                 the final transcript to the agent
//   DTMF          a turn of its own; interrupts the bot as speech does
//   agent reply   each text chunk is split for speech, synthesised and
//                 queued at once, so the first sentence plays while the next
//                 is made; the directive (go on, hang up, transfer) waits
//                 for the reply's last chunk to be played
//   playout       the call reports each chunk's start and end on the wire;
//                 the end of the last one is the end of Speaking
//   inactivity    InactivityWatch: reprompt (Away), then hang up
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
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "bot/agent/agent.hpp"
#include "bot/conversation/bot_state.hpp"
#include "bot/conversation/endpointer.hpp"
#include "bot/conversation/inactivity_watch.hpp"
#include "bot/conversation/playout_ledger.hpp"
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
  // an interim transcript, an agent that can draft (the HTTP agent) is
  // asked for its reply at once; if the final transcript is the same, the
  // reply is already under way when the turn ends. 0: off. Must be less
  // than the endpointing's end_silence to gain anything.
  std::chrono::milliseconds preemptive_after{0};
  std::string fallback_prompt = "Sorry, something went wrong on our side.";
};

// Where the conversation's decisions go (BotCall posts them to the call's loop).
class ConversationOutput {
 public:
  ConversationOutput() = default;
  ConversationOutput(const ConversationOutput&) = delete;
  ConversationOutput& operator=(const ConversationOutput&) = delete;
  virtual ~ConversationOutput() = default;

  // Queue `pcm`, which says `text`, after what is queued; `chunk` (1, 2, ...)
  // names it in the playout reports. `starts_reply`: the first chunk of a
  // reply (a barge-in reports what was heard of the reply it cut).
  virtual void play(std::uint64_t chunk, std::string text, std::vector<std::int16_t> pcm, bool starts_reply) = 0;
  // Drop what is queued and not played (barge-in); answered with on_heard().
  virtual void clear() = 0;
  virtual void hangup() = 0;
  virtual void transfer(std::string target) = 0;
  virtual void event(std::string_view type, std::string fields_json) = 0;
};

struct ConversationProviders {
  std::unique_ptr<VoiceActivityDetector> vad;
  std::unique_ptr<SpeechRecognizer> stt;  // at the VAD's rate
  SpeechSynthesizer* tts = nullptr;       // shared; at the call's rate
  std::unique_ptr<Agent> agent;
};

class Conversation;

// Where a draft's reply goes (preemptive generation): held until the turn
// ends, then played or dropped.
class DraftSink final : public AgentReplySink {
 public:
  explicit DraftSink(Conversation& conversation) : conversation_(conversation) {}
  void on_text(std::string chunk) override;
  void on_done(Result<AgentDirective> directive) override;

 private:
  Conversation& conversation_;
};

class Conversation final : private AgentReplySink {
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

  [[nodiscard]] BotState state() const noexcept { return machine_.state(); }
  [[nodiscard]] std::optional<Clock::TimePoint> next_deadline() const noexcept;

 private:
  friend class DraftSink;

  // When each step of the turn under way happened (bot.turn).
  struct TurnTiming {
    std::string input;  // "speech" or "dtmf"
    std::chrono::nanoseconds endpoint{0};
    std::chrono::nanoseconds stt{0};
    Clock::TimePoint ended;  // the turn ended (endpoint reached, key pressed)
    std::optional<Clock::TimePoint> agent_first_text;
    std::chrono::nanoseconds tts{0};
    std::uint64_t first_chunk = 0;
    bool preemptive = false;
  };
  // A reply asked for before the turn ended (preemptive generation).
  struct Draft {
    std::string transcript;
    std::vector<std::string> chunks;  // held until the turn ends
    std::optional<Result<AgentDirective>> done;
    bool committed = false;  // the turn ended with this transcript: chunks go on to on_text
  };

  void on_text(std::string chunk) override;
  void on_done(Result<AgentDirective> directive) override;

  void move_to(BotState to);
  void begin_reply();
  void finish_speaking();
  void barge_in();
  void take_turn(const AgentTurn& turn);
  // Synthesises `text` chunk by chunk and queues it; the last chunk's
  // number, 0 when nothing was queued.
  enum class Speech : std::uint8_t { Reply, Say };
  std::uint64_t speak(std::string_view text, Speech speech);
  [[nodiscard]] bool barge_in_due() const;
  // Why the bot's queue was flushed: on_heard() names its event after it.
  enum class ClearCause : std::uint8_t { BargeIn, Cancel };
  void flush(ClearCause cause);
  // Every say() still queued ends with `outcome`.
  void end_says(std::string_view outcome);
  void close_utterance();
  void maybe_draft();
  // The turn ended with `transcript`: true when a draft of it was committed.
  bool commit_draft(const std::string& transcript);
  void cancel_draft();
  void on_draft_text(std::string chunk);
  void on_draft_done(Result<AgentDirective> directive);
  [[nodiscard]] bool playout_done() const noexcept { return reply_done_ && last_played_ == last_sent_; }
  [[nodiscard]] bool interruptible() const noexcept;

  ConversationConfig config_;
  ConversationProviders providers_;
  ConversationOutput& output_;
  const Clock& clock_;
  BotStateMachine machine_;
  Endpointer endpointer_;
  InactivityWatch inactivity_;

  std::deque<std::vector<std::int16_t>> pre_roll_;  // frames before the utterance
  std::size_t pre_roll_frames_;
  bool utterance_ = false;  // the recogniser has an utterance open
  std::string last_interim_;

  bool reply_done_ = true;     // the agent's on_done came for the reply under way
  bool reply_spoken_ = false;  // a chunk of the reply under way was played
  std::uint64_t next_chunk_ = 1;
  std::uint64_t last_sent_ = 0;
  std::uint64_t last_played_ = 0;
  AgentAction pending_action_ = AgentAction::Continue;
  std::string transfer_target_;
  std::optional<TurnTiming> turn_;

  // say() requests not yet played, in queue order.
  struct QueuedSay {
    std::string handle;
    std::uint64_t last_chunk;
  };
  std::deque<QueuedSay> says_;
  std::deque<ClearCause> clears_;  // flushes whose on_heard() is still to come

  std::optional<Draft> draft_;
  DraftSink draft_sink_{*this};
};

}  // namespace voxgate::bot
