// SDP as deployed peers send it (src/sdp/testdata, byte for byte): every one
// parses, survives a serialize/parse round trip, and gets the answer we
// expect from OfferAnswerSession.

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "sdp/attributes.hpp"
#include "sdp/offer_answer.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sdp/test_helpers.hpp"
#include "support/test_data.hpp"

namespace voxgate::sdp {
namespace {

std::filesystem::path testdata() {
  return voxgate::test::source_dir() / "src/sdp/testdata";
}

std::string read_sample(std::string_view name) {
  return voxgate::test::read_file(testdata() / std::string(name));
}

TEST(RealWorldSdp, EverySampleParsesAndRoundTrips) {
  const auto files = voxgate::test::list_files(testdata());
  ASSERT_GE(files.size(), 10u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto first = parse_sdp(voxgate::test::read_file(file));
    ASSERT_TRUE(first.has_value()) << first.error().message;
    const std::string text = serialize(*first);
    const auto second = parse_sdp(text);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_EQ(*second, *first);
    EXPECT_EQ(serialize(*second), text);
  }
}

TEST(RealWorldSdp, CanonicalSamplesSerializeToTheirOwnBytes) {
  for (std::string_view name : {"sipp_uac.sdp", "baresip.sdp", "linphone.sdp", "asterisk.sdp", "freeswitch.sdp",
                                "webrtc_chrome.sdp", "rfc4566_example.sdp", "cisco_gw.sdp"}) {
    const std::string text = read_sample(name);
    EXPECT_EQ(serialize(test::parse_ok(text)), text) << name;
  }
}

struct Expected {
  std::string_view file;
  std::optional<std::string_view> codec;  // nullopt: the offer is rejected
  std::uint8_t payload_type = 0;
  std::optional<std::uint8_t> telephone_event;
  std::string_view answer_formats;
  std::string_view rejection;  // start of the rejection reason
};

TEST(RealWorldSdp, EachSampleGetsTheAnswerWeExpect) {
  const Expected cases[] = {
      {"sipp_uac.sdp", "PCMU", 0, std::nullopt, "0", ""},
      {"baresip.sdp", "PCMU", 0, 101, "0 8 101", ""},
      {"linphone.sdp", "PCMU", 0, 100, "0 8 100", ""},  // telephone-event/8000 is 100 there
      {"asterisk.sdp", "PCMA", 8, 101, "8 0 101", ""},  // the offerer prefers PCMA
      {"freeswitch.sdp", "PCMU", 0, 101, "0 8 101", ""},
      {"cisco_gw.sdp", "PCMU", 0, 101, "0 101", ""},
      {"ipv6.sdp", "PCMU", 0, 101, "0 101", ""},
      {"rfc4566_example.sdp", "PCMU", 0, std::nullopt, "0", ""},
      {"rfc2543_hold.sdp", "PCMU", 0, std::nullopt, "0", ""},
      {"sloppy_lf.sdp", "PCMA", 8, std::nullopt, "8 0", ""},
      {"webrtc_chrome.sdp", std::nullopt, 0, std::nullopt, "",
       "no acceptable media: m=audio (line 1): transport UDP/TLS/RTP/SAVPF not supported"},
  };
  for (const Expected& e : cases) {
    SCOPED_TRACE(std::string(e.file));
    OfferAnswerSession session = test::make_session();
    ASSERT_TRUE(session.receive_offer(test::parse_ok(read_sample(e.file))).has_value());
    auto answer = session.create_answer();
    if (!e.codec) {
      ASSERT_FALSE(answer.has_value());
      EXPECT_EQ(answer.error().code, Errc::Unsupported);
      EXPECT_EQ(answer.error().message.substr(0, e.rejection.size()), e.rejection) << answer.error().message;
      continue;
    }
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    const NegotiatedStream* audio = answer->media.audio();
    ASSERT_NE(audio, nullptr);
    EXPECT_EQ(audio->codec.encoding_name, *e.codec);
    EXPECT_EQ(audio->codec.send_payload_type, e.payload_type);
    EXPECT_EQ(audio->telephone_event.has_value(), e.telephone_event.has_value());
    if (audio->telephone_event && e.telephone_event) {
      EXPECT_EQ(audio->telephone_event->send_payload_type, *e.telephone_event);
    }
    std::string formats;
    for (const std::string& f : answer->sdp.media[audio->m_line].formats) formats += (formats.empty() ? "" : " ") + f;
    EXPECT_EQ(formats, e.answer_formats);
    // Same number of m= lines, same media types, in the same order.
    const SessionDescription& offer = *session.remote_description();
    ASSERT_EQ(answer->sdp.media.size(), offer.media.size());
    for (std::size_t i = 0; i < offer.media.size(); ++i) EXPECT_EQ(answer->sdp.media[i].media, offer.media[i].media);
  }
}

TEST(RealWorldSdp, FreeSwitchRtcpAttributeIsHonoured) {
  OfferAnswerSession session = test::make_session();
  ASSERT_TRUE(session.receive_offer(test::parse_ok(read_sample("freeswitch.sdp"))).has_value());
  auto answer = session.create_answer();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->media.audio()->remote_rtcp, (TransportAddress{AddressType::IP4, "198.51.100.7", 24659}));
}

TEST(RealWorldSdp, Ipv6SampleGivesIpv6AddressesAndItsPtime) {
  OfferAnswerSession session = test::make_session();
  ASSERT_TRUE(session.receive_offer(test::parse_ok(read_sample("ipv6.sdp"))).has_value());
  auto answer = session.create_answer();
  ASSERT_TRUE(answer.has_value());
  const NegotiatedStream& s = *answer->media.audio();
  EXPECT_EQ(s.remote_rtp, (TransportAddress{AddressType::IP6, "2001:db8::2", 49174}));
  EXPECT_EQ(s.remote_rtcp, (TransportAddress{AddressType::IP6, "2001:db8::3", 49175}));
  EXPECT_EQ(s.ptime_ms, 30u);
}

TEST(RealWorldSdp, Rfc4566ExampleIsRecvonlySoWeOnlySend) {
  OfferAnswerSession session = test::make_session();
  ASSERT_TRUE(session.receive_offer(test::parse_ok(read_sample("rfc4566_example.sdp"))).has_value());
  auto answer = session.create_answer();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->media.audio()->direction, Direction::SendOnly);  // session-level a=recvonly
  EXPECT_EQ(answer->sdp.media[1].port, 0);                           // video rejected
}

TEST(RealWorldSdp, WebRtcSampleKeepsEveryAttribute) {
  const SessionDescription sdp = test::parse_ok(read_sample("webrtc_chrome.sdp"));
  ASSERT_EQ(sdp.media.size(), 3u);
  EXPECT_EQ(sdp.media[0].transport(), TransportProtocol::UdpTlsRtpSavpf);
  EXPECT_TRUE(has_rtcp_mux(sdp.media[0]));
  EXPECT_EQ(sdp.media[0].attributes.size(), 28u);
  EXPECT_EQ(sdp.find_attribute("group")->value, "BUNDLE 0 1 2");
  EXPECT_EQ(sdp.media[2].formats, (std::vector<std::string>{"webrtc-datachannel"}));
}

}  // namespace
}  // namespace voxgate::sdp
