#include "bot/pipeline/conversation.hpp"

#include <utility>

namespace voxgate::bot {

Conversation::Conversation(ConversationConfig config, ConversationProviders providers, ConversationOutput& output,
                           const Clock& clock)
    : state_(config.inactivity, output, clock),
      voice_(std::move(providers.vad), config.endpointing),
      recognition_(std::move(providers.stt), static_cast<std::size_t>(config.pre_roll / config.endpointing.frame),
                   state_, output, clock),
      turn_(std::move(providers.agent),
            TurnConfig{config.endpointing.end_silence, config.barge_in, config.barge_in_words, config.preemptive_after,
                       std::move(config.fallback_prompt)},
            state_, output, clock),
      speech_(*providers.tts, config.max_chunk_chars, output, clock),
      playout_(state_, output, clock),
      chain_({&voice_, &recognition_, &turn_, &speech_, &playout_}) {}

void Conversation::start() {
  chain_.push_first(Start{});
}

void Conversation::on_caller_frame(std::span<const std::int16_t> frame) {
  if (state_.ended()) return;
  chain_.push_first(CallerAudio{{frame.begin(), frame.end()}, {}});
}

void Conversation::on_dtmf(char digit) {
  if (state_.ended()) return;
  chain_.push_first(Dtmf{digit});
}

void Conversation::on_chunk_started(std::uint64_t chunk, std::chrono::nanoseconds queued_for) {
  chain_.push_last(ChunkStarted{chunk, queued_for});
}

void Conversation::on_chunk_played(std::uint64_t chunk) {
  chain_.push_last(ChunkPlayed{chunk});
}

void Conversation::on_heard(const HeardReport& report, int sample_rate) {
  chain_.push_last(Heard{report, sample_rate});
}

void Conversation::on_timer() {
  if (state_.ended()) return;
  chain_.push_first(Timer{});
}

bool Conversation::say(std::string handle, std::string_view text) {
  if (state_.ended()) return false;
  chain_.push_first(SayText{std::move(handle), std::string(text)});
  return true;
}

bool Conversation::cancel_say(std::string_view handle) {
  // A frame has no answer: whether the say is still queued is asked of
  // PlayoutStage, which owns the says, before the cancel goes down the chain.
  if (state_.ended() || !playout_.queued(handle)) return false;
  chain_.push_first(CancelSay{std::string(handle)});
  return true;
}

void Conversation::end() {
  chain_.push_first(End{});
}

}  // namespace voxgate::bot
