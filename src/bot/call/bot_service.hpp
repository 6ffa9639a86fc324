#pragma once
// The voice bot's side of the process: its thread (an EventLoop of its own:
// recognising, asking the agent and synthesising never run on a media
// loop, issue 7), the providers every call shares (the speech model, the
// voice), and the factory of the SessionApp a bot call is served by.
//
//   BotService bots(settings, log);   // loads the model: start-up cost
//   bots.start();                     // the "bot" thread
//   decision.app = bots.make_app(loop_of_the_call);
//   ...                               // sessions end (their apps post the end)
//   bots.stop();                      // after the worker loops stopped
//
// A call is two halves joined by a BotLink: BotSessionApp on the call's
// loop (the session, its queued audio and the playout ledger) and BotCall
// on the bot thread (the Conversation). Each touches only its own half and
// posts to the other.
#include <atomic>
#include <memory>
#include <string_view>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "bot/call/bot_settings.hpp"
#include "runtime/event_loop.hpp"
#include "runtime/timer_loop.hpp"
#include "session/session_app.hpp"

namespace voxgate::bot {

class BotService {
 public:
  // NotFound when the speech model or the voice (an espeak-ng voice, its
  // data) is missing; InvalidArgument for settings the providers refuse
  // (the menu, a rate).
  static Result<std::unique_ptr<BotService>> create(BotSettings settings, Logger log);
  BotService(const BotService&) = delete;
  BotService& operator=(const BotService&) = delete;
  ~BotService();

  void start();
  // Waits (up to two seconds) for the calls whose end is queued to end, then
  // stops the thread. Call after the sessions ended.
  void stop();

  // The app for one call whose session runs on `session_loop`. Any thread.
  std::unique_ptr<session::SessionApp> make_app(runtime::EventLoop& session_loop);

  // Bot thread only: what BotCall needs.
  [[nodiscard]] runtime::EventLoop& loop() noexcept { return loop_; }
  [[nodiscard]] runtime::Timers& timers() noexcept { return *timers_; }
  // Cancels `id` unless the timers are gone (a call destroyed with the
  // loop's queue, after the service stopped).
  void cancel_timer(runtime::TimerId id) noexcept {
    if (timers_) timers_->cancel(id);
  }
  [[nodiscard]] const Clock& clock() const noexcept { return clock_; }
  [[nodiscard]] const BotSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] const Logger& log() const noexcept { return log_; }
  // A call's providers; an error when one cannot be made (logged by the caller).
  // `call_id` (the SIP Call-ID) is what the HTTP agent tells its service.
  Result<ConversationProviders> providers_for_call(std::string_view call_id);

  // Calls whose conversation runs now (any thread).
  [[nodiscard]] std::size_t active_calls() const noexcept { return active_.load(std::memory_order_relaxed); }
  void call_started() noexcept { active_.fetch_add(1, std::memory_order_relaxed); }
  void call_ended() noexcept { active_.fetch_sub(1, std::memory_order_relaxed); }

 private:
  BotService(BotSettings settings, Logger log, std::shared_ptr<const PocketsphinxModel> model,
             std::unique_ptr<SpeechSynthesizer> voice);

  BotSettings settings_;
  Logger log_;
  SystemClock clock_;
  std::shared_ptr<const PocketsphinxModel> model_;
  std::unique_ptr<SpeechSynthesizer> voice_;  // the provider [bot] tts names
  // The HTTP agent's breaker: every call asks the same service, so they
  // share what its failures taught. Each agent holds a reference count, so
  // none can outlive it, whatever order the calls and the loop end in.
  std::shared_ptr<CircuitBreaker> agent_breaker_;
  runtime::EventLoop loop_{"bot"};
  std::unique_ptr<runtime::LoopTimers> timers_;
  std::atomic<std::size_t> active_{0};
  bool running_ = false;
};

}  // namespace voxgate::bot
