#include "bot/call/bot_service.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

// A one-state menu that greets with `greeting`.
BotSettings greeting_profile(std::string greeting, FliteOptions::Voice voice = FliteOptions::Voice::Kal) {
  BotSettings settings;
  settings.agent = AgentKind::Menu;
  MenuState state;
  state.name = "hello";
  state.prompt = std::move(greeting);
  state.choices.push_back(MenuChoice{{"bye"}, "", AgentAction::Hangup, "", "Goodbye.", ""});
  settings.menu = MenuConfig{"hello", {state}};
  settings.tts.flite.voice = voice;
  return settings;
}

// What an agent says when it starts: the call's first bot.say.
class FirstWords final : public AgentReplySink {
 public:
  void on_text(std::string chunk) override { text += chunk; }
  void on_done(Result<AgentDirective> /*directive*/) override { done = true; }

  std::string text;
  bool done = false;
};

std::string first_words(BotService& service, std::string_view profile) {
  const BotProfile* chosen = service.profile(profile);
  EXPECT_NE(chosen, nullptr) << profile;
  if (chosen == nullptr) return {};
  auto providers = service.providers_for_call(*chosen, "call-1");
  EXPECT_TRUE(providers) << providers.error().message;
  if (!providers) return {};
  FirstWords words;
  providers->agent->start(words);
  EXPECT_TRUE(words.done);
  return words.text;
}

TEST(BotServiceProfiles, EachProfilesCallsGetThatProfilesAgent) {
  BotProfiles profiles;
  profiles.emplace(std::string(kDefaultBotProfile), greeting_profile("Welcome to the main line."));
  profiles.emplace("sales", greeting_profile("Sales here, how can I help?"));
  auto service = BotService::create(std::move(profiles), Logger());
  ASSERT_TRUE(service) << service.error().message;
  EXPECT_EQ(first_words(**service, "sales"), "Sales here, how can I help?");
  EXPECT_EQ(first_words(**service, kDefaultBotProfile), "Welcome to the main line.");
  EXPECT_EQ(first_words(**service, ""), "Welcome to the main line.") << "\"\" is the default profile";
  EXPECT_EQ((*service)->profile("nobody"), nullptr);
}

TEST(BotServiceProfiles, EqualVoicesAreOneSynthesizerAndOtherVoicesTheirOwn) {
  BotProfiles profiles;
  profiles.emplace(std::string(kDefaultBotProfile), greeting_profile("a"));
  profiles.emplace("same", greeting_profile("b"));
  profiles.emplace("other", greeting_profile("c", FliteOptions::Voice::Kal16));
  auto service = BotService::create(std::move(profiles), Logger());
  ASSERT_TRUE(service) << service.error().message;
  const BotProfile* main = (*service)->profile(kDefaultBotProfile);
  const BotProfile* same = (*service)->profile("same");
  const BotProfile* other = (*service)->profile("other");
  ASSERT_TRUE(main != nullptr && same != nullptr && other != nullptr);
  EXPECT_NE(main->voice, nullptr);
  EXPECT_EQ(main->voice, same->voice);
  EXPECT_NE(main->voice, other->voice);
  EXPECT_NE(main->agent_breaker, same->agent_breaker) << "each profile's agent has its own breaker";
}

TEST(BotServiceProfiles, ABadProfileFailsTheStartNamingItsTable) {
  BotProfiles profiles;
  profiles.emplace(std::string(kDefaultBotProfile), greeting_profile("fine"));
  BotSettings broken = greeting_profile("broken");
  broken.menu.start = "nowhere";
  profiles.emplace("broken", std::move(broken));
  auto service = BotService::create(std::move(profiles), Logger());
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().message.rfind("bots.broken.menu: ", 0), 0U) << service.error().message;

  BotProfiles http;
  BotSettings agent = greeting_profile("x");
  agent.agent = AgentKind::Http;  // no URL: the trial call's agent cannot be made
  http.emplace("web", std::move(agent));
  auto refused = BotService::create(std::move(http), Logger());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.rfind("bots.web: ", 0), 0U) << refused.error().message;
}

}  // namespace
}  // namespace voxgate::bot
