#include "app/bot_agent_config.hpp"

#include <string>
#include <utility>

namespace voxgate::app {
namespace {

// `headers = { Name = "value", ... }`, in the file's order.
Result<void> read_headers(TableReader& table, bot::HttpAgentConfig& http) {
  const toml::node* node = table.node("headers");
  if (node == nullptr) return {};
  const toml::table* headers = node->as_table();
  if (headers == nullptr) {
    return make_error(Errc::InvalidArgument, "{}: must be a table of strings", table.key_path("headers"));
  }
  http.headers.clear();
  for (const auto& [name, value] : *headers) {
    const auto text = value.value_exact<std::string>();
    if (!text) {
      return make_error(Errc::InvalidArgument, "{}.{}: must be a string", table.key_path("headers"), name.str());
    }
    http.headers.emplace_back(std::string(name.str()), *text);
  }
  return {};
}

}  // namespace

Result<void> read_bot_http(TableReader& bot_table, bot::HttpAgentConfig& http, bool required) {
  auto table = bot_table.table("http");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->string("url", http.url));
  VOXGATE_TRY(table->milliseconds("timeout_ms", http.timeout, 1, 600'000));
  VOXGATE_TRY(table->milliseconds("reply_timeout_ms", http.reply_timeout, 1, 3'600'000));
  VOXGATE_TRY(table->integer("retries", http.retries, 0, 10));
  VOXGATE_TRY(table->milliseconds("backoff_ms", http.backoff, 0, 60'000));
  VOXGATE_TRY(table->milliseconds("max_backoff_ms", http.max_backoff, 0, 600'000));
  VOXGATE_TRY(table->integer("breaker_failures", http.breaker.failure_threshold, 0, 1000));
  VOXGATE_TRY(table->milliseconds("breaker_open_ms", http.breaker.open_for, 1, 3'600'000));
  VOXGATE_TRY(read_headers(*table, http));
  VOXGATE_TRY(table->finish());
  if (!required && http.url.empty()) return {};  // another agent: [bot.http] may stay unset
  if (auto valid = bot::validate(http); !valid) {
    return make_error(valid.error().code, "{}.{}", bot_table.key_path("http"), valid.error().message);
  }
  return {};
}

Result<void> read_bot_websocket(TableReader& bot_table, bot::WebSocketAgentConfig& websocket, bool required) {
  auto table = bot_table.table("websocket");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->string("url", websocket.url));
  VOXGATE_TRY(table->milliseconds("timeout_ms", websocket.timeout, 1, 600'000));
  VOXGATE_TRY(table->milliseconds("reply_timeout_ms", websocket.reply_timeout, 1, 3'600'000));
  VOXGATE_TRY(table->finish());
  if (!required && websocket.url.empty()) return {};  // another agent: [bot.websocket] may stay unset
  if (auto valid = bot::validate(websocket); !valid) {
    return make_error(valid.error().code, "{}.{}", bot_table.key_path("websocket"), valid.error().message);
  }
  return {};
}

}  // namespace voxgate::app
