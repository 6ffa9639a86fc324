#include "bot/voice/energy_gate.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace voxgate::bot {
namespace {

std::vector<std::int16_t> frame_of(std::int16_t amplitude) {
  std::vector<std::int16_t> frame(160);
  for (std::size_t i = 0; i < frame.size(); ++i)
    frame[i] = i % 2 == 0 ? amplitude : static_cast<std::int16_t>(-amplitude);
  return frame;
}

TEST(EnergyGate, SpeechLevelFramesPassAndTheVadsQuietHangoverIsCut) {
  EnergyGate gate;
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(gate.admit(frame_of(0), false));
  EXPECT_TRUE(gate.admit(frame_of(8000), true));
  EXPECT_TRUE(gate.admit(frame_of(1000), true)) << "a softer syllable, 18 dB down";
  EXPECT_FALSE(gate.admit(frame_of(0), true)) << "digital silence the VAD still calls voice";
  EXPECT_FALSE(gate.admit(frame_of(300), true)) << "28 dB below the peak: the word has ended";
}

TEST(EnergyGate, OnANoisyLineOnlyFramesWellAboveTheNoiseFloorAreSpeech) {
  EnergyGate gate;
  for (int i = 0; i < 100; ++i) gate.admit(frame_of(500), false);
  EXPECT_FALSE(gate.admit(frame_of(600), true)) << "hiss the VAD took for voice";
  EXPECT_TRUE(gate.admit(frame_of(3000), true));
}

TEST(EnergyGate, TheVadsSilenceIsNeverSpeech) {
  EnergyGate gate;
  EXPECT_FALSE(gate.admit(frame_of(20000), false));
}

}  // namespace
}  // namespace voxgate::bot
