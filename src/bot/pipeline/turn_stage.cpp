#include "bot/pipeline/turn_stage.hpp"

#include <utility>

#include "bot/pipeline/event_json.hpp"

namespace voxgate::bot {

TurnStage::TurnStage(std::unique_ptr<Agent> agent, TurnConfig config, ConversationState& state, BotEvents& events,
                     const Clock& clock)
    : agent_(std::move(agent)), config_(std::move(config)), state_(state), events_(events), clock_(clock) {}

void TurnStage::process(Frame frame, Direction direction) {
  if (const auto* audio = std::get_if<CallerAudio>(&frame)) {
    on_audio(audio->speech);
  } else if (std::holds_alternative<SpeechStarted>(frame)) {
    state_.inactivity().caller_active(clock_.now());
    last_interim_.clear();
  } else if (auto* interim = std::get_if<InterimTranscript>(&frame)) {
    last_interim_ = std::move(interim->text);
    events_.event("bot.transcript", json({{"text", last_interim_}, {"final", false}}));
  } else if (auto* final = std::get_if<FinalTranscript>(&frame)) {
    on_final(std::move(*final));
  } else if (const auto* dtmf = std::get_if<Dtmf>(&frame)) {
    on_dtmf(dtmf->digit);
  } else if (std::holds_alternative<Timer>(frame)) {
    on_timer();
  } else if (std::holds_alternative<Start>(frame)) {
    begin_reply();
    agent_->start(*this);
  } else if (std::holds_alternative<End>(frame)) {
    cancel_draft();
    push(End{});  // the says still queued are interrupted
    state_.move_to(BotState::Ended);
  } else {
    push(std::move(frame), direction);
  }
}

// --- the caller ---------------------------------------------------------------

void TurnStage::on_audio(const SpeechSoFar& speech) {
  if (interruptible() && barge_in_due(speech)) barge_in();
  maybe_draft(speech);
}

void TurnStage::on_final(FinalTranscript final) {
  if (state_.state() == BotState::Speaking) {  // too short to interrupt: a cough, a "hm"
    cancel_draft();
    return;
  }
  events_.event("bot.transcript", json({{"text", final.text}, {"final", true}}));
  const bool preemptive = draft_ && draft_->transcript == final.text;
  push(TurnTaken{"speech", config_.end_silence, final.stt, final.ended, preemptive});
  if (commit_draft(final.text)) return;
  take_turn(AgentTurn{final.text, std::nullopt});
}

void TurnStage::on_dtmf(char digit) {
  state_.inactivity().caller_active(clock_.now());
  if (state_.state() == BotState::Speaking) {
    if (!interruptible()) return;  // the last words before a hang-up or transfer
    barge_in();
  }
  close_utterance();
  push(TurnTaken{"dtmf", {}, {}, clock_.now(), false});
  take_turn(AgentTurn{{}, digit});
}

void TurnStage::close_utterance() {
  push(ResetTurn{}, Direction::Upstream);
  cancel_draft();
}

bool TurnStage::interruptible() const noexcept {
  return state_.state() == BotState::Speaking && pending_action_ == AgentAction::Continue;
}

bool TurnStage::barge_in_due(const SpeechSoFar& speech) const {
  if (config_.barge_in.count() > 0 && speech.duration >= config_.barge_in) return true;
  if (config_.barge_in_words <= 0) return false;
  // Words of the interim hypothesis: runs of non-spaces.
  int words = 0;
  bool in_word = false;
  for (const char c : last_interim_) {
    const bool space = c == ' ';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words >= config_.barge_in_words;
}

void TurnStage::barge_in() {
  push(Interrupt{InterruptCause::BargeIn});
  state_.move_to(BotState::Listening);
}

void TurnStage::take_turn(const AgentTurn& turn) {
  state_.move_to(BotState::Processing);
  begin_reply();
  agent_->respond(turn, *this);
}

void TurnStage::on_timer() {
  switch (state_.inactivity().poll(clock_.now())) {
    case InactivityWatch::Due::None: return;
    case InactivityWatch::Due::Reprompt:
      close_utterance();
      state_.move_to(BotState::Away);
      begin_reply();
      agent_->reprompt(*this);
      return;
    case InactivityWatch::Due::Hangup:
      close_utterance();
      state_.move_to(BotState::Ended);
      events_.event("bot.hangup", json({{"reason", "inactivity"}}));
      push(Hangup{});
      return;
  }
}

// --- the agent ----------------------------------------------------------------

void TurnStage::begin_reply() {
  pending_action_ = AgentAction::Continue;
  push(ReplyStarted{});
}

void TurnStage::on_text(std::string chunk) {
  if (state_.ended()) return;
  push(AgentText{std::move(chunk)});
}

void TurnStage::on_done(Result<AgentDirective> directive) {
  if (state_.ended()) return;
  if (!directive) {
    events_.event("bot.agent_error", json({{"message", directive.error().message}}));
    on_text(config_.fallback_prompt);
    push(AgentDone{pending_action_, {}});
    return;
  }
  push(ExpectPhrases{std::move(directive->expected)}, Direction::Upstream);
  pending_action_ = directive->action;
  push(AgentDone{directive->action, std::move(directive->transfer_target)});
}

// --- preemptive generation ------------------------------------------------------

void TurnStage::maybe_draft(const SpeechSoFar& speech) {
  if (draft_ || config_.preemptive_after.count() <= 0 || last_interim_.empty()) return;
  if (state_.state() != BotState::Listening && state_.state() != BotState::Away) return;
  if (!speech.in_speech || speech.trailing_silence < config_.preemptive_after) return;
  if (!agent_->can_draft()) return;
  draft_ = Draft{last_interim_, {}, std::nullopt, false};
  events_.event("bot.draft", json({{"text", last_interim_}, {"outcome", "asked"}}));
  agent_->draft(AgentTurn{last_interim_, std::nullopt}, draft_sink_);
}

bool TurnStage::commit_draft(const std::string& transcript) {
  if (!draft_) return false;
  if (draft_->transcript != transcript) {
    cancel_draft();
    return false;
  }
  events_.event("bot.draft", json({{"text", transcript}, {"outcome", "used"}}));
  agent_->commit_draft();
  state_.move_to(BotState::Processing);
  begin_reply();
  Draft draft = std::move(*draft_);
  draft_->committed = true;
  draft_->chunks.clear();
  draft_->done.reset();
  for (auto& chunk : draft.chunks) on_text(std::move(chunk));
  if (draft.done) {
    draft_.reset();
    on_done(std::move(*draft.done));
  }
  return true;
}

void TurnStage::cancel_draft() {
  if (!draft_) return;
  if (!draft_->committed) {
    events_.event("bot.draft", json({{"text", draft_->transcript}, {"outcome", "discarded"}}));
    agent_->cancel_draft();
  }
  draft_.reset();
}

void TurnStage::on_draft_text(std::string chunk) {
  if (!draft_) return;
  if (draft_->committed) {
    on_text(std::move(chunk));
  } else {
    draft_->chunks.push_back(std::move(chunk));
  }
}

void TurnStage::on_draft_done(Result<AgentDirective> directive) {
  if (!draft_) return;
  if (draft_->committed) {
    draft_.reset();
    on_done(std::move(directive));
  } else {
    draft_->done = std::move(directive);
  }
}

void DraftSink::on_text(std::string chunk) {
  turns_.on_draft_text(std::move(chunk));
}

void DraftSink::on_done(Result<AgentDirective> directive) {
  turns_.on_draft_done(std::move(directive));
}

}  // namespace voxgate::bot
