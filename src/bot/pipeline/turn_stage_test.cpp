#include "bot/pipeline/turn_stage.hpp"

#include <gtest/gtest.h>

#include "bot/agent/menu_agent.hpp"
#include "bot/pipeline/pipeline_test_support.hpp"

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
using namespace test;

class TurnStageTest : public ::testing::Test {
 protected:
  TurnStageTest() {
    stage_ = std::make_unique<TurnStage>(std::move(*MenuAgent::create(demo_menu())),
                                         TurnConfig{500ms, 200ms, 0, 0ms, "Sorry."}, state_, events_, clock_);
    stage_->connect(out_);
    state_.move_to(BotState::Listening);
  }
  // What PlayoutStage does with the first audio of a reply.
  void bot_speaks() { state_.move_to(BotState::Speaking); }

  ManualClock clock_;
  Recorder events_;
  ConversationState state_{InactivityConfig{}, events_, clock_};
  std::unique_ptr<TurnStage> stage_;
  PushedFrames out_;
};

TEST_F(TurnStageTest, AFinalTranscriptIsATurnForTheAgentWhoseReplyGoesOnAsTextThenItsDirective) {
  stage_->process(FinalTranscript{"sales", clock_.now(), 2ms}, Direction::Downstream);
  const auto names = out_.names();
  ASSERT_GE(names.size(), 5U);
  EXPECT_EQ(names[0], "TurnTaken");
  EXPECT_EQ(names[1], "ReplyStarted");
  EXPECT_EQ(names[2], "AgentText");
  EXPECT_EQ(names[names.size() - 2], "ExpectPhrases^") << "the grammar of the next turn, to RecognitionStage";
  EXPECT_EQ(names.back(), "AgentDone");
  EXPECT_EQ(out_.of<TurnTaken>().front().input, "speech");
  EXPECT_EQ(out_.of<TurnTaken>().front().endpoint, 500ms);
  EXPECT_EQ(out_.of<AgentText>().front().text.rfind("This is sales.", 0), 0U);
  EXPECT_EQ(state_.state(), BotState::Processing) << "Speaking is PlayoutStage's to say";
  EXPECT_EQ(events_.last("bot.transcript")->at("text").as_string(), "sales");
}

TEST_F(TurnStageTest, AFinalTranscriptWhileTheBotSpeaksIsNoTurn) {
  bot_speaks();
  stage_->process(FinalTranscript{"sales", clock_.now(), 2ms}, Direction::Downstream);
  EXPECT_TRUE(out_.frames.empty()) << "too short to have interrupted: a cough";
  EXPECT_EQ(events_.last("bot.transcript"), nullptr);
}

TEST_F(TurnStageTest, SpeechOfTheBargeInLengthInterruptsTheBotAndShorterSpeechDoesNot) {
  bot_speaks();
  stage_->process(CallerAudio{{}, SpeechSoFar{true, 180ms, 0ms}}, Direction::Downstream);
  EXPECT_TRUE(out_.frames.empty());
  stage_->process(CallerAudio{{}, SpeechSoFar{true, 200ms, 0ms}}, Direction::Downstream);
  EXPECT_EQ(out_.names(), std::vector<std::string>{"Interrupt"});
  EXPECT_EQ(out_.of<Interrupt>().front().cause, InterruptCause::BargeIn);
  EXPECT_EQ(state_.state(), BotState::Listening);
}

TEST_F(TurnStageTest, AKeyWhileTheBotSpeaksInterruptsItForgetsTheUtteranceAndIsATurn) {
  bot_speaks();
  stage_->process(Dtmf{'2'}, Direction::Downstream);
  const auto names = out_.names();
  ASSERT_GE(names.size(), 4U);
  EXPECT_EQ(names[0], "Interrupt");
  EXPECT_EQ(names[1], "ResetTurn^") << "to RecognitionStage and VoiceStage";
  EXPECT_EQ(names[2], "TurnTaken");
  EXPECT_EQ(names[3], "ReplyStarted");
  EXPECT_EQ(out_.of<TurnTaken>().front().input, "dtmf");
  EXPECT_EQ(out_.of<AgentText>().front().text.rfind("This is support.", 0), 0U);
}

TEST_F(TurnStageTest, TheLastWordsBeforeAHangUpCannotBeInterrupted) {
  stage_->process(Dtmf{'#'}, Direction::Downstream);
  ASSERT_EQ(out_.of<AgentDone>().back().action, AgentAction::Hangup);
  bot_speaks();
  out_.clear();
  stage_->process(Dtmf{'1'}, Direction::Downstream);
  stage_->process(CallerAudio{{}, SpeechSoFar{true, 400ms, 0ms}}, Direction::Downstream);
  EXPECT_TRUE(out_.frames.empty());
  EXPECT_EQ(state_.state(), BotState::Speaking);
}

TEST_F(TurnStageTest, TheCallsEndGoesOnAndEndsTheSession) {
  stage_->process(End{}, Direction::Downstream);
  EXPECT_EQ(out_.names(), std::vector<std::string>{"End"}) << "PlayoutStage interrupts the says still queued";
  EXPECT_EQ(state_.state(), BotState::Ended);
}

}  // namespace
}  // namespace voxgate::bot
