#include "bot/stream/l16_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "bot/stream/base64.hpp"
#include "bot/stream/codec_test_support.hpp"

namespace voxgate::bot {
namespace {

using test::json_of;

TEST(L16CodecTest, ThePreambleCarriesTheCallTheRateAndTheParameters) {
  L16Codec codec({16000, true});
  StreamStart start;
  start.session_id = 7;
  start.call_id = "abc@host";
  start.from = "sip:alice@example.com";
  start.parameters = {{"tenant", "acme"}};
  const auto opening = codec.start(start);
  ASSERT_EQ(opening.size(), 1U);
  const auto preamble = json_of(opening[0]);
  EXPECT_EQ(preamble.at("sampleRate"), 16000);
  EXPECT_EQ(preamble.at("mixType"), "mono");
  EXPECT_EQ(preamble.at("callId"), "abc@host");
  EXPECT_EQ(preamble.at("from"), "sip:alice@example.com");
  EXPECT_EQ(preamble.at("tenant"), "acme");
  EXPECT_EQ(codec.wire_rate(), 16000);
}

TEST(L16CodecTest, AudioIsLittleEndianBinaryBothWays) {
  L16Codec codec({8000, true});
  const std::vector<std::int16_t> frame{1, -2, 0x1234};
  const auto out = codec.caller_audio(frame);
  EXPECT_TRUE(out.binary);
  EXPECT_EQ(out.data, std::string("\x01\x00\xfe\xff\x34\x12", 6));
  auto in = codec.decode(out);
  ASSERT_TRUE(in);
  EXPECT_EQ(std::get<BotAudio>(in->front()).pcm, frame);
  EXPECT_FALSE(codec.decode({true, std::string(3, '\0')})) << "an odd byte count is not L16";
}

TEST(L16CodecTest, MarksComeBackAsPlayoutOrClearedAndWatermarksAsVoxgateQueue) {
  L16Codec codec({8000, true});
  EXPECT_EQ(json_of(*codec.mark("m", MarkOutcome::Played)).at("data"),
            (boost::json::object{{"name", "m"}, {"event", "playout"}}));
  EXPECT_EQ(json_of(*codec.mark("m", MarkOutcome::Cleared)).at("data"),
            (boost::json::object{{"name", "m"}, {"event", "cleared"}}));
  EXPECT_EQ(json_of(*codec.queue_level(true, 1200)).at("data"),
            (boost::json::object{{"level", "high"}, {"queuedMs", 1200}}));
  EXPECT_FALSE(L16Codec({8000, false}).queue_level(true, 1200));
  EXPECT_EQ(json_of(*codec.dtmf('#')).at("dtmf"), "#");
}

TEST(L16CodecTest, TheBotsCommandsDecode) {
  L16Codec codec({8000, true});
  EXPECT_TRUE(std::holds_alternative<BotClear>(codec.decode({false, R"({"type":"killAudio"})"})->front()));
  EXPECT_TRUE(std::holds_alternative<BotHangup>(codec.decode({false, R"({"type":"disconnect"})"})->front()));
  EXPECT_EQ(std::get<BotMark>(codec.decode({false, R"({"type":"mark","data":{"name":"x"}})"})->front()).name, "x");
  const std::vector<std::uint8_t> bytes{0x01, 0x00, 0x02, 0x00};
  auto play = codec.decode(
      {false, R"({"type":"playAudio","data":{"audioContent":")" + base64_encode(bytes) + R"(","sampleRate":8000}})"});
  ASSERT_TRUE(play);
  EXPECT_EQ(std::get<BotAudio>(play->front()).pcm, (std::vector<std::int16_t>{1, 2}));
  EXPECT_FALSE(codec.decode({false, R"({"type":"playAudio","data":{"audioContent":"AAAA","sampleRate":16000}})"}))
      << "another rate than the stream's";
  EXPECT_FALSE(codec.decode({false, R"({"type":"mark","data":{}})"}));
  EXPECT_FALSE(codec.decode({false, R"({"type":"jump"})"}));
}

}  // namespace
}  // namespace voxgate::bot
