#include "bot/pipeline/conversation.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

namespace voxgate::bot {
namespace {

double ms(std::chrono::nanoseconds d) {
  return static_cast<double>(d.count()) / 1e6;
}

std::string json(const boost::json::object& fields) {
  return boost::json::serialize(fields);
}

}  // namespace

Conversation::Conversation(ConversationConfig config, ConversationProviders providers, ConversationOutput& output,
                           const Clock& clock)
    : config_(std::move(config)),
      providers_(std::move(providers)),
      output_(output),
      clock_(clock),
      endpointer_(config_.endpointing),
      inactivity_(config_.inactivity),
      pre_roll_frames_(static_cast<std::size_t>(config_.pre_roll / config_.endpointing.frame)) {}

void Conversation::start() {
  begin_reply();
  providers_.agent->start(*this);
}

void Conversation::move_to(BotState to) {
  const BotState from = machine_.state();
  if (from == to) return;
  if (auto moved = machine_.move_to(to); !moved) {
    // A bug in this class: the table is the spec.
    output_.event("bot.error", json({{"message", moved.error().message}}));
    return;
  }
  const auto now = clock_.now();
  if (to == BotState::Listening || to == BotState::Away) {
    inactivity_.resume(now);
  } else {
    inactivity_.pause(now);
  }
  output_.event("bot.state", json({{"state", to_string(to)}, {"from", to_string(from)}}));
}

bool Conversation::interruptible() const noexcept {
  return machine_.state() == BotState::Speaking && pending_action_ == AgentAction::Continue;
}

// --- the caller ---------------------------------------------------------------

void Conversation::on_caller_frame(std::span<const std::int16_t> frame) {
  if (machine_.state() == BotState::Ended) return;
  std::vector<std::int16_t> audio(frame.begin(), frame.end());
  auto voiced = providers_.vad->process(audio);
  const VoiceEvent voice = endpointer_.on_frame(voiced && *voiced);

  if (!utterance_) {
    pre_roll_.push_back(audio);
    while (pre_roll_.size() > pre_roll_frames_ + 1) pre_roll_.pop_front();
  }
  if (voice == VoiceEvent::SpeechStarted) {
    inactivity_.caller_active(clock_.now());
    if (machine_.state() != BotState::Processing && providers_.stt->start_utterance()) {
      utterance_ = true;
      last_interim_.clear();
      for (const auto& earlier : pre_roll_) (void)providers_.stt->feed(earlier);
      pre_roll_.clear();
      return;
    }
  }
  if (utterance_) {
    auto interim = providers_.stt->feed(audio);
    if (interim && *interim && (*interim)->text != last_interim_) {
      last_interim_ = (*interim)->text;
      output_.event("bot.transcript", json({{"text", last_interim_}, {"final", false}}));
    }
    if (interruptible() && barge_in_due()) barge_in();
    maybe_draft();
  }
  if (voice != VoiceEvent::TurnEnded || !utterance_) return;

  const auto ended = clock_.now();
  auto transcript = providers_.stt->finish_utterance();
  utterance_ = false;
  const auto stt = clock_.now() - ended;
  if (machine_.state() == BotState::Speaking) {  // too short to interrupt: a cough, a "hm"
    cancel_draft();
    return;
  }
  const std::string text = transcript ? transcript->text : std::string();
  output_.event("bot.transcript", json({{"text", text}, {"final", true}}));
  turn_ = TurnTiming{"speech", config_.endpointing.end_silence, stt, ended, std::nullopt, {}, 0, false};
  if (commit_draft(text)) return;
  take_turn(AgentTurn{text, std::nullopt});
}

void Conversation::on_dtmf(char digit) {
  if (machine_.state() == BotState::Ended) return;
  inactivity_.caller_active(clock_.now());
  if (machine_.state() == BotState::Speaking) {
    if (!interruptible()) return;  // the last words before a hang-up or transfer
    barge_in();
  }
  close_utterance();
  turn_ = TurnTiming{"dtmf", {}, {}, clock_.now(), std::nullopt, {}, 0, false};
  take_turn(AgentTurn{{}, digit});
}

void Conversation::close_utterance() {
  if (utterance_) providers_.stt->cancel_utterance();
  utterance_ = false;
  endpointer_.reset();
  cancel_draft();
}

// --- preemptive generation ------------------------------------------------------

void Conversation::maybe_draft() {
  if (draft_ || config_.preemptive_after.count() <= 0 || last_interim_.empty()) return;
  if (machine_.state() != BotState::Listening && machine_.state() != BotState::Away) return;
  if (!endpointer_.in_speech() || endpointer_.trailing_silence() < config_.preemptive_after) return;
  if (!providers_.agent->can_draft()) return;
  draft_ = Draft{last_interim_, {}, std::nullopt, false};
  output_.event("bot.draft", json({{"text", last_interim_}, {"outcome", "asked"}}));
  providers_.agent->draft(AgentTurn{last_interim_, std::nullopt}, draft_sink_);
}

bool Conversation::commit_draft(const std::string& transcript) {
  if (!draft_) return false;
  if (draft_->transcript != transcript) {
    cancel_draft();
    return false;
  }
  output_.event("bot.draft", json({{"text", transcript}, {"outcome", "used"}}));
  providers_.agent->commit_draft();
  move_to(BotState::Processing);
  begin_reply();
  if (turn_) turn_->preemptive = true;
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

void Conversation::cancel_draft() {
  if (!draft_) return;
  if (!draft_->committed) {
    output_.event("bot.draft", json({{"text", draft_->transcript}, {"outcome", "discarded"}}));
    providers_.agent->cancel_draft();
  }
  draft_.reset();
}

void Conversation::on_draft_text(std::string chunk) {
  if (!draft_) return;
  if (draft_->committed) {
    on_text(std::move(chunk));
  } else {
    draft_->chunks.push_back(std::move(chunk));
  }
}

void Conversation::on_draft_done(Result<AgentDirective> directive) {
  if (!draft_) return;
  if (draft_->committed) {
    draft_.reset();
    on_done(std::move(directive));
  } else {
    draft_->done = std::move(directive);
  }
}

void DraftSink::on_text(std::string chunk) {
  conversation_.on_draft_text(std::move(chunk));
}

void DraftSink::on_done(Result<AgentDirective> directive) {
  conversation_.on_draft_done(std::move(directive));
}

bool Conversation::barge_in_due() const {
  if (config_.barge_in.count() > 0 && endpointer_.speech_duration() >= config_.barge_in) return true;
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

void Conversation::barge_in() {
  flush(ClearCause::BargeIn);
  move_to(BotState::Listening);
}

void Conversation::flush(ClearCause cause) {
  clears_.push_back(cause);
  output_.clear();  // on_heard() tells what the caller heard
  last_played_ = last_sent_;
  end_says("interrupted");
}

void Conversation::take_turn(const AgentTurn& turn) {
  move_to(BotState::Processing);
  begin_reply();
  providers_.agent->respond(turn, *this);
}

// --- the agent ----------------------------------------------------------------

void Conversation::begin_reply() {
  reply_done_ = false;
  reply_spoken_ = false;
  pending_action_ = AgentAction::Continue;
  transfer_target_.clear();
}

void Conversation::on_text(std::string chunk) {
  if (machine_.state() == BotState::Ended) return;
  if (turn_ && !turn_->agent_first_text) turn_->agent_first_text = clock_.now();
  speak(chunk, Speech::Reply);
}

std::uint64_t Conversation::speak(std::string_view text, Speech speech) {
  std::uint64_t last = 0;
  for (const auto piece : split_for_speech(text, config_.max_chunk_chars)) {
    const auto began = clock_.now();
    auto pcm = providers_.tts->synthesize(piece);
    if (!pcm) {
      output_.event("bot.error", json({{"message", pcm.error().message}}));
      continue;
    }
    const bool reply = speech == Speech::Reply;
    if (reply && turn_ && turn_->first_chunk == 0) {
      turn_->tts = clock_.now() - began;
      turn_->first_chunk = next_chunk_;
    }
    move_to(BotState::Speaking);
    output_.event("bot.say", json({{"text", piece}}));
    // A say() is a reply of its own to the playout ledger (what a barge-in
    // heard of it), and leaves the agent's reply under way as it was.
    const bool starts = reply ? !reply_spoken_ : last == 0;
    last_sent_ = next_chunk_++;
    output_.play(last_sent_, std::string(piece), std::move(*pcm), starts);
    if (reply) reply_spoken_ = true;
    last = last_sent_;
  }
  return last;
}

// --- say with a handle --------------------------------------------------------

bool Conversation::say(std::string handle, std::string_view text) {
  if (machine_.state() == BotState::Ended) return false;
  const std::uint64_t last = speak(text, Speech::Say);
  if (last == 0) {
    // Nothing to say (only spaces, or the synthesiser failed): it is over.
    output_.event("bot.said", json({{"handle", handle}, {"outcome", "played"}}));
    return true;
  }
  says_.push_back(QueuedSay{std::move(handle), last});
  return true;
}

bool Conversation::cancel_say(std::string_view handle) {
  const auto it =
      std::find_if(says_.begin(), says_.end(), [&](const QueuedSay& queued) { return queued.handle == handle; });
  if (it == says_.end() || machine_.state() == BotState::Ended) return false;
  output_.event("bot.said", json({{"handle", it->handle}, {"outcome", "cancelled"}}));
  says_.erase(it);
  flush(ClearCause::Cancel);
  if (machine_.state() == BotState::Speaking) finish_speaking();
  return true;
}

void Conversation::end_says(std::string_view outcome) {
  for (const auto& queued : says_) {
    output_.event("bot.said", json({{"handle", queued.handle}, {"outcome", outcome}}));
  }
  says_.clear();
}

void Conversation::on_done(Result<AgentDirective> directive) {
  if (machine_.state() == BotState::Ended) return;
  if (!directive) {
    output_.event("bot.agent_error", json({{"message", directive.error().message}}));
    on_text(config_.fallback_prompt);
  } else {
    if (auto expected = providers_.stt->expect(directive->expected); !expected) {
      output_.event("bot.error", json({{"message", expected.error().message}}));
    }
    pending_action_ = directive->action;
    transfer_target_ = std::move(directive->transfer_target);
  }
  reply_done_ = true;
  if (playout_done()) finish_speaking();
}

// --- playout ------------------------------------------------------------------

void Conversation::on_chunk_started(std::uint64_t chunk, std::chrono::nanoseconds queued_for) {
  if (!turn_ || chunk != turn_->first_chunk) return;
  const auto now = clock_.now();
  const auto agent =
      turn_->agent_first_text ? *turn_->agent_first_text - turn_->ended - turn_->stt : std::chrono::nanoseconds{0};
  const auto after_turn = now - turn_->ended;
  boost::json::object fields{{"input", turn_->input},
                             {"endpoint_ms", ms(turn_->endpoint)},
                             {"stt_ms", ms(turn_->stt)},
                             {"agent_ms", ms(agent)},
                             {"tts_ms", ms(turn_->tts)},
                             {"queue_ms", ms(queued_for)},
                             {"gateway_ms", ms(after_turn - agent)},
                             {"response_ms", ms(turn_->endpoint + after_turn)},
                             {"preemptive", turn_->preemptive}};
  output_.event("bot.turn", json(fields));
  turn_.reset();
}

void Conversation::on_chunk_played(std::uint64_t chunk) {
  last_played_ = std::max(last_played_, chunk);
  while (!says_.empty() && says_.front().last_chunk <= last_played_) {
    output_.event("bot.said", json({{"handle", says_.front().handle}, {"outcome", "played"}}));
    says_.pop_front();
  }
  if (machine_.state() == BotState::Speaking && playout_done()) finish_speaking();
}

void Conversation::finish_speaking() {
  switch (pending_action_) {
    case AgentAction::Continue:
      if (machine_.state() == BotState::Speaking || machine_.state() == BotState::Processing ||
          machine_.state() == BotState::Initial) {
        move_to(BotState::Listening);
      }
      return;
    case AgentAction::Hangup:
      move_to(BotState::Ended);
      output_.hangup();
      return;
    case AgentAction::Transfer:
      move_to(BotState::Ended);
      output_.transfer(transfer_target_);
      return;
  }
}

void Conversation::on_heard(const HeardReport& report, int sample_rate) {
  const double heard_ms = sample_rate > 0 ? static_cast<double>(report.samples_played) * 1000.0 / sample_rate : 0.0;
  ClearCause cause = ClearCause::BargeIn;
  if (!clears_.empty()) {
    cause = clears_.front();
    clears_.pop_front();
  }
  output_.event(cause == ClearCause::Cancel ? "bot.cancelled" : "bot.barge_in",
                json({{"heard_ms", heard_ms},
                      {"samples_heard", report.samples_played},
                      {"text_heard", report.text_heard},
                      {"text_unheard", report.text_unheard}}));
}

// --- inactivity ---------------------------------------------------------------

std::optional<Clock::TimePoint> Conversation::next_deadline() const noexcept {
  if (machine_.state() == BotState::Ended) return std::nullopt;
  return inactivity_.next_deadline();
}

void Conversation::on_timer() {
  if (machine_.state() == BotState::Ended) return;
  switch (inactivity_.poll(clock_.now())) {
    case InactivityWatch::Due::None: return;
    case InactivityWatch::Due::Reprompt:
      close_utterance();
      move_to(BotState::Away);
      begin_reply();
      providers_.agent->reprompt(*this);
      return;
    case InactivityWatch::Due::Hangup:
      close_utterance();
      move_to(BotState::Ended);
      output_.event("bot.hangup", json({{"reason", "inactivity"}}));
      output_.hangup();
      return;
  }
}

void Conversation::end() {
  close_utterance();
  end_says("interrupted");
  move_to(BotState::Ended);
}

}  // namespace voxgate::bot
