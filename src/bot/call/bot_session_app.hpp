#pragma once
// The call's half of a bot call (bot_service.hpp): a session::SessionApp on
// the call's loop. It forwards the caller's audio and keys to the bot
// thread, and carries out what the conversation decided: queue its speech
// (Session::play_audio), flush it on barge-in, hang up, report its events.
// The PlayoutLedger lives here, beside the queue it accounts for: every
// frame's AudioPlayed tells, to the sample, which chunk began and ended on
// the wire and, at a flush, what the caller heard.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "bot/call/bot_link.hpp"
#include "bot/conversation/playout_ledger.hpp"
#include "session/session_app.hpp"

namespace voxgate::bot {

class BotSessionApp final : public session::SessionApp {
 public:
  explicit BotSessionApp(std::shared_ptr<BotLink> link);
  BotSessionApp(const BotSessionApp&) = delete;
  BotSessionApp& operator=(const BotSessionApp&) = delete;
  ~BotSessionApp() override;

  [[nodiscard]] bool wants_audio() const noexcept override { return true; }
  void on_call_started(const session::CallStarted& event, session::Session& session) override;
  void on_pcm_received(const session::PcmReceived& event, session::Session& session) override;
  void on_dtmf_received(const session::DtmfReceived& event, session::Session& session) override;
  void on_audio_played(const session::AudioPlayed& event, session::Session& session) override;
  void on_call_ended(const session::CallEnded& event, session::Session& session) override;
  void on_transfer_failed(const session::TransferFailed& failed, session::Session& session) override;
  Result<void> on_say(const session::SayRequested& request, session::Session& session) override;
  Result<void> on_cancel_say(std::string_view handle, session::Session& session) override;

  // From the bot thread (BotCall), on this loop.
  void play(std::uint64_t chunk, std::string text, std::span<const std::int16_t> pcm, bool starts_reply);
  void clear();
  void hangup();
  void transfer(const std::string& target);
  void event(const std::string& type, std::string fields_json);

 private:
  // Runs `fn(call)` on the bot thread if its half is still there.
  template <class Fn>
  void to_bot(Fn fn);
  void end_bot();

  std::shared_ptr<BotLink> link_;
  session::Session* session_ = nullptr;  // from CallStarted; outlives this app
  PlayoutLedger ledger_;
  std::deque<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>> queued_at_;
  bool ended_ = false;
  std::string transfer_target_;  // the transfer under way, for its events
  // Handles of says not yet over (their bot.said has not come back).
  std::set<std::string, std::less<>> says_;
};

}  // namespace voxgate::bot
