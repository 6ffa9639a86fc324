#include <gtest/gtest.h>

#include "app/config.hpp"

namespace voxgate::app {
namespace {

using namespace std::chrono_literals;

// The error of a configuration that must not load ("<loaded>" when it does).
std::string profile_config_error(std::string_view toml) {
  auto config = parse_config(toml);
  if (config) return "<loaded>";
  return config.error().message;
}

constexpr std::string_view kTwoProfiles = R"(
[bot]
fallback_prompt = "default fallback"

[bots.sales]
agent = "menu"
end_silence_ms = 900
tts = "espeak-ng"
voice = "en-gb"
[bots.sales.espeak]
pitch = 40
[bots.sales.menu]
start = "hello"
[[bots.sales.menu.states]]
name = "hello"
prompt = "Sales here."

[bots.echo]
agent = "echo-transcript"

[[routes]]
name = "sales"
match = { user = "sales" }
action = "app"
app = "bot"
bot = "sales"

[[routes]]
name = "main"
action = "app"
app = "bot"
)";

TEST(BotProfilesConfig, ReadsEveryBotsTableWithBotsKeys) {
  auto config = parse_config(kTwoProfiles);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->bots.size(), 2U);
  const bot::BotSettings& sales = config->bots.at("sales");
  EXPECT_EQ(sales.agent, bot::AgentKind::Menu);
  EXPECT_EQ(sales.conversation.endpointing.end_silence, 900ms);
  EXPECT_EQ(sales.tts.provider, "espeak-ng");
  EXPECT_EQ(sales.tts.espeak.voice, "en-gb");
  EXPECT_EQ(sales.tts.espeak.pitch, 40);
  EXPECT_EQ(sales.menu.start, "hello");
  ASSERT_EQ(sales.menu.states.size(), 1U);
  EXPECT_EQ(sales.menu.states[0].prompt, "Sales here.");
  EXPECT_EQ(config->bots.at("echo").agent, bot::AgentKind::EchoTranscript);
  EXPECT_EQ(config->bot.conversation.fallback_prompt, "default fallback") << "[bot] stays the default profile";
}

TEST(BotProfilesConfig, AProfileStartsFromTheDefaultsNotFromBot) {
  auto config = parse_config(kTwoProfiles);
  ASSERT_TRUE(config) << config.error().message;
  const bot::BotSettings defaults;
  const bot::BotSettings& echo = config->bots.at("echo");
  EXPECT_EQ(echo.conversation.fallback_prompt, defaults.conversation.fallback_prompt);
  EXPECT_NE(echo.conversation.fallback_prompt, config->bot.conversation.fallback_prompt);
  EXPECT_EQ(echo.conversation.endpointing.end_silence, defaults.conversation.endpointing.end_silence);
  EXPECT_EQ(echo.tts.provider, "flite");
  EXPECT_EQ(echo.menu.start, bot::demo_menu().start);
}

TEST(BotProfilesConfig, WithoutBotsTablesThereAreNoProfilesBesidesTheDefault) {
  auto config = parse_config("[bot]\nagent = \"echo-transcript\"\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->bots.empty());
  EXPECT_EQ(config->bot.agent, bot::AgentKind::EchoTranscript);
}

TEST(BotProfilesConfig, ARoutesBotNamesItsProfileAndNoBotMeansTheDefault) {
  auto config = parse_config(kTwoProfiles);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->routes.size(), 2U);
  EXPECT_EQ(config->routes[0].action.app.bot, std::optional<std::string>("sales"));
  EXPECT_EQ(config->routes[1].action.app.bot, std::nullopt);
}

TEST(BotProfilesConfig, DefaultNamesBotAndMayBeChosenButNotRedefined) {
  EXPECT_EQ(profile_config_error(R"(
[[routes]]
name = "r"
action = "app"
app = "bot"
bot = "default"
)"),
            "<loaded>");
  EXPECT_EQ(profile_config_error("[bots.default]\nagent = \"menu\"\n"), "bots.default: the default profile is [bot]");
}

TEST(BotProfilesConfig, AnUnknownProfileIsAnErrorNamingTheKey) {
  EXPECT_EQ(profile_config_error(R"(
[bots.sales]
[[routes]]
name = "r"
action = "app"
app = "bot"
bot = "salse"
)"),
            "routes[0].bot: \"salse\" is not a bot profile (no [bots.salse])");
  EXPECT_EQ(profile_config_error(R"(
[[routes]]
name = "hook"
action = "webhook"
decision_url = "http://127.0.0.1:9/decide"
fallback = { action = "app", app = "bot", bot = "nobody" }
)"),
            "routes[0].fallback.bot: \"nobody\" is not a bot profile (no [bots.nobody])");
}

TEST(BotProfilesConfig, BotWithAnotherAppIsAnError) {
  EXPECT_EQ(profile_config_error(R"(
[bots.sales]
[[routes]]
name = "r"
action = "app"
app = "tone"
bot = "sales"
)"),
            "routes[0].bot: only with app \"bot\" (this route's app is \"tone\")");
  EXPECT_EQ(profile_config_error(R"(
[bots.sales]
[[routes]]
name = "r"
action = "reject"
status = 486
bot = "sales"
)"),
            "routes[0].bot: not a setting of action \"reject\"");
}

TEST(BotProfilesConfig, AProfilesErrorsNameItsTable) {
  EXPECT_EQ(profile_config_error("[bots.sales]\nagent = \"oracle\"\n"),
            "bots.sales.agent: 'oracle' is not one of menu, echo-transcript, http, websocket");
  EXPECT_EQ(profile_config_error("[bots.sales]\nend_silence_ms = 5\n"),
            "bots.sales.end_silence_ms: must be between 100 and 10000 (got 5)");
  EXPECT_EQ(profile_config_error("[bots.sales]\ncolour = \"red\"\n"), "bots.sales.colour: unknown setting");
  EXPECT_EQ(profile_config_error("[bots.sales]\nagent = \"http\"\n").rfind("bots.sales.http", 0), 0U)
      << profile_config_error("[bots.sales]\nagent = \"http\"\n");
  EXPECT_EQ(profile_config_error("bots = 3\n"), "bots: must be a table of bot profiles ([bots.<name>] sections)");
}

TEST(BotProfilesConfig, AWebhooksDecisionMayNameAProfile) {
  auto decision = parse_route_decision(R"({"action": "app", "app": "bot", "bot": "sales"})");
  ASSERT_TRUE(decision) << decision.error().message;
  EXPECT_EQ(decision->action.app.bot, std::optional<std::string>("sales"));
}

}  // namespace
}  // namespace voxgate::app
