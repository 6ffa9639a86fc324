#pragma once
// The WebSocket agent: the caller's turns go to the operator's service over
// one WebSocket per call (docs/BOT.md, "WebSocket agent"), for services that
// keep a conversation's state in a connection rather than per request.
//
//   to the agent    {"call_id", "seq", "attempt": 1, "kind": "start" |
//                    "turn" | "reprompt", "turn": {...}}   (the HTTP agent's
//                    request, http_agent_protocol.hpp)
//   from the agent  reply parts as the HTTP agent reads them, each with the
//                   "seq" it answers and "done": true on the last:
//                   {"seq": 2, "text": "Sales, "}, {"seq": 2, "text": "hello.",
//                    "expected": ["yes", "no"], "done": true}
//
// Each part's text is spoken as it arrives. A part for another seq than the
// reply under way (a turn a key replaced) is ignored.
//
// Preemptive generation (agent.hpp): a draft is a turn request marked
// "draft": true, answered like any turn. Unlike the HTTP agent's, its end
// is told on the connection, since the service may still be streaming the
// draft's reply when the caller's final words arrive:
//   {"call_id", "seq": <the draft's>, "attempt": 1, "kind": "commit"}  the
//       draft was the turn (its reply goes on, or was already heard)
//   {"call_id", "seq": <the draft's>, "attempt": 1, "kind": "cancel"}  the
//       caller said something else: forget the draft; parts still coming
//       for its seq are ignored, and the final turn follows with a new seq
// The connection opens
// with the call's first request and again with the next request after it
// broke. A reply with no part within `timeout`, or not done within
// `reply_timeout`, or a connection that fails or breaks while a reply is
// under way, is on_done(error): the conversation says its fallback prompt.
//
// One agent per call, on the bot thread's io_context; destroying it closes
// the connection and the sink is never called again.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bot/agent/agent.hpp"
#include "net/http/websocket_client.hpp"

namespace voxgate::bot {

struct WebSocketAgentConfig {
  std::string url;                                 // ws://host[:port]/path
  std::chrono::milliseconds timeout{2000};         // the request until the reply's first part
  std::chrono::milliseconds reply_timeout{15000};  // the request until its last part
};

// InvalidArgument (Unsupported for wss://) when the URL cannot be used.
Result<void> validate(const WebSocketAgentConfig& config);

class WebSocketAgent final : public Agent {
 public:
  WebSocketAgent(boost::asio::io_context& io, WebSocketAgentConfig config, std::string call_id);
  WebSocketAgent(const WebSocketAgent&) = delete;
  WebSocketAgent& operator=(const WebSocketAgent&) = delete;
  ~WebSocketAgent() override;

  void start(AgentReplySink& sink) override;
  void respond(const AgentTurn& turn, AgentReplySink& sink) override;
  void reprompt(AgentReplySink& sink) override;

  [[nodiscard]] bool can_draft() const noexcept override { return true; }
  void draft(const AgentTurn& turn, AgentReplySink& sink) override;
  void commit_draft() override;
  void cancel_draft() override;

 private:
  struct Pending {
    AgentReplySink* sink = nullptr;
    std::uint64_t seq = 0;
    bool spoke = false;  // a part arrived: the first-part timeout is met
    AgentDirective directive;
  };

  void ask(std::string_view kind, const AgentTurn* turn, AgentReplySink& sink, bool draft = false);
  // Tells the service how the open draft ended ("commit" or "cancel").
  void end_draft(std::string_view kind);
  void connect();
  void on_message(std::string_view text);
  void on_closed(const std::string& reason);
  void arm(std::chrono::milliseconds after);
  void fail(std::string message);

  boost::asio::io_context& io_;
  WebSocketAgentConfig config_;
  std::string call_id_;
  std::shared_ptr<net::WebSocketClient> socket_;  // null until the first request, and after it broke
  boost::asio::steady_timer timer_;
  std::optional<Pending> pending_;
  std::chrono::steady_clock::time_point reply_deadline_;
  std::uint64_t seq_ = 0;
  std::optional<std::uint64_t> open_draft_;                 // the seq of a draft neither committed nor cancelled
  std::shared_ptr<char> alive_ = std::make_shared<char>();  // timer callbacks after destruction do nothing
};

}  // namespace voxgate::bot
