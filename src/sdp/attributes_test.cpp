#include "sdp/attributes.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sdp/parser.hpp"
#include "sdp/rtpmap.hpp"
#include "sdp/test_helpers.hpp"

namespace voxgate::sdp {
namespace {

using test::parse_ok;

SessionDescription with_media(std::string_view session_attributes, std::string_view media_lines) {
  return parse_ok("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
                  std::string(session_attributes) + "m=audio 4000 RTP/AVP 0 8 96 101\r\n" + std::string(media_lines));
}

// --- rtpmap

TEST(RtpMap, ParsesNameRateAndOptionalChannels) {
  auto map = parse_rtpmap("111 opus/48000/2");
  ASSERT_TRUE(map.has_value());
  EXPECT_EQ(map->payload_type, 111);
  EXPECT_EQ(map->encoding_name, "opus");
  EXPECT_EQ(map->clock_rate, 48000u);
  EXPECT_EQ(map->channels, 2);
  map = parse_rtpmap("0 PCMU/8000");
  ASSERT_TRUE(map.has_value());
  EXPECT_FALSE(map->channels.has_value());
  EXPECT_EQ(map->channel_count(), 1);
}

TEST(RtpMap, ToleratesBlanksAroundTheParts) {
  auto map = parse_rtpmap("  101   telephone-event/8000 ");
  ASSERT_TRUE(map.has_value());
  EXPECT_EQ(map->encoding_name, "telephone-event");
}

TEST(RtpMap, RejectsMalformedValues) {
  for (std::string_view bad : {"", "0", "0 PCMU", "128 PCMU/8000", "x PCMU/8000", "0 /8000", "0 PCMU/0", "0 PCMU/x",
                               "0 PCMU/8000/0", "0 PCMU/8000/256", "0 PC MU/8000", "-1 PCMU/8000"}) {
    auto map = parse_rtpmap(bad);
    EXPECT_FALSE(map.has_value()) << bad;
    if (!map) {
      EXPECT_EQ(map.error().code, Errc::InvalidArgument);
    }
  }
}

TEST(RtpMap, FormatsBackToTheSameText) {
  for (std::string_view text : {"0 PCMU/8000", "111 opus/48000/2", "101 telephone-event/8000"}) {
    auto map = parse_rtpmap(text);
    ASSERT_TRUE(map.has_value());
    EXPECT_EQ(format_rtpmap(*map), text);
  }
}

TEST(RtpMap, KnowsTheStaticPayloadTypesOfRfc3551) {
  EXPECT_EQ(describe(*static_payload_type(0)), "PCMU/8000");
  EXPECT_EQ(describe(*static_payload_type(8)), "PCMA/8000");
  EXPECT_EQ(describe(*static_payload_type(9)), "G722/8000");  // 8000 although G.722 samples at 16 kHz
  EXPECT_EQ(describe(*static_payload_type(18)), "G729/8000");
  EXPECT_EQ(describe(*static_payload_type(10)), "L16/44100/2");
  EXPECT_EQ(describe(*static_payload_type(34)), "H263/90000");
  EXPECT_FALSE(static_payload_type(19).has_value());  // reserved
  EXPECT_FALSE(static_payload_type(96).has_value());  // dynamic
}

TEST(RtpMap, FindsAFormatByRtpmapElseByStaticAssignment) {
  const SessionDescription sdp = with_media("", "a=rtpmap:96 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n");
  const MediaDescription& m = sdp.media[0];
  EXPECT_EQ(describe(*find_rtpmap(m, "96")), "opus/48000/2");
  EXPECT_EQ(describe(*find_rtpmap(m, "0")), "PCMU/8000");
  EXPECT_FALSE(find_rtpmap(m, "97").has_value());
  EXPECT_FALSE(find_rtpmap(m, "x").has_value());
}

TEST(RtpMap, SkipsMalformedRtpmapsWhenLookingUp) {
  const SessionDescription sdp = with_media("", "a=rtpmap:96 garbage\r\na=rtpmap:96 opus/48000/2\r\n");
  EXPECT_EQ(describe(*find_rtpmap(sdp.media[0], "96")), "opus/48000/2");
}

// --- fmtp

TEST(Fmtp, ParsesFormatAndParameters) {
  auto fmtp = parse_fmtp("101 0-16");
  ASSERT_TRUE(fmtp.has_value());
  EXPECT_EQ(*fmtp, (Fmtp{"101", "0-16"}));
  fmtp = parse_fmtp("102 useinbandfec=1; maxaveragebitrate=30000");
  ASSERT_TRUE(fmtp.has_value());
  EXPECT_EQ(fmtp->parameters, "useinbandfec=1; maxaveragebitrate=30000");
  EXPECT_FALSE(parse_fmtp("").has_value());
}

TEST(Fmtp, FindsTheParametersOfOneFormat) {
  const SessionDescription sdp = with_media("", "a=fmtp:96 useinbandfec=1\r\na=fmtp:101 0-15\r\n");
  EXPECT_EQ(find_fmtp(sdp.media[0], "101"), "0-15");
  EXPECT_EQ(find_fmtp(sdp.media[0], "96"), "useinbandfec=1");
  EXPECT_FALSE(find_fmtp(sdp.media[0], "0").has_value());
}

// --- ptime / maxptime

TEST(PacketTime, ParsesMillisecondsAndDropsAFraction) {
  EXPECT_EQ(parse_packet_time("20").value(), 20u);
  EXPECT_EQ(parse_packet_time(" 30 ").value(), 30u);
  EXPECT_EQ(parse_packet_time("20.0").value(), 20u);
  for (std::string_view bad : {"", "0", "x", "20.", "20.x", "-20", "99999999999"}) {
    EXPECT_FALSE(parse_packet_time(bad).has_value()) << bad;
  }
}

TEST(PacketTime, MediaLevelWinsOverSessionLevel) {
  const SessionDescription both = with_media("a=ptime:30\r\n", "a=ptime:20\r\na=maxptime:60\r\n");
  EXPECT_EQ(find_ptime(both, both.media[0]), 20u);
  EXPECT_EQ(find_maxptime(both, both.media[0]), 60u);
  const SessionDescription session_only = with_media("a=ptime:30\r\n", "");
  EXPECT_EQ(find_ptime(session_only, session_only.media[0]), 30u);
  const SessionDescription none = with_media("", "a=ptime:bad\r\n");
  EXPECT_EQ(find_ptime(none, none.media[0]), std::nullopt);
}

// --- direction

TEST(Direction, DefaultsToSendRecv) {
  const SessionDescription sdp = with_media("", "");
  EXPECT_EQ(effective_direction(sdp, sdp.media[0]), Direction::SendRecv);
}

TEST(Direction, SessionLevelAppliesWhenTheMediaHasNone) {
  const SessionDescription sdp = with_media("a=sendonly\r\n", "");
  EXPECT_EQ(effective_direction(sdp, sdp.media[0]), Direction::SendOnly);
}

TEST(Direction, MediaLevelOverridesSessionLevel) {
  const SessionDescription sdp = with_media("a=inactive\r\n", "a=recvonly\r\n");
  EXPECT_EQ(effective_direction(sdp, sdp.media[0]), Direction::RecvOnly);
}

TEST(Direction, NamesAndArithmeticFollowRfc3264) {
  for (Direction d : {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
    EXPECT_EQ(direction_from_name(to_string(d)), d);
    EXPECT_EQ(reverse(reverse(d)), d);
  }
  EXPECT_EQ(direction_from_name("SENDONLY"), Direction::SendOnly);
  EXPECT_FALSE(direction_from_name("sendrecv2").has_value());
  EXPECT_EQ(reverse(Direction::SendOnly), Direction::RecvOnly);
  // RFC 3264 §6.1, with an answerer that wants sendrecv.
  EXPECT_EQ(answer_direction(Direction::SendOnly, Direction::SendRecv), Direction::RecvOnly);
  EXPECT_EQ(answer_direction(Direction::RecvOnly, Direction::SendRecv), Direction::SendOnly);
  EXPECT_EQ(answer_direction(Direction::Inactive, Direction::SendRecv), Direction::Inactive);
  EXPECT_EQ(answer_direction(Direction::SendRecv, Direction::SendRecv), Direction::SendRecv);
  // An answerer holding the call (wants sendonly).
  EXPECT_EQ(answer_direction(Direction::SendRecv, Direction::SendOnly), Direction::SendOnly);
  EXPECT_EQ(answer_direction(Direction::SendOnly, Direction::SendOnly), Direction::Inactive);
  EXPECT_EQ(answer_direction(Direction::RecvOnly, Direction::RecvOnly), Direction::Inactive);
}

// --- rtcp, rtcp-mux

TEST(Rtcp, ParsesPortAndOptionalAddress) {
  auto rtcp = parse_rtcp("53020");
  ASSERT_TRUE(rtcp.has_value());
  EXPECT_EQ(rtcp->port, 53020);
  EXPECT_FALSE(rtcp->connection.has_value());
  rtcp = parse_rtcp("53020 IN IP4 126.16.64.4");
  ASSERT_TRUE(rtcp.has_value());
  ASSERT_TRUE(rtcp->connection.has_value());
  EXPECT_EQ(rtcp->connection->address, "126.16.64.4");
  EXPECT_EQ(format_rtcp(*rtcp), "53020 IN IP4 126.16.64.4");
  rtcp = parse_rtcp("53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD");
  ASSERT_TRUE(rtcp.has_value());
  EXPECT_EQ(rtcp->connection->address_type, AddressType::IP6);
}

TEST(Rtcp, RejectsMalformedValues) {
  for (std::string_view bad :
       {"", "x", "70000", "1 IN IP4", "1 IN IP4 1.2.3.999", "1 IN IP6 1.2.3.4", "1 XX IP4 h", "1 IN IP9 h"}) {
    EXPECT_FALSE(parse_rtcp(bad).has_value()) << bad;
  }
}

TEST(Rtcp, FindsRtcpAndRtcpMuxOnTheMedia) {
  const SessionDescription sdp = with_media("", "a=rtcp:4001\r\na=rtcp-mux\r\n");
  EXPECT_EQ(find_rtcp(sdp.media[0])->port, 4001);
  EXPECT_TRUE(has_rtcp_mux(sdp.media[0]));
  const SessionDescription plain = with_media("", "");
  EXPECT_FALSE(find_rtcp(plain.media[0]).has_value());
  EXPECT_FALSE(has_rtcp_mux(plain.media[0]));
}

// --- connection

TEST(Connection, MediaLevelWinsOverSessionLevel) {
  const SessionDescription sdp = parse_ok(
      "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n"
      "c=IN IP6 2001:db8::9\r\nm=audio 2 RTP/AVP 0\r\n");
  EXPECT_EQ(effective_connection(sdp, sdp.media[0])->address, "2001:db8::9");
  EXPECT_EQ(effective_connection(sdp, sdp.media[1])->address, "192.0.2.1");
  const SessionDescription none = parse_ok("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 1 RTP/AVP 0\r\n");
  EXPECT_EQ(effective_connection(none, none.media[0]), nullptr);
}

TEST(MediaKinds, ClassifiesMediaAndTransport) {
  EXPECT_EQ(media_kind("AUDIO"), MediaKind::Audio);
  EXPECT_EQ(media_kind("application"), MediaKind::Application);
  EXPECT_EQ(media_kind("data"), MediaKind::Other);
  EXPECT_EQ(transport_protocol("UDP/TLS/RTP/SAVPF"), TransportProtocol::UdpTlsRtpSavpf);
  EXPECT_EQ(transport_protocol("RTP/SAVP"), TransportProtocol::RtpSavp);
  EXPECT_EQ(transport_protocol("udptl"), TransportProtocol::Other);
  EXPECT_TRUE(is_rtp_protocol("RTP/AVP"));
  EXPECT_TRUE(is_rtp_protocol("TCP/RTP/AVP"));
  EXPECT_TRUE(is_rtp_protocol("udp/tls/rtp/savpf"));
  EXPECT_FALSE(is_rtp_protocol("UDP/DTLS/SCTP"));
  EXPECT_FALSE(is_rtp_protocol("udptl"));
}

}  // namespace
}  // namespace voxgate::sdp
