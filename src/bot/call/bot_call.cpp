#include "bot/call/bot_call.hpp"

#include <utility>

#include <boost/json.hpp>

#include "bot/tts/speech_synthesizer.hpp"

#include "bot/call/bot_service.hpp"
#include "bot/call/bot_session_app.hpp"

namespace voxgate::bot {

namespace {

// The fallback prompt after a failed transfer is numbered from here: the
// call's playout reports name chunks by number, and the conversation's
// count up from 1 and never get this far.
constexpr std::uint64_t kFallbackChunks = std::uint64_t{1} << 48;

}  // namespace

std::unique_ptr<BotCall> BotCall::create(const std::shared_ptr<BotLink>& link, std::string_view call_id) {
  auto providers = link->service.providers_for_call(link->profile, call_id);
  if (!providers) {
    link->service.log().error("bot: cannot serve the call: {}", providers.error().message);
    return nullptr;
  }
  return std::unique_ptr<BotCall>(new BotCall(link, link->service, link->profile.settings, std::move(*providers)));
}

BotCall::BotCall(std::weak_ptr<BotLink> link, BotService& service, const BotSettings& settings,
                 ConversationProviders providers)
    : link_(std::move(link)),
      service_(service),
      settings_(settings),
      tts_(providers.tts),
      conversation_(settings.conversation, std::move(providers), *this, service.clock()),
      next_fallback_chunk_(kFallbackChunks) {
  service_.call_started();
}

BotCall::~BotCall() {
  service_.cancel_timer(timer_);
  service_.call_ended();
}

template <class Fn>
void BotCall::to_call(Fn fn) {
  auto link = link_.lock();
  if (!link) return;
  link->call_loop.post([link, fn = std::move(fn)]() mutable {
    if (link->app != nullptr) fn(*link->app);
  });
}

void BotCall::say(const std::string& handle, std::string_view text) {
  if (!conversation_.say(handle, text)) {
    // The conversation is over (a hang-up or transfer is under way).
    event("bot.said", boost::json::serialize(boost::json::object{{"handle", handle}, {"outcome", "refused"}}));
  }
  rearm();
}

void BotCall::cancel_say(std::string_view handle) {
  (void)conversation_.cancel_say(handle);  // already over: its bot.said went out
  rearm();
}

void BotCall::rearm() {
  const auto deadline = conversation_.next_deadline();
  if (deadline == armed_for_) return;
  service_.timers().cancel(timer_);
  timer_ = {};
  armed_for_ = deadline;
  if (!deadline) return;
  timer_ = service_.timers().schedule(*deadline - service_.clock().now(), [this] {
    timer_ = {};
    armed_for_.reset();
    conversation_.on_timer();
    rearm();
  });
}

void BotCall::start() {
  conversation_.start();
  rearm();
}

void BotCall::on_caller_frame(std::span<const std::int16_t> frame) {
  conversation_.on_caller_frame(frame);
  rearm();
}

void BotCall::on_dtmf(char digit) {
  conversation_.on_dtmf(digit);
  rearm();
}

void BotCall::on_chunk_started(std::uint64_t chunk, std::chrono::nanoseconds queued_for) {
  if (chunk >= kFallbackChunks) return;
  conversation_.on_chunk_started(chunk, queued_for);
}

void BotCall::on_chunk_played(std::uint64_t chunk) {
  if (chunk >= kFallbackChunks) {
    if (hangup_after_ && chunk >= *hangup_after_) {
      hangup_after_.reset();
      hangup();
    }
    return;
  }
  conversation_.on_chunk_played(chunk);
  rearm();
}

void BotCall::on_transfer_failed() {
  if (hangup_after_) return;
  conversation_.end();  // Ended already (the transfer was its last directive); nothing it hears counts now
  rearm();
  const ConversationConfig& config = settings_.conversation;
  bool first = true;
  for (const auto piece : split_for_speech(config.fallback_prompt, config.max_chunk_chars)) {
    if (tts_ == nullptr) break;
    auto pcm = tts_->synthesize(piece);
    if (!pcm) {
      event("bot.error", boost::json::serialize(boost::json::object{{"message", pcm.error().message}}));
      continue;
    }
    event("bot.say", boost::json::serialize(boost::json::object{{"text", piece}}));
    const std::uint64_t chunk = next_fallback_chunk_++;
    play(chunk, std::string(piece), std::move(*pcm), first);
    first = false;
    hangup_after_ = chunk;
  }
  if (!hangup_after_) hangup();  // nothing could be said
}

void BotCall::on_heard(const HeardReport& report) {
  conversation_.on_heard(report, settings_.sample_rate);
}

void BotCall::end() {
  conversation_.end();
  rearm();
}

// --- ConversationOutput: to the call's loop -----------------------------------

void BotCall::play(std::uint64_t chunk, std::string text, std::vector<std::int16_t> pcm, bool starts_reply) {
  to_call([chunk, text = std::move(text), pcm = std::move(pcm), starts_reply](BotSessionApp& app) mutable {
    app.play(chunk, std::move(text), pcm, starts_reply);
  });
}

void BotCall::clear() {
  to_call([](BotSessionApp& app) { app.clear(); });
}

void BotCall::hangup() {
  to_call([](BotSessionApp& app) { app.hangup(); });
}

void BotCall::transfer(std::string target) {
  to_call([target = std::move(target)](BotSessionApp& app) { app.transfer(target); });
}

void BotCall::event(std::string_view type, std::string fields_json) {
  to_call([type = std::string(type), fields = std::move(fields_json)](BotSessionApp& app) mutable {
    app.event(type, std::move(fields));
  });
}

}  // namespace voxgate::bot
