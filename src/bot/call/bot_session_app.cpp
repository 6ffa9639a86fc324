#include "bot/call/bot_session_app.hpp"

#include <charconv>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "bot/call/bot_call.hpp"
#include "bot/call/bot_service.hpp"
#include "session/session.hpp"

namespace voxgate::bot {
namespace {

// The ledger's marks around each chunk: "<N" before its first sample, ">N"
// after its last.
std::string start_mark(std::uint64_t chunk) {
  return fmt::format("<{}", chunk);
}
std::string end_mark(std::uint64_t chunk) {
  return fmt::format(">{}", chunk);
}

std::uint64_t chunk_of(std::string_view mark) {
  std::uint64_t chunk = 0;
  std::from_chars(mark.data() + 1, mark.data() + mark.size(), chunk);
  return chunk;
}

// At most this many inputs per turn of the bot thread, so one call's
// backlog does not hold up the others' turns.
constexpr int kInputsPerTurn = 16;

// On the bot thread: the call's inputs, system ones first (BotInbox).
void drain_inbox(const std::shared_ptr<BotLink>& link) {
  for (int n = 0; n < kInputsPerTurn; ++n) {
    auto input = link->inbox.take();
    if (!input) return;  // idle: the next push posts again
    if (auto* task = std::get_if<BotInbox::Task>(&*input)) {
      (*task)(*link);
    } else if (link->call != nullptr) {
      link->call->on_caller_frame(std::get<BotInbox::Frame>(*input));
    }
  }
  link->service.loop().post([link] { drain_inbox(link); });  // more to take: the next turn
}

}  // namespace

BotSessionApp::BotSessionApp(std::shared_ptr<BotLink> link) : link_(std::move(link)) {
  link_->app = this;
}

BotSessionApp::~BotSessionApp() {
  link_->app = nullptr;
  end_bot();
}

template <class Fn>
void BotSessionApp::to_bot(Fn fn) {
  const bool wake = link_->inbox.push_system([fn = std::move(fn)](BotLink& link) mutable {
    if (link.call != nullptr) fn(*link.call);
  });
  if (wake) link_->service.loop().post([link = link_] { drain_inbox(link); });
}

void BotSessionApp::end_bot() {
  if (ended_) return;
  ended_ = true;
  // A system input too: the frames still waiting go with the call.
  const bool wake = link_->inbox.push_system([](BotLink& link) {
    if (link.call == nullptr) return;
    if (const auto dropped = link.inbox.frames_dropped(); dropped > 0) {
      link.service.log().warn("bot: the bot thread fell behind this call: {} caller frames dropped", dropped);
    }
    link.call->end();
    link.call.reset();
  });
  if (wake) link_->service.loop().post([link = link_] { drain_inbox(link); });
}

void BotSessionApp::on_call_started(const session::CallStarted& /*event*/, session::Session& session) {
  session_ = &session;
  link_->service.loop().post([link = link_, call_id = session.call_id()] {
    link->call = BotCall::create(link, call_id);
    if (link->call == nullptr) {
      link->call_loop.post([link] {
        if (link->app != nullptr) link->app->hangup();
      });
      return;
    }
    link->call->start();
  });
}

void BotSessionApp::on_pcm_received(const session::PcmReceived& event, session::Session& /*session*/) {
  if (link_->inbox.push_frame(BotInbox::Frame(event.frame.begin(), event.frame.end()))) {
    link_->service.loop().post([link = link_] { drain_inbox(link); });
  }
}

void BotSessionApp::on_dtmf_received(const session::DtmfReceived& event, session::Session& /*session*/) {
  to_bot([digit = event.digit](BotCall& call) { call.on_dtmf(digit); });
}

void BotSessionApp::on_audio_played(const session::AudioPlayed& event, session::Session& /*session*/) {
  for (auto& mark : ledger_.played(event.samples)) {
    const std::uint64_t chunk = chunk_of(mark);
    if (mark.front() == '<') {
      std::chrono::nanoseconds queued_for{0};
      while (!queued_at_.empty() && queued_at_.front().first <= chunk) {
        if (queued_at_.front().first == chunk)
          queued_for = std::chrono::steady_clock::now() - queued_at_.front().second;
        queued_at_.pop_front();
      }
      to_bot([chunk, queued_for](BotCall& call) { call.on_chunk_started(chunk, queued_for); });
    } else {
      to_bot([chunk](BotCall& call) { call.on_chunk_played(chunk); });
    }
  }
}

void BotSessionApp::on_call_ended(const session::CallEnded& /*event*/, session::Session& /*session*/) {
  session_ = nullptr;
  end_bot();
}

// --- from the bot thread ------------------------------------------------------

void BotSessionApp::play(std::uint64_t chunk, std::string text, std::span<const std::int16_t> pcm, bool starts_reply) {
  if (session_ == nullptr) return;
  // A barge-in reports what was heard of the reply it cut, not of the call:
  // the ledger's history of finished chunks starts again with each reply.
  if (starts_reply && ledger_.empty()) (void)ledger_.flush();
  if (auto queued = session_->play_audio(pcm); !queued) {
    event("bot.error", boost::json::serialize(boost::json::object{{"message", queued.error().message}}));
    // Reported as played so the conversation does not wait for it.
    to_bot([chunk](BotCall& call) { call.on_chunk_played(chunk); });
    return;
  }
  queued_at_.emplace_back(chunk, std::chrono::steady_clock::now());
  ledger_.queue_mark(start_mark(chunk));
  ledger_.queue(std::move(text), pcm.size());
  ledger_.queue_mark(end_mark(chunk));
}

void BotSessionApp::clear() {
  if (session_ == nullptr) return;
  (void)session_->clear_audio();
  queued_at_.clear();
  to_bot([report = ledger_.flush()](BotCall& call) { call.on_heard(report); });
}

void BotSessionApp::hangup() {
  if (session_ != nullptr) (void)session_->hangup();
}

void BotSessionApp::transfer(const std::string& target) {
  // The conversation waited for its last words to be played: the blind
  // transfer (REFER, RFC 3515) goes out now. Success ends the call (the
  // session hangs up, CallEnded follows); failure comes back as
  // on_transfer_failed.
  if (session_ == nullptr) return;
  transfer_target_ = target;
  event("bot.transfer", boost::json::serialize(boost::json::object{{"target", target}, {"supported", true}}));
  if (auto started = session_->transfer(target); !started) {
    event("bot.transfer_failed", boost::json::serialize(boost::json::object{
                                     {"target", target}, {"status", 0}, {"message", started.error().message}}));
    to_bot([](BotCall& call) { call.on_transfer_failed(); });
  }
}

void BotSessionApp::on_transfer_failed(const session::TransferFailed& failed, session::Session& /*session*/) {
  event("bot.transfer_failed",
        boost::json::serialize(boost::json::object{{"target", transfer_target_}, {"status", failed.status}}));
  to_bot([](BotCall& call) { call.on_transfer_failed(); });
}

Result<void> BotSessionApp::on_say(const session::SayRequested& request, session::Session& /*session*/) {
  if (says_.contains(request.handle)) {
    return make_error(Errc::InvalidArgument, "the say '{}' is still under way", request.handle);
  }
  says_.emplace(request.handle);
  to_bot([handle = std::string(request.handle), text = std::string(request.text)](BotCall& call) {
    call.say(handle, text);
  });
  return {};
}

Result<void> BotSessionApp::on_cancel_say(std::string_view handle, session::Session& /*session*/) {
  if (!says_.contains(handle)) return make_error(Errc::NotFound, "no say '{}' under way", handle);
  to_bot([handle = std::string(handle)](BotCall& call) { call.cancel_say(handle); });
  return {};
}

void BotSessionApp::event(const std::string& type, std::string fields_json) {
  if (type == "bot.said") {
    // The say is over: its handle may be cancelled no more, and used again.
    boost::system::error_code ec;
    const auto fields = boost::json::parse(fields_json, ec);
    if (!ec && fields.is_object()) {
      if (const auto* handle = fields.as_object().if_contains("handle"); handle != nullptr && handle->is_string()) {
        if (const auto it = says_.find(std::string_view(handle->as_string())); it != says_.end()) says_.erase(it);
      }
    }
  }
  if (session_ != nullptr) (void)session_->report_app_event(type, std::move(fields_json));
}

}  // namespace voxgate::bot
