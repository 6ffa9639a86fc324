#include "bot/agent/http_agent.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "base/ascii.hpp"

namespace voxgate::bot {
namespace {

using std::chrono::milliseconds;

// How much of an error response's body the failure message quotes.
constexpr std::size_t kErrorBodyShown = 200;

bool has_header(const net::HttpHeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& field) { return ascii::iequals(field.first, name); });
}

// RFC 9110 §15.6: a server error may pass; 429 (RFC 6585 §4) asks us to
// come back later. Any other 4xx is our request's fault and would fail the
// same way again.
bool worth_retrying(unsigned status) noexcept {
  return status >= 500 || status == 429;
}

// The HTTP client's messages start with "HTTP POST <url>: "; ours with
// "POST <url>", so the prefix goes.
std::string without_http_prefix(std::string message) {
  if (message.starts_with("HTTP ")) message.erase(0, 5);
  return message;
}

milliseconds until(std::chrono::steady_clock::time_point deadline) {
  return std::max(milliseconds{0},
                  std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()));
}

}  // namespace

Result<std::unique_ptr<HttpAgent>> HttpAgent::create(boost::asio::io_context& io, HttpAgentConfig config,
                                                     std::string call_id, std::shared_ptr<CircuitBreaker> breaker) {
  if (auto valid = validate(config); !valid) return tl::unexpected(valid.error());
  return std::unique_ptr<HttpAgent>(new HttpAgent(io, std::move(config), std::move(call_id), std::move(breaker)));
}

HttpAgent::HttpAgent(boost::asio::io_context& io, HttpAgentConfig config, std::string call_id,
                     std::shared_ptr<CircuitBreaker> breaker)
    : io_(io),
      config_(std::move(config)),
      call_id_(std::move(call_id)),
      breaker_(std::move(breaker)),
      what_(fmt::format("POST {}", config_.url)),
      timer_(io) {
  if (!has_header(config_.headers, "content-type")) config_.headers.emplace_back("Content-Type", "application/json");
  if (!has_header(config_.headers, "accept")) {
    config_.headers.emplace_back("Accept", "application/x-ndjson, application/json");
  }
}

HttpAgent::~HttpAgent() {
  drop();
}

void HttpAgent::start(AgentReplySink& sink) {
  begin("start", nullptr, sink);
}

void HttpAgent::respond(const AgentTurn& turn, AgentReplySink& sink) {
  begin("turn", &turn, sink);
}

void HttpAgent::reprompt(AgentReplySink& sink) {
  begin("reprompt", nullptr, sink);
}

void HttpAgent::draft(const AgentTurn& turn, AgentReplySink& sink) {
  begin("turn", &turn, sink, true);
}

void HttpAgent::commit_draft() {
  draft_open_ = false;
  if (reply_) reply_->draft = false;  // a retry now asks for the turn itself
}

void HttpAgent::cancel_draft() {
  if (!draft_open_) return;
  draft_open_ = false;
  if (reply_ && reply_->draft) drop();
  --seq_;  // the final turn repeats the draft's seq and replaces it
}

// --- a reply --------------------------------------------------------------------

void HttpAgent::begin(std::string_view kind, const AgentTurn* turn, AgentReplySink& sink, bool draft) {
  drop();  // a key pressed while the last reply was under way replaces it
  ++generation_;
  ++seq_;
  draft_open_ = draft;
  if (!breaker_->allow()) {
    sink.on_done(make_error(Errc::InvalidState, "{} not sent: {}", what_, breaker_->refusal()));
    return;
  }
  Reply& reply = reply_.emplace();
  reply.sink = &sink;
  reply.kind = kind;
  if (turn != nullptr) reply.turn = *turn;
  reply.seq = seq_;
  reply.draft = draft;
  reply.deadline = std::chrono::steady_clock::now() + config_.reply_timeout;
  attempt();
}

void HttpAgent::drop() {
  disarm();
  client_.reset();  // cancels the request; its callbacks are not called
  if (reply_) {
    reply_.reset();
    breaker_->record_abandoned();
  }
}

template <class Fn>
void HttpAgent::arm(std::chrono::milliseconds after, Fn fn) {
  const auto epoch = ++timer_epoch_;
  timer_.expires_after(after);
  timer_.async_wait(
      [this, alive = std::weak_ptr<char>(alive_), epoch, fn = std::move(fn)](const boost::system::error_code& ec) {
        // A wait that completed before disarm() could cancel it still runs:
        // the epoch tells it is stale.
        if (ec || alive.expired() || epoch != timer_epoch_) return;
        fn();
      });
}

void HttpAgent::disarm() {
  ++timer_epoch_;
  timer_.cancel();
}

