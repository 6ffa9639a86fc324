#pragma once
// The HTTP agent: the caller's turns go to a web service the operator runs
// (docs/BOT.md, "HTTP agent"). Each start, turn and reprompt is one POST of
// JSON (http_agent_protocol.hpp) to the configured URL; the reply comes back
// whole (application/json) or streamed (application/x-ndjson: one object per
// line, each line's text spoken as it arrives, so speech starts before the
// reply is complete).
//
// A slow or failing service must not leave the caller in silence:
//   - each attempt has `timeout` to produce the response head; the whole
//     reply (every attempt, back-off and the streamed body) `reply_timeout`;
//   - connect errors, timeouts, 5xx and 429 are retried `retries` times with
//     exponential back-off (`backoff`, doubling, at most `max_backoff`), but
//     only while none of the reply's text was spoken: after that a failure
//     ends the reply;
//   - a turn that still fails is a failure for the CircuitBreaker, shared by
//     every call; while it is open, turns fail at once without a request;
//   - a failed turn is on_done(error): the conversation says its fallback
//     prompt and reports bot.agent_error with this message.
//
// One agent per call, on the bot thread's io_context. A new turn while a
// reply is under way (a key pressed) drops that reply. Destroying the agent
// mid-request is safe: the request is cancelled and the sink never called.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bot/agent/agent.hpp"
#include "bot/agent/circuit_breaker.hpp"
#include "bot/agent/http_agent_config.hpp"
#include "bot/agent/http_agent_protocol.hpp"
#include "net/http/http_client.hpp"

namespace voxgate::bot {

// The reply an HttpAgent has under way (outside the class: clang cannot
// default-construct, in std::optional, a nested class with default member
// initializers while the enclosing class is incomplete).
struct HttpAgentReply {
  AgentReplySink* sink = nullptr;
  std::string_view kind;
  std::optional<AgentTurn> turn;
  std::uint64_t seq = 0;
  std::chrono::steady_clock::time_point deadline;  // reply_timeout
  int attempt = 0;                                 // 1 for the first
  std::chrono::milliseconds head_wait{0};          // this attempt's: timeout, or less when the reply's time runs out
  unsigned status = 0;
  bool streamed = false;  // application/x-ndjson
  std::string body;       // a whole reply; the start of an error response's
  LineSplitter lines;     // a streamed reply
  bool spoke = false;     // some of its text went to the sink: no retry
  bool draft = false;     // preemptive generation: not yet committed
  AgentDirective directive;
};

class HttpAgent final : public Agent {
 public:
  // `io` runs on the thread that calls the agent (the bot thread); the
  // breaker is shared with the process's other calls.
  static Result<std::unique_ptr<HttpAgent>> create(boost::asio::io_context& io, HttpAgentConfig config,
                                                   std::string call_id, std::shared_ptr<CircuitBreaker> breaker);
  HttpAgent(const HttpAgent&) = delete;
  HttpAgent& operator=(const HttpAgent&) = delete;
  ~HttpAgent() override;

  void start(AgentReplySink& sink) override;
  void respond(const AgentTurn& turn, AgentReplySink& sink) override;
  void reprompt(AgentReplySink& sink) override;
  // Preemptive generation: a draft is a turn request marked "draft"; a
  // cancelled draft's seq is repeated by the next request, which replaces
  // it at the service (http_agent_protocol.hpp).
  [[nodiscard]] bool can_draft() const noexcept override { return true; }
  void draft(const AgentTurn& turn, AgentReplySink& sink) override;
  void commit_draft() override;
  void cancel_draft() override;

 private:
  using Reply = HttpAgentReply;

  HttpAgent(boost::asio::io_context& io, HttpAgentConfig config, std::string call_id,
            std::shared_ptr<CircuitBreaker> breaker);

  void begin(std::string_view kind, const AgentTurn* turn, AgentReplySink& sink, bool draft = false);
  void drop();
  void attempt();
  void on_head(const net::HttpResponseData& head);
  void on_data(std::string_view data);
  void on_complete(Result<net::HttpResponseData> response);
  void on_head_timeout();
  // The one timer: the head timeout, then the back-off. disarm() makes any
  // earlier arm() a no-op, even one whose wait already completed.
  template <class Fn>
  void arm(std::chrono::milliseconds after, Fn fn);
  void disarm();
  // False when the reply is over (failed, or dropped by the sink): stop.
  bool take_part(std::string_view json, std::string_view where);
  bool say(std::string text);
  void retry_or_fail(Errc code, std::string detail, bool retryable);
  void succeed();
  void fail(Errc code, std::string message);
  [[nodiscard]] int attempts() const noexcept { return config_.retries + 1; }

  boost::asio::io_context& io_;
  HttpAgentConfig config_;
  std::string call_id_;
  std::shared_ptr<CircuitBreaker> breaker_;
  std::string what_;                         // "POST http://..." for messages
  std::unique_ptr<net::HttpClient> client_;  // one per attempt: destroying it cancels the attempt
  boost::asio::steady_timer timer_;          // the head timeout, then the back-off
  std::optional<Reply> reply_;
  std::uint64_t generation_ = 0;   // which reply a callback belongs to
  std::uint64_t timer_epoch_ = 0;  // which arm() the timer's wait belongs to
  std::uint64_t seq_ = 0;
  bool draft_open_ = false;  // the last request is a draft neither committed nor cancelled
  std::shared_ptr<char> alive_ = std::make_shared<char>();  // timer callbacks after destruction do nothing
};

}  // namespace voxgate::bot
