#pragma once
// The tables of the agents that call out: [bot.http], the HTTP agent
// (`[bot] agent = "http"`, bot/agent/http_agent.hpp, docs/BOT.md "HTTP
// agent"), and [bot.websocket]. Every key but url has a default:
//
//   [bot.http]
//   url = "http://127.0.0.1:9000/turn"   # required with agent = "http"; http:// only
//   timeout_ms = 2000          # per attempt, until the response head
//   reply_timeout_ms = 15000   # a whole reply: attempts, back-off and the streamed body
//   retries = 2                # after the first attempt: connect errors, timeouts, 5xx, 429
//   backoff_ms = 200           # before the first retry, doubling
//   max_backoff_ms = 2000
//   breaker_failures = 3       # failed turns in a row that open the breaker (0: never)
//   breaker_open_ms = 10000    # how long it stays open before a trial request
//   headers = { Authorization = "Bearer ..." }   # sent with every request
//
//   [bot.websocket]
//   url = "ws://127.0.0.1:9000/agent"    # required with agent = "websocket"
//   timeout_ms = 2000          # a request until the reply's first part
//   reply_timeout_ms = 15000   # a request until its last part
#include "app/toml_table_reader.hpp"
#include "bot/agent/http_agent_config.hpp"
#include "bot/agent/websocket_agent.hpp"

namespace voxgate::app {

// Reads [bot.http] of the [bot] table into `http`; errors name the key.
// `required`: agent = "http", so the url must be there.
Result<void> read_bot_http(TableReader& bot_table, bot::HttpAgentConfig& http, bool required);

// Reads [bot.websocket] (`[bot] agent = "websocket"`, docs/BOT.md
// "WebSocket agent"): url (ws://, required with that agent), timeout_ms,
// reply_timeout_ms.
Result<void> read_bot_websocket(TableReader& bot_table, bot::WebSocketAgentConfig& websocket, bool required);

}  // namespace voxgate::app
