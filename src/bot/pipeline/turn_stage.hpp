#pragma once
// Whose turn it is (the agent provider, the session's state and the
// caller's inactivity): the caller's input becomes the agent's turn, the
// agent's answer goes on as the bot's reply.
//
//   CallerAudio        of an utterance: while the bot speaks, speech of
//                      `barge_in` length or `barge_in_words` words
//                      interrupts it; after `preemptive_after` of silence
//                      the agent is asked for a draft (consumed)
//   FinalTranscript    a turn for the agent (ignored while the bot speaks:
//                      too short to have interrupted it, a cough)
//   Dtmf               a turn of its own; interrupts the bot as speech does
//   Timer              InactivityWatch: reprompt (Away), then hang up
//   Start              the agent's greeting
//   End                a draft under way is cancelled, the session Ended
//
// Pushes TurnTaken, ReplyStarted, then the agent's AgentText and AgentDone
// as they come (an agent may answer later, from the bot thread); Interrupt
// and Hangup; ResetTurn and ExpectPhrases upstream. Events: bot.transcript,
// bot.draft, bot.agent_error, bot.hangup.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "bot/agent/agent.hpp"
#include "bot/pipeline/conversation_state.hpp"
#include "bot/pipeline/stage.hpp"

namespace voxgate::bot {

struct TurnConfig {
  std::chrono::milliseconds end_silence{500};  // the endpointer's: a speech turn's endpoint wait
  std::chrono::milliseconds barge_in{200};     // ConversationConfig says what these mean
  int barge_in_words = 0;
  std::chrono::milliseconds preemptive_after{0};
  std::string fallback_prompt;
};

class TurnStage;

// Where a draft's reply goes (preemptive generation): held until the turn
// ends, then played or dropped.
class DraftSink final : public AgentReplySink {
 public:
  explicit DraftSink(TurnStage& turns) : turns_(turns) {}
  void on_text(std::string chunk) override;
  void on_done(Result<AgentDirective> directive) override;

 private:
  TurnStage& turns_;
};

class TurnStage final : public Stage, private AgentReplySink {
 public:
  // `state`, `events` and `clock` must outlive the stage.
  TurnStage(std::unique_ptr<Agent> agent, TurnConfig config, ConversationState& state, BotEvents& events,
            const Clock& clock);

  void process(Frame frame, Direction direction) override;

 private:
  friend class DraftSink;

  // A reply asked for before the turn ended (preemptive generation).
  struct Draft {
    std::string transcript;
    std::vector<std::string> chunks;  // held until the turn ends
    std::optional<Result<AgentDirective>> done;
    bool committed = false;  // the turn ended with this transcript: chunks go on to on_text
  };

  void on_text(std::string chunk) override;
  void on_done(Result<AgentDirective> directive) override;

  void on_audio(const SpeechSoFar& speech);
  void on_final(FinalTranscript final);
  void on_dtmf(char digit);
  void on_timer();
  void begin_reply();
  void take_turn(const AgentTurn& turn);
  void barge_in();
  [[nodiscard]] bool barge_in_due(const SpeechSoFar& speech) const;
  [[nodiscard]] bool interruptible() const noexcept;
  void close_utterance();
  void maybe_draft(const SpeechSoFar& speech);
  // The turn ended with `transcript`: true when a draft of it was committed.
  bool commit_draft(const std::string& transcript);
  void cancel_draft();
  void on_draft_text(std::string chunk);
  void on_draft_done(Result<AgentDirective> directive);

  std::unique_ptr<Agent> agent_;
  TurnConfig config_;
  ConversationState& state_;
  BotEvents& events_;
  const Clock& clock_;

  std::string last_interim_;
  // The reply under way ends the call (hang-up, transfer): its last words
  // cannot be interrupted. PlayoutStage acts on it once they were played.
  AgentAction pending_action_ = AgentAction::Continue;
  std::optional<Draft> draft_;
  DraftSink draft_sink_{*this};
};

}  // namespace voxgate::bot
