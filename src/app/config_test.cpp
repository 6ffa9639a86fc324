#include "app/config.hpp"

#include <gtest/gtest.h>

namespace voxgate::app {
namespace {

using namespace std::chrono_literals;

TEST(Config, EmptyDocumentGivesTheEmbeddedDefaults) {
  auto config = parse_config("");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->sip.listen.size(), 2U);
  EXPECT_EQ(to_string(config->sip.listen[0]), "udp:127.0.0.1:5060");
  EXPECT_EQ(to_string(config->sip.listen[1]), "tcp:127.0.0.1:5060");
  EXPECT_EQ(config->sip.t1, 500ms);
  EXPECT_EQ(config->sip.t2, 4000ms);
  EXPECT_EQ(config->media.rtp_port_min, 20000);
}

TEST(Config, ReadsEverySection) {
  auto config = parse_config(R"(
worker_threads = 2
[sip]
listen = ["udp:[::1]:5070", "tcp:127.0.0.1:0"]
t1_ms = 50
t2_ms = 400
user_agent = "test"
[limits]
max_calls = 10
per_source_rate = 2.5
retry_after_s = 7
[media]
address = "::1"
rtp_port_min = 40000
rtp_port_max = 40100
codecs = ["PCMA"]
[answer]
delay_ms = 1500
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->worker_threads, 2U);
  EXPECT_EQ(to_string(config->sip.listen[0]), "udp:[::1]:5070");
  EXPECT_EQ(config->sip.listen[1].port, 0);
  EXPECT_EQ(config->sip.t1, 50ms);
  EXPECT_EQ(config->limits.max_calls, 10U);
  EXPECT_DOUBLE_EQ(config->limits.per_source_rate, 2.5);
  EXPECT_EQ(config->limits.retry_after, 7s);
  EXPECT_EQ(config->media.codecs, std::vector<std::string>{"PCMA"});
  EXPECT_EQ(config->answer.answer_delay, 1500ms);
}

TEST(Config, UnknownKeyIsNamedInTheError) {
  auto config = parse_config("[sip]\nt1ms = 5\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, "sip.t1ms: unknown setting");
}

TEST(Config, OutOfRangeValueNamesKeyAndBounds) {
  auto config = parse_config("[sip]\nt1_ms = 0\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, "sip.t1_ms: must be between 1 and 60000 (got 0)");
}

TEST(Config, TheApiThreadsNiceDefaultsToNineteenAndStaysWithinZeroToNineteen) {
  auto defaults = parse_config("");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->api.nice, 19);
  auto zero = parse_config("[api]\nnice = 0\n");
  ASSERT_TRUE(zero) << zero.error().message;
  EXPECT_EQ(zero->api.nice, 0);
  auto negative = parse_config("[api]\nnice = -5\n");
  ASSERT_FALSE(negative) << "a higher priority than the calls' loops is not the API's to take";
  EXPECT_EQ(negative.error().message, "api.nice: must be between 0 and 19 (got -5)");
}

TEST(Config, WrongTypeIsNamed) {
  auto config = parse_config("[media]\nrtp_port_min = \"x\"\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, "media.rtp_port_min: must be an integer");
}

TEST(Config, TomlSyntaxErrorGivesSourceLineAndColumn) {
  auto config = parse_config("[sip\n", "gw.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message.rfind("gw.toml:1:", 0), 0U) << config.error().message;
}

TEST(Config, CrossFieldRulesAreChecked) {
  EXPECT_FALSE(parse_config("[sip]\nt1_ms = 5000\nt2_ms = 4000\n"));
  EXPECT_FALSE(parse_config("[media]\nrtp_port_min = 30000\nrtp_port_max = 20000\n"));
  EXPECT_FALSE(parse_config("[sip]\nlisten = []\n"));
}

TEST(Config, MediaAppSettingsAreRead) {
  auto config = parse_config(R"(
[media]
app = "play"
app_rate = 16000
play_file = "/srv/prompts/welcome.wav"
play_loop = false
record_dir = "/var/lib/voxgate/recordings"
record_stereo = true
media_timeout_ms = 5000
rtcp_mux = false
inband_dtmf = false
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->media.app, MediaAppKind::Play);
  EXPECT_EQ(config->media.app_rate, 16000U);
  EXPECT_EQ(config->media.play_file, "/srv/prompts/welcome.wav");
  EXPECT_FALSE(config->media.play_loop);
  EXPECT_EQ(config->media.record_dir, "/var/lib/voxgate/recordings");
  EXPECT_TRUE(config->media.record_stereo);
  EXPECT_EQ(config->media.media_timeout, 5000ms);
  EXPECT_FALSE(config->media.rtcp_mux);
  EXPECT_FALSE(config->media.inband_dtmf);
}

TEST(Config, TheEmbeddedDefaultAnswersWithTheDemoMenuBotOverEveryCodecWeRun) {
  auto config = parse_config("");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->media.app, MediaAppKind::Bot);
  EXPECT_TRUE(uses_bot(*config));
  EXPECT_EQ(config->bot.agent, bot::AgentKind::Menu);
  EXPECT_EQ(config->bot.menu.start, bot::demo_menu().start);
  EXPECT_EQ(config->bot.conversation.endpointing.end_silence, 500ms);
  EXPECT_EQ(config->media.codecs, (std::vector<std::string>{"PCMU", "PCMA", "G722", "opus", "telephone-event"}));
}

TEST(Config, MediaAppMistakesAreNamed) {
  auto unknown = parse_config("[media]\napp = \"karaoke\"\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "media.app: 'karaoke' is not one of echo, tone, silence, play, record, bot, stream");
  auto no_file = parse_config("[media]\napp = \"play\"\n");
  ASSERT_FALSE(no_file);
  EXPECT_EQ(no_file.error().message, "media.play_file: app \"play\" needs a WAV file");
  auto no_dir = parse_config("[media]\napp = \"record\"\n");
  ASSERT_FALSE(no_dir);
  EXPECT_EQ(no_dir.error().message, "media.record_dir: app \"record\" needs a directory");
  auto not_bool = parse_config("[media]\nrtcp_mux = 1\n");
  ASSERT_FALSE(not_bool);
  EXPECT_EQ(not_bool.error().message, "media.rtcp_mux: must be true or false");
}

TEST(ListenSpec, ParsesTransportAddressAndPort) {
  auto spec = parse_listen_spec("TCP:[::1]:5080");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->transport, sip::TransportKind::Tcp);
  EXPECT_EQ(spec->address, "::1");
  EXPECT_EQ(spec->port, 5080);
}

TEST(ListenSpec, RejectsNamesBadPortsAndUnknownTransports) {
  EXPECT_FALSE(parse_listen_spec("udp:localhost:5060"));
  EXPECT_FALSE(parse_listen_spec("udp:127.0.0.1:65536"));
  EXPECT_FALSE(parse_listen_spec("udp:127.0.0.1:"));
  EXPECT_FALSE(parse_listen_spec("sctp:127.0.0.1:5060"));
  EXPECT_FALSE(parse_listen_spec("udp:[::1:5060"));
  EXPECT_FALSE(parse_listen_spec("127.0.0.1"));
}

TEST(Config, MissingFileIsAnIoError) {
  auto config = load_config_file("/nonexistent/voxgate.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, Errc::Io);
}

}  // namespace
TEST(SessionTimerConfig, DefaultsToSeed000sValuesAndReadsItsSection) {
  auto defaults = parse_config("");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->session_timer.interval, 1800U);
  EXPECT_EQ(defaults->session_timer.min_se, 90U);
  EXPECT_TRUE(defaults->session_timer.prefer_to_refresh);
  auto config = parse_config("[session_timer]\ninterval = 600\nmin_se = 120\nrefresher = \"peer\"\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->session_timer.interval, 600U);
  EXPECT_EQ(config->session_timer.min_se, 120U);
  EXPECT_FALSE(config->session_timer.prefer_to_refresh);
}

TEST(SessionTimerConfig, RefusesAMinSeBelowTheRfcMinimumUnlessATestAllowsIt) {
  auto refused = parse_config("[session_timer]\ninterval = 4\nmin_se = 2\n");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("RFC 4028"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(parse_config("[session_timer]\ninterval = 4\nmin_se = 2\nallow_min_se_below_rfc_minimum = true\n"));
  EXPECT_FALSE(parse_config("[session_timer]\ninterval = 60\nmin_se = 90\n"));  // interval below min_se
  EXPECT_FALSE(parse_config("[session_timer]\nrefresher = \"uac\"\n"));
}

TEST(SessionTimerConfig, Seed000sEnvironmentVariablesOverrideTheFile) {
  auto config = parse_config("");
  ASSERT_TRUE(config);
  const auto env = [](const char* name) -> const char* {
    if (std::string_view(name) == "SESSION_TIMEOUT_SEC") return "0";
    if (std::string_view(name) == "SESSION_MIN_SE") return "120";
    return nullptr;
  };
  ASSERT_TRUE(apply_environment(*config, env));
  EXPECT_EQ(config->session_timer.interval, 0U);
  EXPECT_EQ(config->session_timer.min_se, 120U);
  const auto bad = [](const char* name) -> const char* {
    return std::string_view(name) == "SESSION_MIN_SE" ? "ninety" : nullptr;
  };
  auto refused = apply_environment(*config, bad);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("SESSION_MIN_SE"), std::string::npos);
}

}  // namespace voxgate::app

namespace voxgate::app {
namespace {

using namespace std::chrono_literals;

TEST(BotConfig, EveryConversationSettingIsReadAndAMenuReplacesTheDemo) {
  auto config = parse_config(R"(
[bot]
agent = "menu"
voice = "kal16"
end_silence_ms = 700
min_speech_ms = 120
barge_in_ms = 0
barge_in_words = 2
preemptive_after_ms = 250
reprompt_after_ms = 5000
max_reprompts = 1
hangup_after_ms = 9000
fallback_prompt = "Oops."
[bot.menu]
start = "hello"
[[bot.menu.states]]
name = "hello"
prompt = "Say yes or no."
[[bot.menu.states.choices]]
phrases = ["yes"]
digits = "1"
say = "Good."
action = "hangup"
[[bot.menu.states.choices]]
phrases = ["no"]
action = "transfer"
transfer_to = "sip:desk@example.com"
)");
  ASSERT_TRUE(config) << config.error().message;
  const bot::BotSettings& bot = config->bot;
  EXPECT_EQ(bot.tts.provider, "flite");
  EXPECT_EQ(bot.tts.flite.voice, bot::FliteOptions::Voice::Kal16);
  EXPECT_EQ(bot.conversation.endpointing.end_silence, 700ms);
  EXPECT_EQ(bot.conversation.endpointing.min_speech, 120ms);
  EXPECT_EQ(bot.conversation.barge_in, 0ms);
  EXPECT_EQ(bot.conversation.barge_in_words, 2);
  EXPECT_EQ(bot.conversation.preemptive_after, 250ms);
  EXPECT_EQ(bot.conversation.inactivity.reprompt_after, 5000ms);
  EXPECT_EQ(bot.conversation.inactivity.max_reprompts, 1);
  EXPECT_EQ(bot.conversation.inactivity.hangup_after, 9000ms);
  EXPECT_EQ(bot.conversation.fallback_prompt, "Oops.");
  ASSERT_EQ(bot.menu.states.size(), 1U);
  ASSERT_EQ(bot.menu.states[0].choices.size(), 2U);
  EXPECT_EQ(bot.menu.states[0].choices[0].action, bot::AgentAction::Hangup);
  EXPECT_EQ(bot.menu.states[0].choices[1].transfer_target, "sip:desk@example.com");
}

TEST(BotConfig, MistakesNameTheKey) {
  auto agent = parse_config("[bot]\nagent = \"oracle\"\n");
  ASSERT_FALSE(agent);
  EXPECT_EQ(agent.error().message, "bot.agent: 'oracle' is not one of menu, echo-transcript, http, websocket");
  auto action = parse_config(
      "[bot.menu]\nstart = \"a\"\n[[bot.menu.states]]\nname = \"a\"\nprompt = \"x\"\n"
      "[[bot.menu.states.choices]]\ndigits = \"1\"\naction = \"dance\"\n");
  ASSERT_FALSE(action);
  EXPECT_EQ(action.error().message,
            "bot.menu.states[0].choices[0].action: 'dance' is not one of continue, hangup, transfer");
  auto unknown = parse_config("[bot]\nend_silense_ms = 400\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "bot.end_silense_ms: unknown setting");
  auto next = parse_config(
      "[bot.menu]\nstart = \"a\"\n[[bot.menu.states]]\nname = \"a\"\nprompt = \"x\"\n"
      "[[bot.menu.states.choices]]\ndigits = \"1\"\nnext = \"nowhere\"\n");
  ASSERT_FALSE(next);
  EXPECT_NE(next.error().message.find("bot.menu: "), std::string::npos) << next.error().message;
  auto rate = parse_config("[media]\napp_rate = 48000\n");
  ASSERT_FALSE(rate);
  EXPECT_EQ(rate.error().message, "media.app_rate: the bot runs at 8000 or 16000 Hz (got 48000)");
  EXPECT_TRUE(parse_config("[media]\napp = \"echo\"\napp_rate = 48000\n")) << "no bot, no bot rate rule";
}

TEST(BotConfig, SpeaksWithFliteKalUnlessTold) {
  auto config = parse_config("");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->bot.tts.provider, "flite");
  EXPECT_EQ(config->bot.tts.flite.voice, bot::FliteOptions::Voice::Kal);
}

TEST(BotConfig, ChoosesEspeakNgWithItsVoiceRateAndPitch) {
  auto config = parse_config(R"(
[bot]
tts = "espeak-ng"
voice = "en-gb"
[bot.espeak]
words_per_minute = 150
pitch = 40
)");
  ASSERT_TRUE(config) << config.error().message;
  const bot::TtsSettings& tts = config->bot.tts;
  EXPECT_EQ(tts.provider, "espeak-ng");
  EXPECT_EQ(tts.espeak.voice, "en-gb");
  EXPECT_EQ(tts.espeak.words_per_minute, 150);
  EXPECT_EQ(tts.espeak.pitch, 40);
  auto defaults = parse_config("[bot]\ntts = \"espeak-ng\"\n");
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->bot.tts.espeak.voice, "en-us") << "espeak-ng's voice when none is named";
}

TEST(BotConfig, TtsMistakesNameTheKeyAndTheAcceptedValues) {
  auto provider = parse_config("[bot]\ntts = \"festival\"\n");
  ASSERT_FALSE(provider);
  EXPECT_EQ(provider.error().message, "bot.tts: 'festival' is not one of flite, espeak-ng");
  auto flite_voice = parse_config("[bot]\nvoice = \"en-us\"\n");
  ASSERT_FALSE(flite_voice);
  EXPECT_EQ(flite_voice.error().message, "bot.voice: 'en-us' is not one of kal, kal16 (the flite voices)");
  auto espeak_voice = parse_config("[bot]\ntts = \"espeak-ng\"\nvoice = \"\"\n");
  ASSERT_FALSE(espeak_voice);
  EXPECT_EQ(espeak_voice.error().message, "bot.voice: must name an espeak-ng voice (en-us, en-gb, de, fr, ...)");
  auto rate = parse_config("[bot]\ntts = \"espeak-ng\"\n[bot.espeak]\nwords_per_minute = 1000\n");
  ASSERT_FALSE(rate);
  EXPECT_EQ(rate.error().message, "bot.espeak.words_per_minute: must be between 80 and 450 (got 1000)");
  auto unknown = parse_config("[bot.espeak]\nspeed = 2\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "bot.espeak.speed: unknown setting");
}

}  // namespace
}  // namespace voxgate::app
