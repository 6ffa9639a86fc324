#include "bot/pipeline/recognition_stage.hpp"

#include <gtest/gtest.h>

#include "bot/pipeline/pipeline_test_support.hpp"

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
using namespace test;

class RecognitionStageTest : public ::testing::Test {
 protected:
  RecognitionStageTest() {
    auto stt = std::make_unique<FakeStt>(&caller_says_);
    stt_ = stt.get();
    stage_ = std::make_unique<RecognitionStage>(std::move(stt), 2, state_, events_, clock_);
    stage_->connect(out_);
  }
  void audio(int frames) {
    for (int i = 0; i < frames; ++i) {
      stage_->process(CallerAudio{std::vector<std::int16_t>(kFrame, 3000), {}}, Direction::Downstream);
    }
  }

  ManualClock clock_;
  Recorder events_;
  ConversationState state_{InactivityConfig{}, events_, clock_};
  std::string caller_says_;
  FakeStt* stt_ = nullptr;
  std::unique_ptr<RecognitionStage> stage_;
  PushedFrames out_;
};

TEST_F(RecognitionStageTest, AnUtteranceStartsWithThePreRollAndEndsInAFinalTranscript) {
  audio(5);
  EXPECT_TRUE(out_.frames.empty()) << "outside an utterance the audio is kept, not passed on";
  stage_->process(SpeechStarted{}, Direction::Downstream);
  EXPECT_EQ(stt_->fed, 3 * kFrame) << "the pre-roll (2 frames) and the frame speech started with";
  audio(2);
  EXPECT_EQ(stt_->fed, 5 * kFrame);
  caller_says_ = "sales";
  stage_->process(SpeechStopped{}, Direction::Downstream);
  EXPECT_EQ(out_.names(), (std::vector<std::string>{"SpeechStarted", "CallerAudio", "CallerAudio", "FinalTranscript"}));
  EXPECT_EQ(out_.of<FinalTranscript>().front().text, "sales");
}

TEST_F(RecognitionStageTest, InterimTranscriptsGoOnOnlyWhenTheHypothesisChanges) {
  stage_->process(SpeechStarted{}, Direction::Downstream);
  stt_->interim = "sales";
  audio(3);
  stt_->interim = "sales please";
  audio(1);
  const auto interims = out_.of<InterimTranscript>();
  ASSERT_EQ(interims.size(), 2U);
  EXPECT_EQ(interims[0].text, "sales");
  EXPECT_EQ(interims[1].text, "sales please");
}

TEST_F(RecognitionStageTest, SpeechWhileTheBotIsProcessingATurnOpensNoUtterance) {
  state_.move_to(BotState::Listening);
  state_.move_to(BotState::Processing);
  audio(3);
  stage_->process(SpeechStarted{}, Direction::Downstream);
  audio(3);
  stage_->process(SpeechStopped{}, Direction::Downstream);
  EXPECT_EQ(out_.names(), std::vector<std::string>{"SpeechStarted"});
  EXPECT_EQ(stt_->fed, 0U);
}

TEST_F(RecognitionStageTest, AResetCancelsTheUtteranceAndExpectedPhrasesReachTheRecogniser) {
  stage_->process(SpeechStarted{}, Direction::Downstream);
  stage_->process(ResetTurn{}, Direction::Upstream);
  stage_->process(SpeechStopped{}, Direction::Downstream);
  EXPECT_TRUE(out_.of<FinalTranscript>().empty());
  EXPECT_EQ(out_.names().back(), "ResetTurn^") << "on to VoiceStage";
  stage_->process(ExpectPhrases{{"sales", "support"}}, Direction::Upstream);
  EXPECT_EQ(stt_->expected, (std::vector<std::string>{"sales", "support"}));
  EXPECT_EQ(out_.names().back(), "ResetTurn^") << "ExpectPhrases ends here";
}

}  // namespace
}  // namespace voxgate::bot
