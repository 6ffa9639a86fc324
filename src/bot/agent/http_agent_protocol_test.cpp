#include "bot/agent/http_agent_protocol.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace voxgate::bot {
namespace {

TEST(HttpAgentProtocol, RequestCarriesTheCallTheTurnAndWhichAttemptItIs) {
  const AgentTurn spoken{"I want sales", std::nullopt};
  const AgentTurn key{"", '#'};

  EXPECT_EQ(boost::json::parse(request_json(AgentRequest{"abc@host", "start", 1, 1, nullptr})),
            boost::json::parse(R"({"call_id": "abc@host", "seq": 1, "attempt": 1, "kind": "start"})"));
  EXPECT_EQ(boost::json::parse(request_json(AgentRequest{"abc@host", "turn", 2, 3, &spoken})),
            boost::json::parse(R"({"call_id": "abc@host", "seq": 2, "attempt": 3, "kind": "turn",
                                   "turn": {"transcript": "I want sales", "digit": null}})"));
  EXPECT_EQ(boost::json::parse(request_json(AgentRequest{"abc@host", "turn", 3, 1, &key})).at("turn"),
            boost::json::parse(R"({"transcript": "", "digit": "#"})"));
}

TEST(HttpAgentProtocol, ReplyPartReadsEveryFieldAndNormalisesTheExpectedPhrases) {
  auto part = parse_reply_part(
      R"({"text": "Transferring.", "action": "transfer", "transfer_target": "sip:desk@example.com",
          "expected": ["Main Menu", "?!"], "extra": 1})");

  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->text, "Transferring.");
  EXPECT_EQ(part->action, AgentAction::Transfer);
  EXPECT_EQ(part->transfer_target, "sip:desk@example.com");
  EXPECT_EQ(part->expected, std::vector<std::string>{"main menu"});
}

TEST(HttpAgentProtocol, AbsentFieldsLeaveTheDirectiveAsEarlierPartsSetIt) {
  AgentDirective directive;
  auto first = parse_reply_part(R"({"text": "a", "expected": ["yes", "no"]})");
  auto last = parse_reply_part(R"({"action": "hangup", "text": null})");
  ASSERT_TRUE(first && last);

  merge_into(directive, *first);
  merge_into(directive, *last);

  EXPECT_EQ(directive.action, AgentAction::Hangup);
  EXPECT_EQ(directive.expected, (std::vector<std::string>{"yes", "no"}));
  EXPECT_TRUE(last->text.empty());
}

TEST(HttpAgentProtocol, MalformedReplyPartsAreRefusedNamingTheField) {
  EXPECT_EQ(parse_reply_part("[1]").error().message, "not a JSON object");
  EXPECT_EQ(parse_reply_part(R"({"expected": "sales"})").error().message, "\"expected\" must be an array of strings");
  EXPECT_EQ(parse_reply_part(R"({"transfer_target": 7})").error().message, "\"transfer_target\" must be a string");
  EXPECT_EQ(parse_reply_part(R"({"action": "dance"})").error().message,
            "\"action\": 'dance' is not one of continue, hangup, transfer");
  EXPECT_FALSE(parse_reply_part("{\"text\": \"unterminated"));
  AgentDirective transfer;
  transfer.action = AgentAction::Transfer;
  EXPECT_FALSE(check_directive(transfer));
}

TEST(HttpAgentProtocol, LineSplitterYieldsCompleteLinesAcrossPiecesAndTheRestAtTheEnd) {
  LineSplitter lines;
  lines.push("{\"a\":1}\r\n{\"b\"");
  EXPECT_EQ(lines.next(), "{\"a\":1}");
  EXPECT_EQ(lines.next(), std::nullopt);
  lines.push(":2}\n\n{\"c\":");
  EXPECT_EQ(lines.next(), "{\"b\":2}");
  EXPECT_EQ(lines.next(), "");
  EXPECT_EQ(lines.next(), std::nullopt);
  lines.push("3}");
  EXPECT_EQ(lines.rest(), "{\"c\":3}");
  EXPECT_EQ(lines.rest(), "");
}

}  // namespace
}  // namespace voxgate::bot
