#include "bot/pipeline/playout_stage.hpp"

#include <gtest/gtest.h>

#include "bot/pipeline/pipeline_test_support.hpp"

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
using namespace test;

class PlayoutStageTest : public ::testing::Test {
 protected:
  PlayoutStageTest() {
    state_.move_to(BotState::Listening);
    state_.move_to(BotState::Processing);
  }
  void in(Frame frame) { stage_.process(std::move(frame), Direction::Downstream); }
  void report(Frame frame) { stage_.process(std::move(frame), Direction::Upstream); }
  static SpeechAudio chunk(std::string text, bool reply = true) {
    return SpeechAudio{std::move(text), std::vector<std::int16_t>(800, 1000), reply, false, 3ms};
  }

  ManualClock clock_;
  Recorder out_;
  ConversationState state_{InactivityConfig{}, out_, clock_};
  PlayoutStage stage_{state_, out_, clock_};
};

TEST_F(PlayoutStageTest, ChunksAreNumberedAndQueuedAndTheBotListensOnceTheReplysLastChunkWasPlayed) {
  in(ReplyStarted{});
  in(chunk("One."));
  in(chunk("Two."));
  EXPECT_EQ(state_.state(), BotState::Speaking);
  ASSERT_EQ(out_.played.size(), 2U);
  EXPECT_EQ(out_.played[0].chunk, 1U);
  EXPECT_EQ(out_.played[1].chunk, 2U);
  EXPECT_EQ(out_.last("bot.say")->at("text").as_string(), "Two.");
  report(ChunkPlayed{1});
  report(ChunkPlayed{2});
  EXPECT_EQ(state_.state(), BotState::Speaking) << "the agent is not done: more may come";
  in(AgentDone{});
  EXPECT_EQ(state_.state(), BotState::Listening);
}

TEST_F(PlayoutStageTest, AHangUpWaitsForTheLastChunkToBePlayed) {
  in(ReplyStarted{});
  in(chunk("Goodbye."));
  in(AgentDone{AgentAction::Hangup, {}});
  EXPECT_EQ(out_.hangups, 0);
  report(ChunkPlayed{1});
  EXPECT_EQ(out_.hangups, 1);
  EXPECT_EQ(state_.state(), BotState::Ended);
}

TEST_F(PlayoutStageTest, AnInterruptFlushesTheQueueInterruptsItsSaysAndWhatWasHeardIsABargeIn) {
  in(ReplyStarted{});
  in(chunk("Welcome."));
  in(chunk("Hello.", false));
  in(SayText{"h1", "Hello."});
  in(Interrupt{InterruptCause::BargeIn});
  EXPECT_EQ(out_.clears, 1);
  EXPECT_EQ(out_.said(), std::vector<std::string>{"h1=interrupted"});
  HeardReport heard;
  heard.samples_played = 400;
  heard.text_heard = "Welcome.";
  report(Heard{heard, kRate});
  EXPECT_DOUBLE_EQ(out_.last("bot.barge_in")->at("heard_ms").as_double(), 50.0);
}

TEST_F(PlayoutStageTest, ASayIsPlayedOnceItsLastChunkIsAndASayWithNothingToSayAtOnce) {
  in(SayText{"empty", "   "});
  EXPECT_EQ(out_.said(), std::vector<std::string>{"empty=played"});
  in(chunk("One.", false));
  in(chunk("Two.", false));
  in(SayText{"h2", "One. Two."});
  EXPECT_TRUE(stage_.queued("h2"));
  report(ChunkPlayed{1});
  EXPECT_EQ(out_.said().size(), 1U);
  report(ChunkPlayed{2});
  EXPECT_EQ(out_.said(), (std::vector<std::string>{"empty=played", "h2=played"}));
  EXPECT_FALSE(stage_.queued("h2"));
}

TEST_F(PlayoutStageTest, ATurnsLatencyBreakdownIsReportedWhenItsFirstChunkStartsOnTheWire) {
  const auto ended = clock_.now();
  in(TurnTaken{"speech", 500ms, 20ms, ended, false});
  in(ReplyStarted{});
  clock_.advance(120ms);
  in(AgentText{"Hi."});
  in(chunk("Hi."));
  clock_.advance(10ms);
  report(ChunkStarted{1, 4ms});
  const auto* turn = out_.last("bot.turn");
  ASSERT_NE(turn, nullptr);
  EXPECT_DOUBLE_EQ(turn->at("stt_ms").as_double(), 20.0);
  EXPECT_DOUBLE_EQ(turn->at("agent_ms").as_double(), 100.0) << "from the transcript to the agent's first text";
  EXPECT_DOUBLE_EQ(turn->at("tts_ms").as_double(), 3.0);
  EXPECT_DOUBLE_EQ(turn->at("queue_ms").as_double(), 4.0);
  EXPECT_DOUBLE_EQ(turn->at("response_ms").as_double(), 630.0);
}

}  // namespace
}  // namespace voxgate::bot
