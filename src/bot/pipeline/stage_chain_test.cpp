#include "bot/pipeline/stage_chain.hpp"

#include <gtest/gtest.h>

#include "bot/pipeline/pipeline_test_support.hpp"

namespace voxgate::bot {
namespace {

using test::name_of;

// Logs "<name>:<frame>" for each frame it takes and passes it on; a key
// makes it push ResetTurn back upstream too, as TurnStage does.
class LoggingStage final : public Stage {
 public:
  LoggingStage(std::string name, std::vector<std::string>& log) : name_(std::move(name)), log_(log) {}
  void process(Frame frame, Direction direction) override {
    log_.push_back(name_ + ":" + name_of(frame) + (direction == Direction::Upstream ? "^" : ""));
    const bool key = std::holds_alternative<Dtmf>(frame);
    push(std::move(frame), direction);
    if (key) push(ResetTurn{}, Direction::Upstream);
  }

 private:
  std::string name_;
  std::vector<std::string>& log_;
};

TEST(StageChainTest, FramesGoDownToTheNextStageAndUpToTheOneBeforeAndEndAtEitherEnd) {
  std::vector<std::string> log;
  LoggingStage a("a", log);
  LoggingStage b("b", log);
  LoggingStage c("c", log);
  StageChain chain({&a, &b, &c});
  chain.push_first(Dtmf{'1'});
  EXPECT_EQ(log,
            (std::vector<std::string>{"a:Dtmf", "b:Dtmf", "c:Dtmf", "b:ResetTurn^", "a:ResetTurn^", "a:ResetTurn^"}))
      << "each stage's push runs its neighbour at once: c's Dtmf is handled before a's ResetTurn";
  log.clear();
  chain.push_last(ChunkPlayed{3});
  EXPECT_EQ(log, (std::vector<std::string>{"c:ChunkPlayed^", "b:ChunkPlayed^", "a:ChunkPlayed^"}));
}

TEST(StageChainTest, TheCallersAudioAndWhatIsMadeOfItAreDataTheRestIsSystem) {
  EXPECT_FALSE(is_system(CallerAudio{}));
  EXPECT_FALSE(is_system(FinalTranscript{}));
  EXPECT_FALSE(is_system(AgentText{}));
  EXPECT_FALSE(is_system(SpeechAudio{}));
  EXPECT_TRUE(is_system(Dtmf{'5'}));
  EXPECT_TRUE(is_system(SayText{}));
  EXPECT_TRUE(is_system(Interrupt{InterruptCause::BargeIn}));
  EXPECT_TRUE(is_system(End{}));
  EXPECT_TRUE(is_system(ChunkPlayed{1}));
}

}  // namespace
}  // namespace voxgate::bot
