#include "bot/agent/echo_transcript_agent.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

struct EchoReply final : AgentReplySink {
  std::string text;
  std::optional<Result<AgentDirective>> done;
  void on_text(std::string chunk) override { text += chunk; }
  void on_done(Result<AgentDirective> directive) override { done = std::move(directive); }
};

TEST(EchoTranscriptAgent, SaysBackTheTranscriptOrTheKeyAndKeepsExpectingItsVocabulary) {
  EchoTranscriptAgent agent({"sales", "support"});
  EchoReply said;
  agent.respond(AgentTurn{"support", std::nullopt}, said);
  EXPECT_EQ(said.text, "You said support.");
  ASSERT_TRUE(said.done && *said.done);
  EXPECT_EQ((*said.done)->expected, (std::vector<std::string>{"sales", "support"}));
  EchoReply pressed;
  agent.respond(AgentTurn{"", '7'}, pressed);
  EXPECT_EQ(pressed.text, "You pressed 7.");
  EchoReply nothing;
  agent.respond(AgentTurn{"", std::nullopt}, nothing);
  EXPECT_EQ(nothing.text, "I heard nothing I know.");
}

}  // namespace
}  // namespace voxgate::bot
