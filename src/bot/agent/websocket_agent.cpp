#include "bot/agent/websocket_agent.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "bot/agent/http_agent_protocol.hpp"

namespace voxgate::bot {

Result<void> validate(const WebSocketAgentConfig& config) {
  if (config.url.empty()) return make_error(Errc::InvalidArgument, "url: required for the websocket agent");
  auto url = net::parse_ws_url(config.url);
  if (!url) return tl::unexpected(url.error());
  return {};
}

WebSocketAgent::WebSocketAgent(boost::asio::io_context& io, WebSocketAgentConfig config, std::string call_id)
    : io_(io), config_(std::move(config)), call_id_(std::move(call_id)), timer_(io) {}

WebSocketAgent::~WebSocketAgent() {
  if (socket_) socket_->detach();
}

void WebSocketAgent::start(AgentReplySink& sink) {
  ask("start", nullptr, sink);
}

void WebSocketAgent::respond(const AgentTurn& turn, AgentReplySink& sink) {
  ask("turn", &turn, sink);
}

void WebSocketAgent::reprompt(AgentReplySink& sink) {
  ask("reprompt", nullptr, sink);
}

void WebSocketAgent::draft(const AgentTurn& turn, AgentReplySink& sink) {
  ask("turn", &turn, sink, true);
  open_draft_ = seq_;
}

void WebSocketAgent::commit_draft() {
  end_draft("commit");
}

void WebSocketAgent::cancel_draft() {
  // Its sink is never called again: a reply still coming is dropped unheard.
  if (open_draft_ && pending_ && pending_->seq == *open_draft_) {
    pending_.reset();
    timer_.cancel();
  }
  end_draft("cancel");
}

void WebSocketAgent::end_draft(std::string_view kind) {
  if (!open_draft_) return;
  const std::uint64_t seq = *open_draft_;
  open_draft_.reset();
  // A connection that broke since took the draft with it; the service
  // hears nothing more of it.
  if (socket_) socket_->send_text(request_json(AgentRequest{call_id_, kind, seq, 1, nullptr}));
}

void WebSocketAgent::ask(std::string_view kind, const AgentTurn* turn, AgentReplySink& sink, bool draft) {
  // A reply under way is replaced (a key pressed while the agent answered).
  pending_ = Pending{&sink, ++seq_, false, {}};
  if (!socket_) connect();
  if (!socket_) return;  // connect() failed it
  socket_->send_text(request_json(AgentRequest{call_id_, kind, seq_, 1, turn, draft}));
  reply_deadline_ = std::chrono::steady_clock::now() + config_.reply_timeout;
  arm(std::min(config_.timeout, config_.reply_timeout));
}

void WebSocketAgent::connect() {
  net::WebSocketClientOptions options;
  options.connect_timeout = config_.timeout;
  net::WebSocketClientCallbacks callbacks;
  callbacks.on_message = [this](bool binary, std::string_view data) {
    if (!binary) on_message(data);
  };
  callbacks.on_closed = [this](const std::string& reason) { on_closed(reason); };
  auto socket = net::WebSocketClient::create(io_, config_.url, std::move(options), std::move(callbacks));
  if (!socket) return fail(socket.error().message);
  socket_ = std::move(*socket);
}

void WebSocketAgent::on_message(std::string_view text) {
  if (!pending_) return;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_object()) return fail(fmt::format("{}: a message that is not a JSON object", config_.url));
  const auto& object = parsed.get_object();
  const auto* seq = object.if_contains("seq");
  if (seq == nullptr || !seq->is_number()) return fail(fmt::format("{}: a reply part without its seq", config_.url));
  if (seq->to_number<std::uint64_t>() != pending_->seq) return;  // an answer to a replaced turn
  auto part = parse_reply_part(text);
  if (!part) return fail(fmt::format("{}: {}", config_.url, part.error().message));
  const auto* done = object.if_contains("done");
  const bool last = done != nullptr && done->is_bool() && done->get_bool();
  merge_into(pending_->directive, *part);
  AgentReplySink& sink = *pending_->sink;
  if (!pending_->spoke) {
    pending_->spoke = true;
    arm(std::chrono::duration_cast<std::chrono::milliseconds>(reply_deadline_ - std::chrono::steady_clock::now()));
  }
  if (!part->text.empty()) sink.on_text(std::move(part->text));
  if (!last || !pending_) return;  // on_text may have ended the call
  auto directive = std::move(pending_->directive);
  pending_.reset();
  timer_.cancel();
  if (auto usable = check_directive(directive); !usable) {
    return sink.on_done(make_error(Errc::InvalidArgument, "{}: {}", config_.url, usable.error().message));
  }
  sink.on_done(std::move(directive));
}

void WebSocketAgent::on_closed(const std::string& reason) {
  socket_.reset();
  if (pending_) fail(reason);
}

void WebSocketAgent::arm(std::chrono::milliseconds after) {
  timer_.expires_after(std::max(after, std::chrono::milliseconds{0}));
  timer_.async_wait([this, alive = std::weak_ptr<char>(alive_), seq = seq_,
                     spoke = pending_ && pending_->spoke](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !pending_ || pending_->seq != seq || pending_->spoke != spoke) return;
    fail(spoke ? fmt::format("{}: the reply was not done within {} ms", config_.url, config_.reply_timeout.count())
               : fmt::format("{}: no reply within {} ms", config_.url, config_.timeout.count()));
  });
}

void WebSocketAgent::fail(std::string message) {
  if (!pending_) return;
  AgentReplySink& sink = *pending_->sink;
  pending_.reset();
  timer_.cancel();
  sink.on_done(make_error(Errc::Io, "{}", message));
}

}  // namespace voxgate::bot
