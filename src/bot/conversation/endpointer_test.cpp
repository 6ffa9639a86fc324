#include "bot/conversation/endpointer.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;

// Feeds `count` frames and returns the events, one per frame.
std::vector<VoiceEvent> feed(Endpointer& endpointer, bool voiced, int count) {
  std::vector<VoiceEvent> events;
  events.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) events.push_back(endpointer.on_frame(voiced));
  return events;
}

int index_of(const std::vector<VoiceEvent>& events, VoiceEvent wanted) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i] == wanted) return static_cast<int>(i);
  }
  return -1;
}

TEST(Endpointer, SpeechStartsAfterMinSpeechOfVoicedFramesInARow) {
  Endpointer endpointer;  // 20 ms frames, 100 ms
  const auto events = feed(endpointer, true, 10);
  EXPECT_EQ(index_of(events, VoiceEvent::SpeechStarted), 4) << "the fifth frame completes 100 ms";
  EXPECT_TRUE(endpointer.in_speech());
}

TEST(Endpointer, AClickShorterThanMinSpeechIsNotSpeech) {
  Endpointer endpointer;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(index_of(feed(endpointer, true, 3), VoiceEvent::SpeechStarted), -1);
    (void)feed(endpointer, false, 1);
  }
  EXPECT_FALSE(endpointer.in_speech());
}

TEST(Endpointer, TheTurnEndsAfterEndSilenceOfSilenceExactlyOnTheFrame) {
  Endpointer endpointer(EndpointerConfig{20ms, 100ms, 500ms});
  (void)feed(endpointer, true, 50);
  EXPECT_EQ(endpointer.speech_duration(), 1000ms);
  const auto events = feed(endpointer, false, 30);
  EXPECT_EQ(index_of(events, VoiceEvent::TurnEnded), 24) << "the 25th silent frame completes 500 ms";
  EXPECT_FALSE(endpointer.in_speech());
}

TEST(Endpointer, APauseShorterThanEndSilenceBelongsToTheTurn) {
  Endpointer endpointer;
  (void)feed(endpointer, true, 20);
  EXPECT_EQ(index_of(feed(endpointer, false, 20), VoiceEvent::TurnEnded), -1);  // 400 ms
  EXPECT_EQ(endpointer.trailing_silence(), 400ms);
  (void)feed(endpointer, true, 5);
  EXPECT_EQ(endpointer.speech_duration(), (20 + 20 + 5) * 20ms);
  EXPECT_EQ(endpointer.trailing_silence(), 0ms);
}

TEST(Endpointer, ResetForgetsTheUtteranceUnderWay) {
  Endpointer endpointer;
  (void)feed(endpointer, true, 10);
  endpointer.reset();
  EXPECT_FALSE(endpointer.in_speech());
  EXPECT_EQ(endpointer.speech_duration(), 0ms);
  EXPECT_EQ(index_of(feed(endpointer, false, 40), VoiceEvent::TurnEnded), -1);
}

}  // namespace
}  // namespace voxgate::bot
