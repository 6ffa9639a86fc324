#include "app/stream_config.hpp"

#include <gtest/gtest.h>

#include "app/config.hpp"

namespace voxgate::app {
namespace {

std::string stream_error_of(std::string_view toml) {
  auto config = parse_config(toml);
  return config ? std::string("(parsed)") : config.error().message;
}

TEST(StreamConfig, ReadsEveryKey) {
  auto config = parse_config(R"(
[media]
app = "stream"
[stream]
url = "ws://127.0.0.1:8765/media"
profile = "l16"
l16_rate = 16000
parameters = { tenant = "acme" }
account_sid = "AC11111111111111111111111111111111"
watermarks = false
max_queue_ms = 30000
high_watermark_ms = 4000
low_watermark_ms = 500
connect_timeout_ms = 1500
on_disconnect = "bot"
disconnect_prompt = ""
)");
  ASSERT_TRUE(config) << config.error().message;
  const auto& stream = config->stream;
  EXPECT_EQ(stream.url, "ws://127.0.0.1:8765/media");
  EXPECT_EQ(stream.profile, bot::StreamProfile::L16);
  EXPECT_EQ(stream.l16_rate, 16000);
  EXPECT_EQ(stream.parameters, (std::map<std::string, std::string>{{"tenant", "acme"}}));
  EXPECT_EQ(stream.account_sid, "AC11111111111111111111111111111111");
  EXPECT_EQ(stream.watermarks, false);
  EXPECT_EQ(stream.max_queue, std::chrono::milliseconds(30000));
  EXPECT_EQ(stream.high_watermark, std::chrono::milliseconds(4000));
  EXPECT_EQ(stream.low_watermark, std::chrono::milliseconds(500));
  EXPECT_EQ(stream.connect_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(stream.on_disconnect, bot::StreamDisconnectAction::Bot);
  EXPECT_EQ(stream.disconnect_prompt, "");
  EXPECT_TRUE(uses_stream(*config));
  EXPECT_TRUE(uses_bot(*config)) << "on_disconnect = \"bot\" needs the embedded bot";
}

TEST(StreamConfig, WatermarksDefaultOnForL16AndOffForTwilio) {
  auto twilio = parse_config("[stream]\nurl = \"ws://127.0.0.1:1/\"\n");
  ASSERT_TRUE(twilio);
  EXPECT_EQ(twilio->stream.watermarks, false);
  auto l16 = parse_config("[stream]\nurl = \"ws://127.0.0.1:1/\"\nprofile = \"l16\"\n");
  ASSERT_TRUE(l16);
  EXPECT_EQ(l16->stream.watermarks, true);
}

TEST(StreamConfig, MistakesAreNamed) {
  EXPECT_EQ(stream_error_of("[stream]\nprofile = \"fax\"\n"),
            "stream.profile: 'fax' is not one of twilio, l16, audiosocket");
  EXPECT_EQ(stream_error_of("[stream]\nl16_rate = 11025\n"), "stream.l16_rate: must be 8000 or 16000");
  EXPECT_EQ(stream_error_of("[stream]\nparameters = { a = 1 }\n"), "stream.parameters.a: must be a string");
  EXPECT_EQ(stream_error_of("[stream]\nhigh_watermark_ms = 100\nlow_watermark_ms = 100\n"),
            "stream.low_watermark_ms: must be below high_watermark_ms");
  EXPECT_EQ(stream_error_of("[stream]\non_disconnect = \"retry\"\n"),
            "stream.on_disconnect: 'retry' is not one of hangup, bot");
  EXPECT_EQ(stream_error_of("[stream]\nurl = \"tcp://127.0.0.1:9\"\n"),
            "stream.url: profile twilio needs a ws:// URL (got 'tcp://127.0.0.1:9')");
  EXPECT_EQ(stream_error_of("[media]\napp = \"stream\"\n"), "stream.url: app \"stream\" needs the bot's URL");
}

TEST(StreamConfig, ARouteMayNameItsOwnBotAndProfile) {
  auto config = parse_config(R"(
[stream]
url = "ws://127.0.0.1:1/default"
[[routes]]
name = "as"
action = "app"
app = "stream"
stream_url = "tcp://127.0.0.1:2"
stream_profile = "audiosocket"
stream_parameters = { team = "support" }
)");
  ASSERT_TRUE(config) << config.error().message;
  const auto settings = stream_settings_for(config->stream, config->routes[0].action.app);
  EXPECT_EQ(settings.url, "tcp://127.0.0.1:2");
  EXPECT_EQ(settings.profile, bot::StreamProfile::AudioSocket);
  EXPECT_EQ(settings.parameters, (std::map<std::string, std::string>{{"team", "support"}}));
  EXPECT_EQ(stream_error_of("[[routes]]\nname = \"r\"\naction = \"app\"\napp = \"stream\"\n"),
            "routes.r: app \"stream\" needs stream_url (here or in [stream])");
  EXPECT_EQ(stream_error_of(
                "[[routes]]\nname = \"r\"\naction = \"app\"\napp = \"stream\"\nstream_url = \"ws://127.0.0.1:1/\"\n"
                "stream_profile = \"audiosocket\"\n"),
            "routes.r.stream_url: profile audiosocket needs a tcp:// URL (got 'ws://127.0.0.1:1/')");
}

}  // namespace
}  // namespace voxgate::app
