#pragma once
// What the HTTP agent (http_agent.hpp) is configured with: [bot.http]
// (app/bot_config.cpp, docs/BOT.md). Kept apart from the agent so the
// settings do not bring the HTTP client's headers along.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "bot/agent/circuit_breaker.hpp"

namespace voxgate::bot {

struct HttpAgentConfig {
  std::string url;  // http://host[:port]/path (net::parse_http_url); https is not supported yet
  std::vector<std::pair<std::string, std::string>> headers;  // sent with every request (Authorization, ...)
  std::chrono::milliseconds timeout{2000};                   // per attempt, until the response head
  std::chrono::milliseconds reply_timeout{15000};            // a whole reply, attempts and back-off included
  int retries = 2;                                           // attempts after the first
  std::chrono::milliseconds backoff{200};                    // before the first retry; doubles each time
  std::chrono::milliseconds max_backoff{2000};
  CircuitBreakerConfig breaker;  // the profile's breaker (BotService owns it)
};

// InvalidArgument (Unsupported for https) saying what is wrong: the URL is
// missing or malformed, a header name is not a token, a value holds CR or
// LF, a header belongs to the HTTP client (Connection, Content-Length,
// Transfer-Encoding).
Result<void> validate(const HttpAgentConfig& config);

}  // namespace voxgate::bot
