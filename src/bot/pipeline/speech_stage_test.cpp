#include "bot/pipeline/speech_stage.hpp"

#include <gtest/gtest.h>

#include "bot/pipeline/pipeline_test_support.hpp"

namespace voxgate::bot {
namespace {

using namespace test;

// Fails the chunk "Two."; otherwise as FakeTts.
class StumblingTts final : public SpeechSynthesizer {
 public:
  [[nodiscard]] int sample_rate() const noexcept override { return kRate; }
  Result<std::vector<std::int16_t>> synthesize(std::string_view text) override {
    if (text == "Two.") return make_error(Errc::Unsupported, "no voice for two");
    return std::vector<std::int16_t>(text.size() * 80, 1000);
  }
};

class SpeechStageTest : public ::testing::Test {
 protected:
  SpeechStageTest() { stage_.connect(out_); }

  ManualClock clock_;
  Recorder events_;
  StumblingTts tts_;
  SpeechStage stage_{tts_, 120, events_, clock_};
  PushedFrames out_;
};

TEST_F(SpeechStageTest, AReplysTextGoesOnFirstThenOneChunkPerSentenceAndOnlyItsFirstStartsTheReply) {
  stage_.process(ReplyStarted{}, Direction::Downstream);
  stage_.process(AgentText{"Welcome. Say sales."}, Direction::Downstream);
  stage_.process(AgentText{"Or support."}, Direction::Downstream);
  EXPECT_EQ(out_.names(), (std::vector<std::string>{"ReplyStarted", "AgentText", "SpeechAudio", "SpeechAudio",
                                                    "AgentText", "SpeechAudio"}));
  const auto audio = out_.of<SpeechAudio>();
  EXPECT_EQ(audio[0].text, "Welcome.");
  EXPECT_EQ(audio[0].pcm.size(), 8U * 80);
  EXPECT_TRUE(audio[0].starts_reply);
  EXPECT_FALSE(audio[1].starts_reply);
  EXPECT_FALSE(audio[2].starts_reply) << "the same reply's next text";
  stage_.process(ReplyStarted{}, Direction::Downstream);
  stage_.process(AgentText{"Goodbye."}, Direction::Downstream);
  EXPECT_TRUE(out_.of<SpeechAudio>().back().starts_reply) << "the next reply";
}

TEST_F(SpeechStageTest, ASaysAudioGoesAheadOfItAndAFailedChunkIsLeftOutWithAnError) {
  stage_.process(SayText{"h1", "One. Two. Three."}, Direction::Downstream);
  EXPECT_EQ(out_.names(), (std::vector<std::string>{"SpeechAudio", "SpeechAudio", "SayText"}));
  const auto audio = out_.of<SpeechAudio>();
  EXPECT_EQ(audio[0].text, "One.");
  EXPECT_FALSE(audio[0].reply);
  EXPECT_TRUE(audio[0].starts_reply) << "a say starts a reply of its own for the playout ledger";
  EXPECT_EQ(audio[1].text, "Three.");
  ASSERT_NE(events_.last("bot.error"), nullptr);
  EXPECT_EQ(events_.last("bot.error")->at("message").as_string(), "no voice for two");
}

}  // namespace
}  // namespace voxgate::bot
