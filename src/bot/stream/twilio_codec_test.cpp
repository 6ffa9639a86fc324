#include "bot/stream/twilio_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "bot/stream/base64.hpp"
#include "bot/stream/codec_test_support.hpp"

namespace voxgate::bot {
namespace {

using test::json_of;

TwilioCodec codec() {
  TwilioCodecOptions options;
  options.stream_sid = "MZ00000000000000000000000000000001";
  return TwilioCodec(options);
}

StreamStart start() {
  StreamStart call;
  call.session_id = 0x2a;
  call.parameters = {{"tenant", "acme"}};
  return call;
}

TEST(TwilioCodecTest, TheStreamOpensWithConnectedThenStartCarryingTheCallAndTheMediaFormat) {
  auto twilio = codec();
  const auto opening = twilio.start(start());
  ASSERT_EQ(opening.size(), 2U);
  EXPECT_EQ(json_of(opening[0]),
            (boost::json::object{{"event", "connected"}, {"protocol", "Call"}, {"version", "1.0.0"}}));
  const auto begin = json_of(opening[1]);
  EXPECT_EQ(begin.at("event"), "start");
  EXPECT_EQ(begin.at("sequenceNumber"), "1");
  EXPECT_EQ(begin.at("streamSid"), "MZ00000000000000000000000000000001");
  const auto& body = begin.at("start").as_object();
  EXPECT_EQ(body.at("callSid"), "CA0000000000000000000000000000002a");
  EXPECT_EQ(body.at("accountSid"), "AC00000000000000000000000000000000");
  EXPECT_EQ(body.at("tracks"), (boost::json::array{"inbound"}));
  EXPECT_EQ(body.at("customParameters"), (boost::json::object{{"tenant", "acme"}}));
  EXPECT_EQ(body.at("mediaFormat"),
            (boost::json::object{{"encoding", "audio/x-mulaw"}, {"sampleRate", 8000}, {"channels", 1}}));
}

TEST(TwilioCodecTest, CallerAudioIsBase64MulawNumberedByStringSequenceChunkAndTimestamp) {
  auto twilio = codec();
  (void)twilio.start(start());
  const std::vector<std::int16_t> frame(160, 1000);
  const auto first = json_of(twilio.caller_audio(frame));
  const auto second = json_of(twilio.caller_audio(frame));
  EXPECT_EQ(first.at("sequenceNumber"), "2");
  EXPECT_EQ(second.at("sequenceNumber"), "3");
  const auto& media = second.at("media").as_object();
  EXPECT_EQ(media.at("track"), "inbound");
  EXPECT_EQ(media.at("chunk"), "2");
  EXPECT_EQ(media.at("timestamp"), "20");
  auto payload = base64_decode(media.at("payload").as_string());
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->size(), 160U);
}

TEST(TwilioCodecTest, DtmfMarkAndStopHaveTwiliosShapes) {
  auto twilio = codec();
  (void)twilio.start(start());
  EXPECT_EQ(json_of(*twilio.dtmf('5')).at("dtmf"), (boost::json::object{{"track", "inbound_track"}, {"digit", "5"}}));
  EXPECT_EQ(json_of(*twilio.mark("m1", MarkOutcome::Cleared)).at("mark"), (boost::json::object{{"name", "m1"}}));
  EXPECT_EQ(json_of(*twilio.stop()).at("stop"),
            (boost::json::object{{"accountSid", "AC00000000000000000000000000000000"},
                                 {"callSid", "CA0000000000000000000000000000002a"}}));
  EXPECT_FALSE(twilio.queue_level(true, 5000)) << "watermarks are off by default: Twilio has no such event";
}

TEST(TwilioCodecTest, TheBotsMediaMarkAndClearDecode) {
  auto twilio = codec();
  const std::vector<std::uint8_t> mulaw(320, 0xff);  // µ-law silence
  auto media = twilio.decode(
      {false, R"({"event":"media","streamSid":"MZ1","media":{"payload":")" + base64_encode(mulaw) + R"("}})"});
  ASSERT_TRUE(media);
  ASSERT_EQ(media->size(), 1U);
  EXPECT_EQ(std::get<BotAudio>(media->front()).pcm.size(), 320U);
  auto mark = twilio.decode({false, R"({"event":"mark","streamSid":"MZ1","mark":{"name":"end"}})"});
  ASSERT_TRUE(mark);
  EXPECT_EQ(std::get<BotMark>(mark->front()).name, "end");
  auto clear = twilio.decode({false, R"({"event":"clear","streamSid":"MZ1"})"});
  ASSERT_TRUE(clear);
  EXPECT_TRUE(std::holds_alternative<BotClear>(clear->front()));
}

TEST(TwilioCodecTest, MalformedMessagesFromTheBotAreErrorsThatSayWhy) {
  auto twilio = codec();
  EXPECT_FALSE(twilio.decode({true, "\x01\x02"}));
  EXPECT_FALSE(twilio.decode({false, "not json"}));
  EXPECT_EQ(twilio.decode({false, R"({"event":"dance"})"}).error().message, "unknown event 'dance'");
  EXPECT_FALSE(twilio.decode({false, R"({"event":"media","media":{"payload":"abc"}})"}));
  EXPECT_FALSE(twilio.decode({false, R"({"event":"mark","mark":{}})"}));
}

}  // namespace
}  // namespace voxgate::bot
