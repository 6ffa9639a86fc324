#include "bot/agent/menu_agent.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

// Collects one reply.
struct Reply final : AgentReplySink {
  std::vector<std::string> text;
  std::optional<Result<AgentDirective>> done;
  void on_text(std::string chunk) override { text.push_back(std::move(chunk)); }
  void on_done(Result<AgentDirective> directive) override { done = std::move(directive); }
  [[nodiscard]] const AgentDirective& directive() const { return done->value(); }
};

std::unique_ptr<MenuAgent> demo() {
  auto agent = MenuAgent::create(demo_menu());
  EXPECT_TRUE(agent) << agent.error().message;
  return std::move(*agent);
}

TEST(MenuAgent, GreetsWithTheStartPromptAndExpectsItsPhrases) {
  auto agent = demo();
  Reply reply;
  agent->start(reply);
  ASSERT_EQ(reply.text.size(), 1U);
  EXPECT_NE(reply.text[0].find("Welcome to voxgate"), std::string::npos);
  ASSERT_TRUE(reply.done && reply.done->has_value());
  EXPECT_EQ(reply.directive().action, AgentAction::Continue);
  EXPECT_EQ(reply.directive().expected, (std::vector<std::string>{"sales", "support", "goodbye"}));
}

TEST(MenuAgent, APhraseAnywhereInTheTranscriptSelectsItsChoice) {
  auto agent = demo();
  Reply reply;
  agent->respond(AgentTurn{"Uh, SALES please!", std::nullopt}, reply);
  EXPECT_EQ(agent->state(), "sales");
  ASSERT_EQ(reply.text.size(), 1U);
  EXPECT_NE(reply.text[0].find("This is sales"), std::string::npos);
  EXPECT_EQ(reply.directive().expected, (std::vector<std::string>{"main menu", "goodbye"}));
}

TEST(MenuAgent, AKeySelectsAChoiceToo) {
  auto agent = demo();
  Reply reply;
  agent->respond(AgentTurn{"", '2'}, reply);
  EXPECT_EQ(agent->state(), "support");
  Reply back;
  agent->respond(AgentTurn{"", '0'}, back);
  EXPECT_EQ(agent->state(), "main");
}

TEST(MenuAgent, PhrasesMatchWholeWordsOnly) {
  auto agent = demo();
  Reply reply;
  agent->respond(AgentTurn{"wholesales", std::nullopt}, reply);
  EXPECT_EQ(agent->state(), "main");
  ASSERT_EQ(reply.text.size(), 2U);
  EXPECT_EQ(reply.text[0], "Sorry, I did not get that.");
  EXPECT_NE(reply.text[1].find("Welcome"), std::string::npos) << "the prompt again";
}

TEST(MenuAgent, GoodbyeSaysItsLineAndHangsUp) {
  auto agent = demo();
  Reply reply;
  agent->respond(AgentTurn{"goodbye", std::nullopt}, reply);
  EXPECT_EQ(reply.text, std::vector<std::string>{"Goodbye."});
  EXPECT_EQ(reply.directive().action, AgentAction::Hangup);
}

TEST(MenuAgent, ARepromptSaysTheStatesRepromptOrElseItsPrompt) {
  auto agent = demo();
  Reply first;
  agent->reprompt(first);
  EXPECT_EQ(first.text, std::vector<std::string>{"Are you still there? Say sales, support or goodbye."});
  Reply moved;
  agent->respond(AgentTurn{"", '1'}, moved);
  Reply second;
  agent->reprompt(second);
  EXPECT_EQ(second.text, moved.text);
}

TEST(MenuAgent, ValidationNamesTheStateAndTheProblem) {
  MenuConfig menu = demo_menu();
  menu.states[1].choices[0].next = "nowhere";
  auto refused = MenuAgent::create(menu);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "menu state 'sales', choice 1: next state 'nowhere' does not exist");

  menu = demo_menu();
  menu.states[0].choices[0].phrases = {"Sales"};
  EXPECT_EQ(validate(menu).error().message,
            "menu state 'main', choice 1: phrase 'Sales' must be lower-case words separated by one space");

  menu = demo_menu();
  menu.start = "lobby";
  EXPECT_EQ(validate(menu).error().message, "the menu's start state 'lobby' does not exist");

  menu = demo_menu();
  menu.states[2].name = "sales";
  EXPECT_EQ(validate(menu).error().message, "menu state 'sales' is defined twice");

  menu = demo_menu();
  menu.states[0].choices[2].action = AgentAction::Transfer;
  EXPECT_EQ(validate(menu).error().message, "menu state 'main', choice 3: a transfer needs a target");
}

TEST(NormaliseTranscript, LowersCaseAndKeepsWordsSeparatedByOneSpace) {
  EXPECT_EQ(normalise_transcript("  Sales,  please!! "), "sales please");
  EXPECT_EQ(normalise_transcript("I'd like SUPPORT"), "i'd like support");
  EXPECT_EQ(normalise_transcript("...?"), "");
}

}  // namespace
}  // namespace voxgate::bot
