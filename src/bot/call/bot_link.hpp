#pragma once
// What joins a bot call's two halves (bot_service.hpp): each field belongs
// to one thread, and a half reaches the other only by posting a task that
// holds the link. A task that arrives after its target half is gone finds a
// null pointer and does nothing: neither half can outlive the call's end.
#include <memory>

#include "bot/call/bot_inbox.hpp"
#include "runtime/event_loop.hpp"

namespace voxgate::bot {

class BotCall;
class BotService;
class BotSessionApp;
struct BotProfile;

struct BotLink {
  BotLink(BotService& bots, const BotProfile& bot, runtime::EventLoop& session_loop)
      : service(bots), profile(bot), call_loop(session_loop) {}

  BotService& service;
  const BotProfile& profile;  // the service's, which outlives every call
  runtime::EventLoop& call_loop;
  BotSessionApp* app = nullptr;   // the call's loop only
  std::unique_ptr<BotCall> call;  // the bot thread only
  BotInbox inbox;                 // the call's inputs to the bot thread (either thread)
};

}  // namespace voxgate::bot
