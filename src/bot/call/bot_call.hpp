#pragma once
// The bot thread's half of one call (bot_service.hpp): the Conversation,
// its inactivity timer, and the ConversationOutput that posts its decisions
// to the call's loop, where BotSessionApp carries them out.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "bot/call/bot_link.hpp"
#include "bot/call/bot_settings.hpp"
#include "bot/pipeline/conversation.hpp"
#include "runtime/timer_service.hpp"

namespace voxgate::bot {

class BotCall final : private ConversationOutput {
 public:
  // On the bot thread. nullptr (logged) when the call's providers cannot be made.
  static std::unique_ptr<BotCall> create(const std::shared_ptr<BotLink>& link, std::string_view call_id);
  BotCall(const BotCall&) = delete;
  BotCall& operator=(const BotCall&) = delete;
  ~BotCall() override;

  // The inputs, each followed by re-arming the inactivity timer.
  void start();
  void on_caller_frame(std::span<const std::int16_t> frame);
  void on_dtmf(char digit);
  void on_chunk_started(std::uint64_t chunk, std::chrono::nanoseconds queued_for);
  void on_chunk_played(std::uint64_t chunk);
  void on_heard(const HeardReport& report);
  // The transfer the conversation ended with failed (the session's
  // TransferFailed): the caller hears the fallback prompt, then the call is
  // hung up once it was played (docs/BOT.md). The conversation is over
  // (Ended) and stays so: this speaks beside it.
  void on_transfer_failed();
  // The API's say (BotSessionApp::on_say): Conversation::say / cancel_say.
  void say(const std::string& handle, std::string_view text);
  void cancel_say(std::string_view handle);
  void end();

 private:
  BotCall(std::weak_ptr<BotLink> link, BotService& service, const BotSettings& settings,
          ConversationProviders providers);

  void play(std::uint64_t chunk, std::string text, std::vector<std::int16_t> pcm, bool starts_reply) override;
  void clear() override;
  void hangup() override;
  void transfer(std::string target) override;
  void event(std::string_view type, std::string fields_json) override;

  // Runs `fn(app)` on the call's loop if the session's half is still there.
  template <class Fn>
  void to_call(Fn fn);
  void rearm();

  std::weak_ptr<BotLink> link_;
  BotService& service_;
  const BotSettings& settings_;  // the call's profile's (the service's)
  SpeechSynthesizer* tts_;       // the conversation's (shared), for the fallback after a failed transfer
  Conversation conversation_;
  runtime::TimerId timer_;
  std::optional<Clock::TimePoint> armed_for_;
  // After a failed transfer: the next chunk number of the fallback prompt
  // (far above the conversation's), and the one whose end hangs up.
  std::uint64_t next_fallback_chunk_;
  std::optional<std::uint64_t> hangup_after_;
};

}  // namespace voxgate::bot
