#pragma once
// The agent: what decides the bot's replies. The conversation hands it the
// caller's turns (a final transcript or a key) and it answers with text,
// streamed in chunks so speech can start before the reply is complete, and
// a directive (go on, hang up, transfer) plus the phrases it expects next
// (the recognizer's grammar for the next turn, bot/stt).
//
// Implementations: MenuAgent (a state machine from config, the demo bot),
// EchoTranscriptAgent, HttpAgent (a web service decides) and WebSocketAgent
// (the same over one WebSocket per call). Calls come from the bot's own thread, never a media
// loop; an agent that waits on the network answers through the sink later,
// from that same thread (it posts there).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace voxgate::bot {

struct AgentTurn {
  std::string transcript;     // "" when the turn is a key
  std::optional<char> digit;  // '0'-'9', '*', '#', 'A'-'D'
};

enum class AgentAction : std::uint8_t { Continue, Hangup, Transfer };

struct AgentDirective {
  AgentAction action = AgentAction::Continue;
  std::string transfer_target;        // Transfer: a SIP URI
  std::vector<std::string> expected;  // phrases of the next turn; empty: free speech
};

// Where a reply goes: any number of text chunks, then exactly one done.
class AgentReplySink {
 public:
  virtual ~AgentReplySink() = default;
  virtual void on_text(std::string chunk) = 0;
  // An error is the agent failing (timeout, refused): the conversation says
  // its fallback prompt.
  virtual void on_done(Result<AgentDirective> directive) = 0;
};

class Agent {
 public:
  Agent() = default;
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;
  virtual ~Agent() = default;

  // The call was answered: the greeting.
  virtual void start(AgentReplySink& sink) = 0;
  virtual void respond(const AgentTurn& turn, AgentReplySink& sink) = 0;
  // The caller said nothing for a while (the Away state).
  virtual void reprompt(AgentReplySink& sink) = 0;

  // Preemptive generation (docs/BOT.md): an agent whose replies take time
  // (a web service) may be asked for its reply to an interim transcript
  // while the conversation still waits for the end of the turn. draft()
  // answers like respond(); the conversation then either commits it (the
  // final transcript is the same: the draft is the turn, its reply goes on
  // to the caller) or cancels it (the caller said something else: the
  // draft must leave no trace, its sink is not called again, and the final
  // turn comes through respond()). Agents that answer at once gain nothing
  // and keep the default: no drafts.
  [[nodiscard]] virtual bool can_draft() const noexcept { return false; }
  virtual void draft(const AgentTurn& turn, AgentReplySink& sink) { respond(turn, sink); }
  virtual void commit_draft() {}
  virtual void cancel_draft() {}
};

}  // namespace voxgate::bot
