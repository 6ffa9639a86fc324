#include "bot/pipeline/voice_stage.hpp"

#include <gtest/gtest.h>

#include "bot/pipeline/pipeline_test_support.hpp"

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;
using namespace test;

class VoiceStageTest : public ::testing::Test {
 protected:
  VoiceStageTest() { stage_.connect(out_); }
  // `duration` of caller frames, speech or silence.
  void caller(std::chrono::milliseconds duration, bool speech) {
    for (auto t = 0ms; t < duration; t += 20ms) {
      stage_.process(CallerAudio{std::vector<std::int16_t>(kFrame, speech ? 3000 : 0), {}}, Direction::Downstream);
    }
  }

  VoiceStage stage_{std::make_unique<FakeVad>(), EndpointerConfig{}};
  PushedFrames out_;
};

TEST_F(VoiceStageTest, EachFrameGoesOnWithTheUtteranceSoFarAndSpeechStartAndTurnEndFollowTheirFrames) {
  caller(80ms, true);
  EXPECT_EQ(out_.names(), std::vector<std::string>(4, "CallerAudio")) << "80 ms is not yet speech (100 ms)";
  out_.clear();
  caller(20ms, true);
  EXPECT_EQ(out_.names(), (std::vector<std::string>{"CallerAudio", "SpeechStarted"}));
  EXPECT_TRUE(out_.of<CallerAudio>().front().speech.in_speech);
  EXPECT_EQ(out_.of<CallerAudio>().front().speech.duration, 100ms);
  out_.clear();
  caller(480ms, false);
  EXPECT_TRUE(out_.of<SpeechStopped>().empty());
  EXPECT_EQ(out_.of<CallerAudio>().back().speech.trailing_silence, 480ms);
  out_.clear();
  caller(20ms, false);
  EXPECT_EQ(out_.names(), (std::vector<std::string>{"CallerAudio", "SpeechStopped"})) << "500 ms of silence";
}

TEST_F(VoiceStageTest, AResetForgetsTheUtteranceUnderWayAndGoesOnUpstream) {
  caller(200ms, true);
  out_.clear();
  stage_.process(ResetTurn{}, Direction::Upstream);
  EXPECT_EQ(out_.names(), std::vector<std::string>{"ResetTurn^"});
  caller(600ms, false);
  EXPECT_TRUE(out_.of<SpeechStopped>().empty()) << "no utterance, no end of turn";
}

}  // namespace
}  // namespace voxgate::bot