void HttpAgent::attempt() {
  Reply& reply = *reply_;
  ++reply.attempt;
  reply.status = 0;
  reply.streamed = false;
  reply.body.clear();
  reply.lines = {};
  const milliseconds left = until(reply.deadline);

  net::HttpRequestSpec spec;
  spec.method = boost::beast::http::verb::post;
  spec.url = config_.url;
  spec.headers = config_.headers;
  spec.body = request_json(
      AgentRequest{call_id_, reply.kind, reply.seq, reply.attempt, reply.turn ? &*reply.turn : nullptr, reply.draft});
  const auto generation = generation_;
  spec.on_head = [this, generation](const net::HttpResponseData& head) {
    if (generation == generation_ && reply_) on_head(head);
  };
  spec.on_body_data = [this, generation](std::string_view data) {
    if (generation == generation_ && reply_) on_data(data);
  };
  // Owned by this agent: destroying it (a new attempt, drop(), the agent's
  // end) cancels the request without calling these callbacks.
  client_ = std::make_unique<net::HttpClient>(io_);
  client_->request(std::move(spec), left, [this, generation](Result<net::HttpResponseData> response) {
    if (generation == generation_ && reply_) on_complete(std::move(response));
  });

  reply.head_wait = std::min(config_.timeout, left);
  arm(reply.head_wait, [this] { on_head_timeout(); });
}

void HttpAgent::on_head_timeout() {
  Reply& reply = *reply_;
  client_.reset();
  retry_or_fail(Errc::Timeout, fmt::format("{} timed out after {} ms", what_, reply.head_wait.count()), true);
}

void HttpAgent::on_head(const net::HttpResponseData& head) {
  Reply& reply = *reply_;
  disarm();  // the head came in time; reply_timeout bounds the body
  reply.status = head.status;
  const auto type = head.header("content-type").value_or("");
  reply.streamed = ascii::istarts_with(type, "application/x-ndjson");
}

void HttpAgent::on_data(std::string_view data) {
  Reply& reply = *reply_;
  if (reply.status < 200 || reply.status > 299) {
    // An error response: its start, for the message.
    const std::size_t room = kErrorBodyShown - std::min(kErrorBodyShown, reply.body.size());
    reply.body.append(data.substr(0, room));
    return;
  }
  if (!reply.streamed) {
    reply.body.append(data);
    return;
  }
  reply.lines.push(data);
  while (auto line = reply.lines.next()) {
    if (!take_part(*line, "a line of the streamed reply")) return;
  }
}

void HttpAgent::on_complete(Result<net::HttpResponseData> response) {
  disarm();
  Reply& reply = *reply_;
  if (!response) {
    auto message = without_http_prefix(response.error().message);
    if (reply.spoke) {
      fail(response.error().code, fmt::format("the streamed reply broke off: {}", message));
      return;
    }
    const Errc code = response.error().code;
    retry_or_fail(code, std::move(message), code == Errc::Io || code == Errc::Timeout);
    return;
  }
  if (response->status < 200 || response->status > 299) {
    std::string detail = fmt::format("{} answered {} {}", what_, response->status, response->reason);
    if (!reply.body.empty()) detail += fmt::format(" ({})", reply.body);
    retry_or_fail(Errc::Io, std::move(detail), worth_retrying(response->status));
    return;
  }
  if (reply.streamed) {
    if (const std::string last = reply.lines.rest(); !take_part(last, "the last line of the streamed reply")) return;
  } else if (!take_part(reply.body, "the reply")) {
    return;
  }
  succeed();
}

// One reply object: its text to the sink, its directive fields kept.
bool HttpAgent::take_part(std::string_view json, std::string_view where) {
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return true;  // an empty line, or no body
  auto part = parse_reply_part(json);
  if (!part) {
    client_.reset();
    fail(Errc::InvalidArgument, fmt::format("{}: {} is malformed: {}", what_, where, part.error().message));
    return false;
  }
  merge_into(reply_->directive, *part);
  if (part->text.empty()) return true;
  reply_->spoke = true;
  return say(std::move(part->text));
}

bool HttpAgent::say(std::string text) {
  const std::weak_ptr<char> alive = alive_;
  const auto generation = generation_;
  reply_->sink->on_text(std::move(text));
  // The sink may have started another reply, or ended the call.
  return !alive.expired() && generation == generation_ && reply_.has_value();
}

void HttpAgent::retry_or_fail(Errc code, std::string detail, bool retryable) {
  Reply& reply = *reply_;
  const std::string of = fmt::format("(attempt {} of {})", reply.attempt, attempts());
  if (!retryable || reply.attempt >= attempts()) {
    fail(code, fmt::format("{} {}{}", detail, of, retryable ? "" : ", not retried"));
    return;
  }
  // Exponential back-off: backoff, 2 x backoff, ... capped.
  const int doublings = std::min(reply.attempt - 1, 20);
  const milliseconds wait = std::min(config_.max_backoff, config_.backoff * (std::int64_t{1} << doublings));
  if (until(reply.deadline) <= wait) {
    fail(code, fmt::format("{} {}; no time left for another within the reply timeout of {} ms", detail, of,
                           config_.reply_timeout.count()));
    return;
  }
  arm(wait, [this] { attempt(); });
}

void HttpAgent::succeed() {
  if (auto checked = check_directive(reply_->directive); !checked) {
    fail(Errc::InvalidArgument, fmt::format("{}: the reply is malformed: {}", what_, checked.error().message));
    return;
  }
  AgentDirective directive = std::move(reply_->directive);
  AgentReplySink* sink = reply_->sink;
  reply_.reset();
  breaker_->record_success();
  sink->on_done(std::move(directive));
}

void HttpAgent::fail(Errc code, std::string message) {
  AgentReplySink* sink = reply_->sink;
  reply_.reset();
  disarm();
  breaker_->record_failure();
  sink->on_done(make_error(code, "{}", message));
}

}  // namespace voxgate::bot
