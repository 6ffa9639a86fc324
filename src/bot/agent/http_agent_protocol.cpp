#include "bot/agent/http_agent_protocol.hpp"

#include <utility>

#include <boost/json.hpp>

#include "bot/agent/menu_agent.hpp"

namespace voxgate::bot {
namespace {

Result<AgentAction> action_named(std::string_view name) {
  if (name == "continue") return AgentAction::Continue;
  if (name == "hangup") return AgentAction::Hangup;
  if (name == "transfer") return AgentAction::Transfer;
  return make_error(Errc::InvalidArgument, "\"action\": '{}' is not one of continue, hangup, transfer", name);
}

// The string at `key`, if present; an error when it is not a string.
Result<std::optional<std::string>> string_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  const boost::json::string* text = value->if_string();
  if (text == nullptr) return make_error(Errc::InvalidArgument, "\"{}\" must be a string", key);
  return std::string(text->data(), text->size());
}

Result<std::optional<std::vector<std::string>>> phrases_at(const boost::json::object& object) {
  const boost::json::value* value = object.if_contains("expected");
  if (value == nullptr || value->is_null()) return std::nullopt;
  const boost::json::array* array = value->if_array();
  if (array == nullptr) return make_error(Errc::InvalidArgument, "\"expected\" must be an array of strings");
  std::vector<std::string> phrases;
  for (const boost::json::value& element : *array) {
    const boost::json::string* text = element.if_string();
    if (text == nullptr) return make_error(Errc::InvalidArgument, "\"expected\" must be an array of strings");
    // The recogniser's grammar takes lower-case words (bot/stt).
    std::string phrase = normalise_transcript(std::string_view(text->data(), text->size()));
    if (!phrase.empty()) phrases.push_back(std::move(phrase));
  }
  return phrases;
}

}  // namespace

std::string request_json(const AgentRequest& request) {
  boost::json::object body{
      {"call_id", request.call_id}, {"seq", request.seq}, {"attempt", request.attempt}, {"kind", request.kind}};
  if (request.turn != nullptr) {
    boost::json::object turn{{"transcript", request.turn->transcript}};
    if (request.turn->digit) {
      turn["digit"] = std::string(1, *request.turn->digit);
    } else {
      turn["digit"] = nullptr;
    }
    body["turn"] = std::move(turn);
  }
  if (request.draft) body["draft"] = true;
  return boost::json::serialize(body);
}

Result<ReplyPart> parse_reply_part(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(json, ec);
  if (ec) return make_error(Errc::InvalidArgument, "not JSON ({})", ec.message());
  const boost::json::object* object = value.if_object();
  if (object == nullptr) return make_error(Errc::InvalidArgument, "not a JSON object");
  ReplyPart part;
  auto text = string_at(*object, "text");
  if (!text) return tl::unexpected(text.error());
  if (*text) part.text = std::move(**text);
  auto action = string_at(*object, "action");
  if (!action) return tl::unexpected(action.error());
  if (*action) {
    auto named = action_named(**action);
    if (!named) return tl::unexpected(named.error());
    part.action = *named;
  }
  auto target = string_at(*object, "transfer_target");
  if (!target) return tl::unexpected(target.error());
  part.transfer_target = std::move(*target);
  auto expected = phrases_at(*object);
  if (!expected) return tl::unexpected(expected.error());
  part.expected = std::move(*expected);
  return part;
}

void merge_into(AgentDirective& directive, ReplyPart& part) {
  if (part.action) directive.action = *part.action;
  if (part.transfer_target) directive.transfer_target = std::move(*part.transfer_target);
  if (part.expected) directive.expected = std::move(*part.expected);
}

Result<void> check_directive(const AgentDirective& directive) {
  if (directive.action == AgentAction::Transfer && directive.transfer_target.empty()) {
    return make_error(Errc::InvalidArgument, R"("action": transfer needs a "transfer_target")");
  }
  return {};
}

std::optional<std::string> LineSplitter::next() {
  const std::size_t end = pending_.find('\n', start_);
  if (end == std::string::npos) {
    // Keep only what is not yet a line.
    pending_.erase(0, start_);
    start_ = 0;
    return std::nullopt;
  }
  std::string line = pending_.substr(start_, end - start_);
  start_ = end + 1;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string LineSplitter::rest() {
  std::string line = pending_.substr(start_);
  pending_.clear();
  start_ = 0;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace voxgate::bot
