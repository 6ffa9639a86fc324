#include "app/config.hpp"

#include <gtest/gtest.h>

namespace voxgate::app {
namespace {

using namespace std::chrono_literals;

TEST(BotHttpConfig, ReadsEveryKeyOfTheHttpAgent) {
  auto config = parse_config(R"(
[bot]
agent = "http"
[bot.http]
url = "http://127.0.0.1:9000/turn"
timeout_ms = 800
reply_timeout_ms = 9000
retries = 4
backoff_ms = 50
max_backoff_ms = 400
breaker_failures = 5
breaker_open_ms = 30000
headers = { Authorization = "Bearer abc", X-Tenant = "acme" }
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->bot.agent, bot::AgentKind::Http);
  const bot::HttpAgentConfig& http = config->bot.http;
  EXPECT_EQ(http.url, "http://127.0.0.1:9000/turn");
  EXPECT_EQ(http.timeout, 800ms);
  EXPECT_EQ(http.reply_timeout, 9000ms);
  EXPECT_EQ(http.retries, 4);
  EXPECT_EQ(http.backoff, 50ms);
  EXPECT_EQ(http.max_backoff, 400ms);
  EXPECT_EQ(http.breaker.failure_threshold, 5);
  EXPECT_EQ(http.breaker.open_for, 30000ms);
  EXPECT_EQ(http.headers,
            (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer abc"}, {"X-Tenant", "acme"}}));
}

TEST(BotHttpConfig, DefaultsAreTheDocumentedOnes) {
  auto config = parse_config("[bot]\nagent = \"http\"\n[bot.http]\nurl = \"http://agent.local/turn\"\n");
  ASSERT_TRUE(config) << config.error().message;
  const bot::HttpAgentConfig& http = config->bot.http;
  EXPECT_EQ(http.timeout, 2000ms);
  EXPECT_EQ(http.reply_timeout, 15000ms);
  EXPECT_EQ(http.retries, 2);
  EXPECT_EQ(http.backoff, 200ms);
  EXPECT_EQ(http.max_backoff, 2000ms);
  EXPECT_EQ(http.breaker.failure_threshold, 3);
  EXPECT_EQ(http.breaker.open_for, 10000ms);
  EXPECT_TRUE(http.headers.empty());
}

TEST(BotHttpConfig, TheHttpAgentNeedsAUrl) {
  auto missing = parse_config("[bot]\nagent = \"http\"\n");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "bot.http.url: required for the HTTP agent");
  EXPECT_TRUE(parse_config("[bot]\nagent = \"menu\"\n[bot.http]\ntimeout_ms = 500\n"))
      << "another agent: no url needed";
}

TEST(BotHttpConfig, MistakesNameTheKey) {
  const auto error = [](std::string_view http_table) {
    auto config = parse_config("[bot]\nagent = \"http\"\n[bot.http]\n" + std::string(http_table));
    return config ? std::string("accepted") : config.error().message;
  };
  EXPECT_EQ(error("url = \"https://agent.example/turn\"\n").rfind("bot.http.url: URL https://agent.example/turn", 0),
            0U)
      << error("url = \"https://agent.example/turn\"\n");
  EXPECT_EQ(error("url = \"ftp://agent.example/\"\n").rfind("bot.http.url: ", 0), 0U);
  EXPECT_EQ(error("url = \"http://a/\"\ntimeout_ms = 0\n"),
            "bot.http.timeout_ms: must be between 1 and 600000 (got 0)");
  EXPECT_EQ(error("url = \"http://a/\"\nretries = -1\n"), "bot.http.retries: must be between 0 and 10 (got -1)");
  EXPECT_EQ(error("url = \"http://a/\"\nheaders = [\"x\"]\n"), "bot.http.headers: must be a table of strings");
  EXPECT_EQ(error("url = \"http://a/\"\nheaders = { X-Count = 3 }\n"), "bot.http.headers.X-Count: must be a string");
  EXPECT_EQ(error("url = \"http://a/\"\nheaders = { Content-Length = \"3\" }\n"),
            "bot.http.headers: Content-Length is set by the HTTP client");
  EXPECT_EQ(error("url = \"http://a/\"\ntimout_ms = 5\n"), "bot.http.timout_ms: unknown setting");
}

TEST(BotWebSocketConfig, ReadsEveryKeyOfTheWebSocketAgent) {
  auto config = parse_config(R"(
[bot]
agent = "websocket"
[bot.websocket]
url = "ws://127.0.0.1:9000/agent"
timeout_ms = 700
reply_timeout_ms = 8000
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->bot.agent, bot::AgentKind::WebSocket);
  EXPECT_EQ(config->bot.websocket.url, "ws://127.0.0.1:9000/agent");
  EXPECT_EQ(config->bot.websocket.timeout, 700ms);
  EXPECT_EQ(config->bot.websocket.reply_timeout, 8000ms);
}

TEST(BotWebSocketConfig, TheWebSocketAgentNeedsAWsUrl) {
  auto missing = parse_config("[bot]\nagent = \"websocket\"\n");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "bot.websocket.url: required for the websocket agent");
  auto http = parse_config("[bot]\nagent = \"websocket\"\n[bot.websocket]\nurl = \"http://127.0.0.1/\"\n");
  ASSERT_FALSE(http);
  EXPECT_NE(http.error().message.find("not a ws:// URL"), std::string::npos) << http.error().message;
  EXPECT_TRUE(parse_config("[bot.websocket]\ntimeout_ms = 100\n")) << "another agent: the table may stay unset";
}

}  // namespace
}  // namespace voxgate::app
