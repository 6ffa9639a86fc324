#pragma once
// The HTTP agent's wire format (docs/BOT.md, "HTTP agent"): the JSON it
// POSTs for each turn and the reply objects it reads back, whole
// (application/json) or one per line (application/x-ndjson, streamed).
// Pure functions, no I/O: http_agent.cpp does the exchange.
//
//   request  {"call_id": "...", "seq": 2, "attempt": 1, "kind": "turn",
//             "turn": {"transcript": "sales please", "digit": null}}
//            with "draft": true for preemptive generation: the transcript
//            is interim; if the caller's final words differ, the next
//            request repeats this seq with them and replaces this one; if
//            none does, the draft was the turn.
//   reply    {"text": "...", "action": "continue" | "hangup" | "transfer",
//             "transfer_target": "sip:...", "expected": ["sales", "support"]}
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "bot/agent/agent.hpp"

namespace voxgate::bot {

// What the agent is asked: "start" (the greeting), "turn" or "reprompt".
struct AgentRequest {
  std::string_view call_id;
  std::string_view kind;
  std::uint64_t seq = 0;  // the call's n-th request; its retries repeat it
  int attempt = 1;
  const AgentTurn* turn = nullptr;  // kind "turn" only
  bool draft = false;               // a turn asked for before it ended
};

std::string request_json(const AgentRequest& request);

// One reply object: a whole reply, or one line of a streamed one. Every
// field is optional; the ones present override earlier lines'.
struct ReplyPart {
  std::string text;
  std::optional<AgentAction> action;
  std::optional<std::string> transfer_target;
  std::optional<std::vector<std::string>> expected;  // normalised (normalise_transcript)
};

// InvalidArgument naming the field when `json` is not such an object.
Result<ReplyPart> parse_reply_part(std::string_view json);

// Folds `part`'s directive fields into `directive`.
void merge_into(AgentDirective& directive, ReplyPart& part);

// InvalidArgument when the directive cannot be carried out (a transfer
// without a target).
Result<void> check_directive(const AgentDirective& directive);

// Splits a streamed body into lines (NDJSON, ndjson.org: one JSON text per
// line, LF or CRLF): push() what arrived, then take each complete line with
// next().
class LineSplitter {
 public:
  void push(std::string_view data) { pending_.append(data); }
  // The next complete line without its terminator; nullopt until one is.
  std::optional<std::string> next();
  // What is left after the last terminator (the body ended): the last line.
  std::string rest();

 private:
  std::string pending_;
  std::size_t start_ = 0;
};

}  // namespace voxgate::bot
