#pragma once
// The voice bot's side of the process: its thread (an EventLoop of its own:
// recognising, asking the agent and synthesising never run on a media
// loop, issue 7), the providers every call shares (the speech model, the
// voice), and the factory of the SessionApp a bot call is served by.
//
//   auto bots = BotService::create(profiles, log);  // loads the model: start-up cost
//   bots->start();                    // the "bot" thread
//   decision.app = bots->make_app(loop_of_the_call, "sales");
//   ...                               // sessions end (their apps post the end)
//   bots.stop();                      // after the worker loops stopped
//
// A call is two halves joined by a BotLink: BotSessionApp on the call's
// loop (the session, its queued audio and the playout ledger) and BotCall
// on the bot thread (the Conversation). Each touches only its own half and
// posts to the other.
//
// Profiles ([bot] is "default", [bots.<name>] the others; a route picks one
// with `bot`): one service holds them all, because what is costly is
// shared: ONE thread and loop, ONE speech model (8+ MB of dictionary, about
// a second to load), one voice per distinct TTS settings. What is a
// profile's own is its settings (agent, menu, conversation) and its HTTP
// agent's circuit breaker (its service, its failures).
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "bot/call/bot_settings.hpp"
#include "runtime/event_loop.hpp"
#include "runtime/timer_loop.hpp"
#include "session/session_app.hpp"

namespace voxgate::bot {

// One named bot: its settings and the providers it may share.
struct BotProfile {
  std::string name;
  BotSettings settings;
  SpeechSynthesizer* voice = nullptr;             // owned by the service; shared by equal TtsSettings
  std::shared_ptr<CircuitBreaker> agent_breaker;  // agent Http: this profile's service's breaker
};

class BotService {
 public:
  // Every profile's providers are made once here (a trial call), so a bad
  // profile fails the start, not its first call. NotFound when the speech
  // model or a voice (an espeak-ng voice, its data) is missing;
  // InvalidArgument for settings the providers refuse (the menu, a rate),
  // naming the profile; InvalidArgument when `profiles` is empty.
  static Result<std::unique_ptr<BotService>> create(BotProfiles profiles, Logger log);
  // One profile, kDefaultBotProfile.
  static Result<std::unique_ptr<BotService>> create(BotSettings settings, Logger log);
  BotService(const BotService&) = delete;
  BotService& operator=(const BotService&) = delete;
  ~BotService();

  void start();
  // Waits (up to two seconds) for the calls whose end is queued to end, then
  // stops the thread. Call after the sessions ended.
  void stop();

  // The app for one call whose session runs on `session_loop`, served by
  // `profile` ("" is kDefaultBotProfile); nullptr when there is no such
  // profile (a webhook's decision may name any). Any thread.
  std::unique_ptr<session::SessionApp> make_app(runtime::EventLoop& session_loop,
                                                std::string_view profile = kDefaultBotProfile);
  // The profile named `name` ("" is kDefaultBotProfile); nullptr if none.
  [[nodiscard]] const BotProfile* profile(std::string_view name) const noexcept;

  // Bot thread only: what BotCall needs.
  [[nodiscard]] runtime::EventLoop& loop() noexcept { return loop_; }
  [[nodiscard]] runtime::Timers& timers() noexcept { return *timers_; }
  // Cancels `id` unless the timers are gone (a call destroyed with the
  // loop's queue, after the service stopped).
  void cancel_timer(runtime::TimerId id) noexcept {
    if (timers_) timers_->cancel(id);
  }
  [[nodiscard]] const Clock& clock() const noexcept { return clock_; }
  [[nodiscard]] const Logger& log() const noexcept { return log_; }
  // A call's providers under `profile`; an error when one cannot be made
  // (logged by the caller). `call_id` (the SIP Call-ID) is what the HTTP
  // agent tells its service.
  Result<ConversationProviders> providers_for_call(const BotProfile& profile, std::string_view call_id);

  // Calls whose conversation runs now (any thread).
  [[nodiscard]] std::size_t active_calls() const noexcept { return active_.load(std::memory_order_relaxed); }
  void call_started() noexcept { active_.fetch_add(1, std::memory_order_relaxed); }
  void call_ended() noexcept { active_.fetch_sub(1, std::memory_order_relaxed); }

 private:
  BotService(Logger log, std::shared_ptr<const PocketsphinxModel> model);

  Logger log_;
  SystemClock clock_;
  std::shared_ptr<const PocketsphinxModel> model_;
  std::vector<std::unique_ptr<SpeechSynthesizer>> voices_;  // one per distinct TtsSettings
  // By name. A profile's agent breaker: its calls ask the same service, so
  // they share what its failures taught. Each agent holds a reference
  // count, so none can outlive it, whatever order the calls and the loop
  // end in.
  std::map<std::string, BotProfile, std::less<>> profiles_;
  runtime::EventLoop loop_{"bot"};
  std::unique_ptr<runtime::LoopTimers> timers_;
  std::atomic<std::size_t> active_{0};
  bool running_ = false;
};

}  // namespace voxgate::bot
