#pragma once
// The bot's voice out (the call, through ConversationOutput): queues the
// speech chunks, follows the call's playout reports, and ends the bot's
// turn when its reply was played: back to Listening, or the directive's
// hang-up or transfer.
//
//   SpeechAudio       numbered and queued (play); the bot is Speaking
//   SayText           its chunks are queued: bot.said once the last is played
//   ReplyStarted,     the reply under way, and what to do once it was
//   AgentDone         played (the directive waits for its last chunk)
//   TurnTaken,        bot.turn, the turn's latency breakdown, when its
//   AgentText         first chunk starts on the wire
//   Interrupt         flush the queue (clear); the says in it are interrupted
//   CancelSay         flush from the say on; bot.said cancelled
//   Hangup            hang up now
//   End               the says still queued are interrupted
//   ChunkStarted,     (upstream, the call's reports) the chunk left; was
//   ChunkPlayed,      played; what the caller heard of a flush (bot.barge_in
//   Heard             or bot.cancelled)
//
// The chain's last stage: it consumes every frame.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "bot/pipeline/conversation_output.hpp"
#include "bot/pipeline/conversation_state.hpp"
#include "bot/pipeline/stage.hpp"

namespace voxgate::bot {

class PlayoutStage final : public Stage {
 public:
  // `state`, `output` and `clock` must outlive the stage.
  PlayoutStage(ConversationState& state, ConversationOutput& output, const Clock& clock)
      : state_(state), output_(output), clock_(clock) {}

  void process(Frame frame, Direction direction) override;

  // A say() of `handle` is queued and not yet played.
  [[nodiscard]] bool queued(std::string_view handle) const;

 private:
  // When each step of the turn under way happened (bot.turn).
  struct TurnTiming {
    TurnTaken turn;
    std::optional<Clock::TimePoint> agent_first_text;
    std::chrono::nanoseconds tts{0};
    std::uint64_t first_chunk = 0;
  };
  // say() requests not yet played, in queue order.
  struct QueuedSay {
    std::string handle;
    std::uint64_t last_chunk;
  };

  void queue(SpeechAudio audio);
  void queued_say(std::string handle);
  void on_done(AgentDone done);
  void cancel_say(std::string_view handle);
  void on_chunk_started(std::uint64_t chunk, std::chrono::nanoseconds queued_for);
  void on_chunk_played(std::uint64_t chunk);
  void on_heard(const HeardReport& report, int sample_rate);
  void flush(InterruptCause cause);
  // Every say() still queued ends with `outcome`.
  void end_says(std::string_view outcome);
  void finish_speaking();
  [[nodiscard]] bool playout_done() const noexcept { return reply_done_ && last_played_ == last_sent_; }

  ConversationState& state_;
  ConversationOutput& output_;
  const Clock& clock_;

  bool reply_done_ = true;  // AgentDone came for the reply under way
  AgentAction pending_action_ = AgentAction::Continue;
  std::string transfer_target_;
  std::uint64_t next_chunk_ = 1;
  std::uint64_t last_sent_ = 0;
  std::uint64_t last_played_ = 0;
  std::uint64_t say_last_chunk_ = 0;  // of the say being queued; 0: none yet
  std::deque<QueuedSay> says_;
  std::deque<InterruptCause> clears_;  // flushes whose Heard is still to come
  std::optional<TurnTiming> turn_;
};

}  // namespace voxgate::bot
