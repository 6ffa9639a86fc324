#include "session/stream_config.hpp"

#include <gtest/gtest.h>

namespace voxgate::session {
namespace {

sdp::NegotiatedStream opus_stream() {
  sdp::NegotiatedStream s;
  s.remote_rtp = {sdp::AddressType::IP4, "192.0.2.7", 30000};
  s.remote_rtcp = {sdp::AddressType::IP4, "192.0.2.7", 30001};
  s.codec = {"opus", 48000, 2, 96, 111, "useinbandfec=1"};
  s.telephone_event = sdp::NegotiatedCodec{"telephone-event", 48000, 1, 97, 110, "0-15"};
  s.direction = sdp::Direction::SendOnly;
  return s;
}

TEST(StreamConfig, TranslatesTheNegotiatedStreamIntoMediaTerms) {
  StreamSettings settings;
  settings.media_timeout = std::chrono::milliseconds(7000);
  auto config = make_stream_config(opus_stream(), settings);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->codec, media::CodecId::Opus);
  EXPECT_EQ(config->send_payload_type, 96);      // the peer's number
  EXPECT_EQ(config->receive_payload_type, 111);  // ours
  ASSERT_TRUE(config->telephone_event.has_value());
  EXPECT_EQ(config->telephone_event->send_payload_type, 97);
  EXPECT_EQ(config->telephone_event->receive_payload_type, 110);
  EXPECT_EQ(config->remote_rtp.port(), 30000);
  EXPECT_EQ(config->remote_rtcp.port(), 30001);
  EXPECT_EQ(config->remote_rtp.address().to_string(), "192.0.2.7");
  EXPECT_TRUE(config->send);
  EXPECT_FALSE(config->receive);  // sendonly from our side: the peer holds
  EXPECT_EQ(config->media_timeout, std::chrono::milliseconds(7000));
}

TEST(StreamConfig, RefusesACodecTheMediaEngineDoesNotRun) {
  auto stream = opus_stream();
  stream.codec = {"G729", 8000, 1, 18, 18, ""};
  auto config = make_stream_config(stream, StreamSettings{});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, "the media engine does not run G729/8000");
}

TEST(StreamConfig, RefusesAHostNameForAnAddress) {
  auto stream = opus_stream();
  stream.remote_rtp.address = "media.example.com";
  EXPECT_FALSE(make_stream_config(stream, StreamSettings{}));
}

}  // namespace
}  // namespace voxgate::session
