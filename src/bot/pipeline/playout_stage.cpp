#include "bot/pipeline/playout_stage.hpp"

#include <algorithm>
#include <utility>

#include "bot/pipeline/event_json.hpp"

namespace voxgate::bot {

void PlayoutStage::process(Frame frame, Direction /*direction*/) {
  if (auto* audio = std::get_if<SpeechAudio>(&frame)) {
    queue(std::move(*audio));
  } else if (auto* say = std::get_if<SayText>(&frame)) {
    queued_say(std::move(say->handle));
  } else if (std::holds_alternative<ReplyStarted>(frame)) {
    reply_done_ = false;
    pending_action_ = AgentAction::Continue;
    transfer_target_.clear();
  } else if (auto* done = std::get_if<AgentDone>(&frame)) {
    on_done(std::move(*done));
  } else if (auto* turn = std::get_if<TurnTaken>(&frame)) {
    turn_ = TurnTiming{std::move(*turn), std::nullopt, {}, 0};
  } else if (std::holds_alternative<AgentText>(frame)) {
    if (turn_ && !turn_->agent_first_text) turn_->agent_first_text = clock_.now();
  } else if (const auto* interrupt = std::get_if<Interrupt>(&frame)) {
    flush(interrupt->cause);
  } else if (const auto* cancel = std::get_if<CancelSay>(&frame)) {
    cancel_say(cancel->handle);
  } else if (std::holds_alternative<Hangup>(frame)) {
    output_.hangup();
  } else if (std::holds_alternative<End>(frame)) {
    end_says("interrupted");
  } else if (const auto* started = std::get_if<ChunkStarted>(&frame)) {
    on_chunk_started(started->chunk, started->queued_for);
  } else if (const auto* played = std::get_if<ChunkPlayed>(&frame)) {
    on_chunk_played(played->chunk);
  } else if (const auto* heard = std::get_if<Heard>(&frame)) {
    on_heard(heard->report, heard->sample_rate);
  }
}

bool PlayoutStage::queued(std::string_view handle) const {
  return std::any_of(says_.begin(), says_.end(), [&](const QueuedSay& say) { return say.handle == handle; });
}

void PlayoutStage::queue(SpeechAudio audio) {
  if (audio.reply && turn_ && turn_->first_chunk == 0) {
    turn_->tts = audio.tts;
    turn_->first_chunk = next_chunk_;
  }
  state_.move_to(BotState::Speaking);
  output_.event("bot.say", json({{"text", audio.text}}));
  last_sent_ = next_chunk_++;
  if (!audio.reply) say_last_chunk_ = last_sent_;
  output_.play(last_sent_, std::move(audio.text), std::move(audio.pcm), audio.starts_reply);
}

void PlayoutStage::queued_say(std::string handle) {
  if (say_last_chunk_ == 0) {
    // Nothing to say (only spaces, or the synthesiser failed): it is over.
    output_.event("bot.said", json({{"handle", handle}, {"outcome", "played"}}));
    return;
  }
  says_.push_back(QueuedSay{std::move(handle), say_last_chunk_});
  say_last_chunk_ = 0;
}

void PlayoutStage::on_done(AgentDone done) {
  pending_action_ = done.action;
  transfer_target_ = std::move(done.transfer_target);
  reply_done_ = true;
  if (playout_done()) finish_speaking();
}

void PlayoutStage::cancel_say(std::string_view handle) {
  const auto it =
      std::find_if(says_.begin(), says_.end(), [&](const QueuedSay& queued) { return queued.handle == handle; });
  if (it == says_.end()) return;
  output_.event("bot.said", json({{"handle", it->handle}, {"outcome", "cancelled"}}));
  says_.erase(it);
  flush(InterruptCause::Cancel);
  if (state_.state() == BotState::Speaking) finish_speaking();
}

void PlayoutStage::flush(InterruptCause cause) {
  clears_.push_back(cause);
  output_.clear();  // Heard tells what the caller heard
  last_played_ = last_sent_;
  end_says("interrupted");
}

void PlayoutStage::end_says(std::string_view outcome) {
  for (const auto& queued : says_) {
    output_.event("bot.said", json({{"handle", queued.handle}, {"outcome", outcome}}));
  }
  says_.clear();
}

void PlayoutStage::on_chunk_started(std::uint64_t chunk, std::chrono::nanoseconds queued_for) {
  if (!turn_ || chunk != turn_->first_chunk) return;
  const auto now = clock_.now();
  const TurnTaken& turn = turn_->turn;
  const auto agent =
      turn_->agent_first_text ? *turn_->agent_first_text - turn.ended - turn.stt : std::chrono::nanoseconds{0};
  const auto after_turn = now - turn.ended;
  boost::json::object fields{{"input", turn.input},
                             {"endpoint_ms", ms(turn.endpoint)},
                             {"stt_ms", ms(turn.stt)},
                             {"agent_ms", ms(agent)},
                             {"tts_ms", ms(turn_->tts)},
                             {"queue_ms", ms(queued_for)},
                             {"gateway_ms", ms(after_turn - agent)},
                             {"response_ms", ms(turn.endpoint + after_turn)},
                             {"preemptive", turn.preemptive}};
  output_.event("bot.turn", json(fields));
  turn_.reset();
}

void PlayoutStage::on_chunk_played(std::uint64_t chunk) {
  last_played_ = std::max(last_played_, chunk);
  while (!says_.empty() && says_.front().last_chunk <= last_played_) {
    output_.event("bot.said", json({{"handle", says_.front().handle}, {"outcome", "played"}}));
    says_.pop_front();
  }
  if (state_.state() == BotState::Speaking && playout_done()) finish_speaking();
}

void PlayoutStage::finish_speaking() {
  switch (pending_action_) {
    case AgentAction::Continue:
      if (state_.state() == BotState::Speaking || state_.state() == BotState::Processing ||
          state_.state() == BotState::Initial) {
        state_.move_to(BotState::Listening);
      }
      return;
    case AgentAction::Hangup:
      state_.move_to(BotState::Ended);
      output_.hangup();
      return;
    case AgentAction::Transfer:
      state_.move_to(BotState::Ended);
      output_.transfer(transfer_target_);
      return;
  }
}

void PlayoutStage::on_heard(const HeardReport& report, int sample_rate) {
  const double heard_ms = sample_rate > 0 ? static_cast<double>(report.samples_played) * 1000.0 / sample_rate : 0.0;
  InterruptCause cause = InterruptCause::BargeIn;
  if (!clears_.empty()) {
    cause = clears_.front();
    clears_.pop_front();
  }
  output_.event(cause == InterruptCause::Cancel ? "bot.cancelled" : "bot.barge_in",
                json({{"heard_ms", heard_ms},
                      {"samples_heard", report.samples_played},
                      {"text_heard", report.text_heard},
                      {"text_unheard", report.text_unheard}}));
}

}  // namespace voxgate::bot
