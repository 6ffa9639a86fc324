#pragma once
// Where a conversation's decisions go (BotCall posts them to the call's
// loop): events for every stage, and the call's audio and control for the
// last stage (PlayoutStage).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace voxgate::bot {

// The conversation's events (JSON objects, docs/BOT.md).
class BotEvents {
 public:
  BotEvents() = default;
  BotEvents(const BotEvents&) = delete;
  BotEvents& operator=(const BotEvents&) = delete;
  virtual ~BotEvents() = default;

  virtual void event(std::string_view type, std::string fields_json) = 0;
};

class ConversationOutput : public BotEvents {
 public:
  // Queue `pcm`, which says `text`, after what is queued; `chunk` (1, 2, ...)
  // names it in the playout reports. `starts_reply`: the first chunk of a
  // reply (a barge-in reports what was heard of the reply it cut).
  virtual void play(std::uint64_t chunk, std::string text, std::vector<std::int16_t> pcm, bool starts_reply) = 0;
  // Drop what is queued and not played (barge-in); answered with on_heard().
  virtual void clear() = 0;
  virtual void hangup() = 0;
  virtual void transfer(std::string target) = 0;
};

}  // namespace voxgate::bot
