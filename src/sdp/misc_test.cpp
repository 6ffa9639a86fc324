// Codec, LocalMediaConfig validation and session id sources.

#include <gtest/gtest.h>

#include <set>

#include "sdp/codec.hpp"
#include "sdp/local_media.hpp"
#include "sdp/session_id_source.hpp"
#include "sdp/test_helpers.hpp"

namespace voxgate::sdp {
namespace {

TEST(Codec, DefaultsArePcmuPcmaAndTelephoneEvent) {
  const std::vector<Codec> codecs = default_audio_codecs();
  ASSERT_EQ(codecs.size(), 3u);
  EXPECT_EQ(codecs[0], (Codec{"PCMU", 8000, 1, 0, ""}));
  EXPECT_EQ(codecs[1], (Codec{"PCMA", 8000, 1, 8, ""}));
  EXPECT_EQ(codecs[2], (Codec{"telephone-event", 8000, 1, 101, "0-16"}));
  EXPECT_EQ(describe(codecs), "PCMU/8000, PCMA/8000, telephone-event/8000");
}

TEST(Codec, TelephoneEventAndComfortNoiseDoNotCarryAudio) {
  EXPECT_FALSE((Codec{"telephone-event", 8000, 1, 101, ""}).carries_audio());
  EXPECT_FALSE((Codec{"CN", 8000, 1, 13, ""}).carries_audio());
  EXPECT_TRUE((Codec{"PCMU", 8000, 1, 0, ""}).carries_audio());
}

TEST(Codec, MatchesNameCaseInsensitivelyWithRateAndChannels) {
  const Codec pcmu{"PCMU", 8000, 1, 0, ""};
  EXPECT_TRUE(pcmu.matches(RtpMap{96, "pcmu", 8000, std::nullopt}));
  EXPECT_TRUE(pcmu.matches(RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_FALSE(pcmu.matches(RtpMap{0, "PCMU", 16000, std::nullopt}));
  EXPECT_FALSE(pcmu.matches(RtpMap{0, "PCMU", 8000, 2}));
  const Codec opus{"opus", 48000, 2, 111, ""};
  EXPECT_TRUE(opus.matches(*parse_rtpmap("96 OPUS/48000/2")));
  EXPECT_EQ(opus.describe(), "opus/48000/2");
}

TEST(LocalMediaConfig, ValidatesWhatAnSdpNeeds) {
  EXPECT_TRUE(validate(test::local_config()).has_value());
  auto expect_invalid = [](const LocalMediaConfig& c, std::string_view message) {
    auto ok = validate(c);
    ASSERT_FALSE(ok.has_value());
    EXPECT_EQ(ok.error().code, Errc::InvalidArgument);
    EXPECT_EQ(ok.error().message, message);
  };
  LocalMediaConfig c = test::local_config();
  c.address = "999.1.1.1";
  expect_invalid(c, "local media: invalid IP4 address \"999.1.1.1\"");
  c = test::local_config();
  c.address_type = AddressType::IP6;
  expect_invalid(c, "local media: invalid IP6 address \"192.0.2.10\"");
  c = test::local_config();
  c.ptime_ms = 0;
  expect_invalid(c, "local media: ptime 0");
  c = test::local_config();
  c.codecs.clear();
  expect_invalid(c, "local media: no codec that carries audio");
  c = test::local_config();
  c.codecs.push_back(Codec{"G729", 8000, 1, 8, ""});
  expect_invalid(c, "local media: payload type 8 invalid or used twice");
  c = test::local_config();
  c.codecs.push_back(Codec{"G729", 8000, 1, 200, ""});
  expect_invalid(c, "local media: payload type 200 invalid or used twice");
  c = test::local_config();
  c.codecs.push_back(Codec{"bad name", 8000, 1, 18, ""});
  expect_invalid(c, "local media: invalid codec \"bad name/8000\"");
  c = test::local_config();
  c.username = "two words";
  expect_invalid(c, "local media: invalid o= username \"two words\"");
  c = test::local_config();
  c.session_name = "line\r\nbreak";
  expect_invalid(c, R"(local media: invalid session name "line\x0d\x0abreak")");
  c = test::local_config();
  c.address = "media.example.com";
  EXPECT_TRUE(validate(c).has_value());
}

TEST(RandomSessionIdSource, GivesNonZeroIdsBelow2To62) {
  RandomSessionIdSource ids;
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t id = ids.next_session_id();
    EXPECT_GT(id, 0u);
    EXPECT_LT(id, std::uint64_t{1} << 62U);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomSessionIdSource, IsReproducibleFromASeed) {
  RandomSessionIdSource a(42);
  RandomSessionIdSource b(42);
  RandomSessionIdSource c(43);
  const std::uint64_t first = a.next_session_id();
  EXPECT_EQ(first, b.next_session_id());
  EXPECT_NE(first, c.next_session_id());
}

}  // namespace
}  // namespace voxgate::sdp
