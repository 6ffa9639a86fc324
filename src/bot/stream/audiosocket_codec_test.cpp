#include "bot/stream/audiosocket_codec.hpp"

#include <gtest/gtest.h>

#include <array>

namespace voxgate::bot {
namespace {

TEST(AudioSocketCodecTest, FramesAreTypeBigEndianLengthAndPayload) {
  const auto frame = audiosocket_frame(AudioSocketType::Dtmf, "7");
  EXPECT_EQ(frame, std::string("\x03\x00\x01\x37", 4));
  const std::array<std::uint8_t, 3> header{0x10, 0x01, 0x40};
  EXPECT_EQ(audiosocket_payload_length(header), 320U);
}

TEST(AudioSocketCodecTest, TheStreamOpensWithAVersion4UuidEndingInTheSessionId) {
  AudioSocketCodec codec;
  StreamStart start;
  start.session_id = 0x0102030405060708ULL;
  const auto opening = codec.start(start);
  ASSERT_EQ(opening.size(), 1U);
  const std::string& frame = opening[0].data;
  ASSERT_EQ(frame.size(), 3U + 16U);
  EXPECT_EQ(frame.substr(0, 3), std::string("\x01\x00\x10", 3));
  EXPECT_EQ(static_cast<std::uint8_t>(frame[3 + 6]) >> 4, 4) << "version 4";
  EXPECT_EQ(static_cast<std::uint8_t>(frame[3 + 8]) >> 6, 2) << "the RFC 9562 variant";
  EXPECT_EQ(frame.substr(3 + 9), std::string("\x02\x03\x04\x05\x06\x07\x08", 7));
}

TEST(AudioSocketCodecTest, AudioGoesAsSlinFramesAndTheCallEndsWithAHangupFrame) {
  AudioSocketCodec codec;
  const std::vector<std::int16_t> frame(160, 0x0102);
  const auto audio = codec.caller_audio(frame);
  ASSERT_EQ(audio.data.size(), 3U + 320U);
  EXPECT_EQ(audio.data.substr(0, 5), std::string("\x10\x01\x40\x02\x01", 5));
  EXPECT_EQ(codec.stop()->data, std::string("\x00\x00\x00", 3));
  EXPECT_FALSE(codec.mark("m", MarkOutcome::Played)) << "AudioSocket has no marks";
}

TEST(AudioSocketCodecTest, TheBotsFramesDecode) {
  AudioSocketCodec codec;
  auto audio = codec.decode({true, std::string("\x10\x00\x02\x05\x00", 5)});
  ASSERT_TRUE(audio);
  EXPECT_EQ(std::get<BotAudio>(audio->front()).pcm, (std::vector<std::int16_t>{5}));
  EXPECT_TRUE(std::holds_alternative<BotHangup>(codec.decode({true, std::string("\x00\x00\x00", 3)})->front()));
  EXPECT_TRUE(codec.decode({true, std::string("\x03\x00\x01\x31", 4)})->empty()) << "the gateway's to send";
  EXPECT_FALSE(codec.decode({true, std::string("\xff\x00\x01\x02", 4)})) << "the bot's error";
  EXPECT_FALSE(codec.decode({true, std::string("\x42\x00\x00", 3)})) << "an unknown type";
  EXPECT_FALSE(codec.decode({true, "\x10"})) << "shorter than a header";
}

}  // namespace
}  // namespace voxgate::bot
