// RFC 3264 §6: how OfferAnswerSession answers an offer, and what the
// resulting NegotiatedMedia says.

#include <gtest/gtest.h>

#include <string>

#include "sdp/attributes.hpp"
#include "sdp/offer_answer.hpp"
#include "sdp/serializer.hpp"
#include "sdp/test_helpers.hpp"

namespace voxgate::sdp {
namespace {

using test::local_config;
using test::make_session;
using test::peer_sdp;
using test::phone_offer;

using test::answer_ok;

Answer answer_ok(SessionDescription offer, const LocalMediaConfig& config = local_config()) {
  OfferAnswerSession session = make_session(config);
  return answer_ok(session, std::move(offer));
}

Error answer_error(SessionDescription offer, const LocalMediaConfig& config = local_config()) {
  OfferAnswerSession session = make_session(config);
  EXPECT_TRUE(session.receive_offer(std::move(offer)).has_value());
  auto answer = session.create_answer();
  EXPECT_FALSE(answer.has_value());
  EXPECT_EQ(session.state(), OfferAnswerState::RemoteOfferReceived);
  return answer ? Error{} : answer.error();
}

TEST(Answer, IsTheExactSdpWeExpectForAPlainOffer) {
  const Answer answer = answer_ok(phone_offer());
  EXPECT_EQ(serialize(answer.sdp),
            "v=0\r\n"
            "o=- 1000 1000 IN IP4 192.0.2.10\r\n"
            "s=voxgate\r\n"
            "c=IN IP4 192.0.2.10\r\n"
            "t=0 0\r\n"
            "m=audio 20000 RTP/AVP 0 8 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n");
}

TEST(Answer, NegotiatedMediaDescribesTheStream) {
  const Answer answer = answer_ok(phone_offer());
  ASSERT_EQ(answer.media.streams.size(), 1u);
  const NegotiatedStream& s = *answer.media.audio();
  EXPECT_EQ(s.m_line, 0u);
  EXPECT_EQ(s.remote_rtp, (TransportAddress{AddressType::IP4, "198.51.100.20", 30000}));
  EXPECT_EQ(s.remote_rtcp, (TransportAddress{AddressType::IP4, "198.51.100.20", 30001}));  // RFC 3550 §11
  EXPECT_FALSE(s.rtcp_mux);
  EXPECT_EQ(s.local_rtp_port, 20000);
  EXPECT_EQ(s.codec.encoding_name, "PCMU");
  EXPECT_EQ(s.codec.send_payload_type, 0);
  EXPECT_EQ(s.codec.receive_payload_type, 0);
  ASSERT_TRUE(s.telephone_event.has_value());
  EXPECT_EQ(s.telephone_event->send_payload_type, 101);
  EXPECT_EQ(s.telephone_event->send_fmtp, "0-15");  // what the peer can receive
  EXPECT_EQ(s.ptime_ms, 20u);                       // the peer gave none: ours
  EXPECT_EQ(s.direction, Direction::SendRecv);
}

TEST(Answer, ListsCommonCodecsInTheOfferersOrder) {
  const Answer answer = answer_ok(peer_sdp("m=audio 30000 RTP/AVP 8 3 0 101\na=rtpmap:101 telephone-event/8000\n"));
  EXPECT_EQ(answer.sdp.media[0].formats, (std::vector<std::string>{"8", "0", "101"}));
  EXPECT_EQ(answer.media.audio()->codec.encoding_name, "PCMA");
}

TEST(Answer, KeepsTheOfferersDynamicPayloadTypeNumbers) {
  const Answer answer = answer_ok(peer_sdp("m=audio 30000 RTP/AVP 0 96\na=rtpmap:96 telephone-event/8000\n"));
  EXPECT_EQ(answer.sdp.media[0].formats, (std::vector<std::string>{"0", "96"}));
  EXPECT_EQ(find_fmtp(answer.sdp.media[0], "96"), "0-16");
  EXPECT_EQ(answer.media.audio()->telephone_event->send_payload_type, 96);
  EXPECT_EQ(answer.media.audio()->telephone_event->receive_payload_type, 96);
}

TEST(Answer, MatchesEncodingNamesCaseInsensitively) {
  const Answer answer =
      answer_ok(peer_sdp("m=audio 30000 RTP/AVP 96 97\na=rtpmap:96 pcma/8000\na=rtpmap:97 TELEPHONE-EVENT/8000\n"));
  EXPECT_EQ(answer.sdp.media[0].formats, (std::vector<std::string>{"96", "97"}));
  EXPECT_EQ(answer.media.audio()->codec.encoding_name, "PCMA");
  EXPECT_EQ(answer.media.audio()->codec.send_payload_type, 96);
}

TEST(Answer, IgnoresTelephoneEventAtAnotherClockRate) {
  const Answer answer = answer_ok(peer_sdp(
      "m=audio 30000 RTP/AVP 0 101 100\na=rtpmap:101 telephone-event/48000\na=rtpmap:100 telephone-event/8000\n"));
  EXPECT_EQ(answer.sdp.media[0].formats, (std::vector<std::string>{"0", "100"}));
  EXPECT_EQ(answer.media.audio()->telephone_event->send_payload_type, 100);
}

TEST(Answer, HasNoTelephoneEventWhenTheOfferHasNone) {
  const Answer answer = answer_ok(peer_sdp("m=audio 30000 RTP/AVP 0\n"));
  EXPECT_EQ(answer.sdp.media[0].formats, (std::vector<std::string>{"0"}));
  EXPECT_FALSE(answer.media.audio()->telephone_event.has_value());
}

TEST(Answer, RejectsAnOfferWhoseOnlyCommonFormatIsTelephoneEvent) {
  const Error e = answer_error(peer_sdp("m=audio 30000 RTP/AVP 18 101\na=rtpmap:101 telephone-event/8000\n"));
  EXPECT_EQ(e.code, Errc::Unsupported);
  EXPECT_EQ(e.message,
            "no common codec: m=audio (line 1): offers G729/8000, telephone-event/8000; we support PCMU/8000, "
            "PCMA/8000, telephone-event/8000");
}

TEST(Answer, RejectsAnOfferWithNoCommonCodec) {
  const Error e =
      answer_error(peer_sdp("m=audio 30000 RTP/AVP 96 9 97\na=rtpmap:96 opus/48000/2\na=rtpmap:97 AMR/8000\n"));
  EXPECT_EQ(e.message,
            "no common codec: m=audio (line 1): offers opus/48000/2, G722/8000, AMR/8000; we support PCMU/8000, "
            "PCMA/8000, telephone-event/8000");
}

TEST(Answer, DoesNotMatchAnUnmappedDynamicPayloadType) {
  const Error e = answer_error(peer_sdp("m=audio 30000 RTP/AVP 96\n"));
  EXPECT_EQ(e.message,
            "no common codec: m=audio (line 1): offers payload type 96; we support PCMU/8000, PCMA/8000, "
            "telephone-event/8000");
}

TEST(Answer, RejectsAVideoOnlyOfferAsNoAcceptableMedia) {
  const Error e = answer_error(peer_sdp("m=video 30000 RTP/AVP 96\na=rtpmap:96 VP8/90000\n"));
  EXPECT_EQ(e.code, Errc::Unsupported);
  EXPECT_EQ(e.message, "no acceptable media: m=video (line 1): media type not supported");
}

TEST(Answer, RejectsSecureOrWebRtcTransports) {
  const Error e = answer_error(peer_sdp("m=audio 30000 RTP/SAVP 0\n"));
  EXPECT_EQ(e.message,
            "no acceptable media: m=audio (line 1): transport RTP/SAVP not supported (we support RTP/AVP, RTP/AVPF)");
}

TEST(Answer, RejectsAnOfferWithoutMediaOrWithEveryStreamDisabled) {
  EXPECT_EQ(answer_error(peer_sdp("")).message, "no acceptable media: the offer has no m= line");
  EXPECT_EQ(answer_error(peer_sdp("m=audio 0 RTP/AVP 0\n")).message,
            "no acceptable media: every stream is disabled (port 0)");
}

TEST(Answer, RejectsAStreamWithoutAConnectionAddress) {
  const Error e = answer_error(test::parse_ok("v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 30000 RTP/AVP 0\n"));
  EXPECT_EQ(e.message, "no acceptable media: m=audio (line 1): no connection address");
}

TEST(Answer, EchoesTheOfferersSpellingOfTheMediaType) {
  // Found by fuzz_sdp_parser: "m=AUDIO" was answered "m=audio".
  const Answer answer = answer_ok(peer_sdp("m=AUDIO 30000 RTP/AVP 0\n"));
  EXPECT_EQ(answer.sdp.media[0].media, "AUDIO");
}

TEST(Answer, AcceptsRtpAvpfAndAnswersInKind) {
  const Answer answer = answer_ok(peer_sdp("m=audio 30000 RTP/AVPF 0\n"));
  EXPECT_EQ(answer.sdp.media[0].proto, "RTP/AVPF");
  EXPECT_EQ(answer.sdp.media[0].port, 20000);
}

TEST(Answer, KeepsEveryMLineInOrderRejectingOthersWithPortZero) {
  const Answer answer =
      answer_ok(peer_sdp("m=video 30002 RTP/AVP 96 97\na=rtpmap:96 VP8/90000\na=rtpmap:97 H264/90000\n"
                         "m=audio 30000 RTP/AVP 0\n"
                         "m=audio 30004 RTP/AVP 8\n"
                         "m=application 30006 UDP/BFCP *\n"));
  ASSERT_EQ(answer.sdp.media.size(), 4u);
  const auto& m = answer.sdp.media;
  EXPECT_EQ(m[0].media, "video");
  EXPECT_EQ(m[0].port, 0);
  EXPECT_EQ(m[0].formats, (std::vector<std::string>{"96", "97"}));  // a rejected line keeps its formats
  EXPECT_TRUE(m[0].attributes.empty());
  EXPECT_EQ(m[1].port, 20000);  // the first audio stream
  EXPECT_EQ(m[2].port, 0);      // one audio stream per call
  EXPECT_EQ(m[3].port, 0);
  EXPECT_EQ(m[3].proto, "UDP/BFCP");
  ASSERT_EQ(answer.media.streams.size(), 1u);
  EXPECT_EQ(answer.media.audio()->m_line, 1u);
}

TEST(Answer, SkipsAnUnusableAudioStreamAndTakesTheNextOne) {
  const Answer answer = answer_ok(peer_sdp("m=audio 30000 RTP/AVP 18\nm=audio 30004 RTP/AVP 8\n"));
  EXPECT_EQ(answer.sdp.media[0].port, 0);
  EXPECT_EQ(answer.sdp.media[1].port, 20000);
  EXPECT_EQ(answer.media.audio()->m_line, 1u);
  EXPECT_EQ(answer.media.audio()->remote_rtp.port, 30004);
}

TEST(Answer, CopiesTheOffersTimeLine) {
  const Answer answer = answer_ok(test::parse_ok(
      "v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 198.51.100.20\nt=3034423619 3042462419\nm=audio 1 RTP/AVP 0\n"));
  ASSERT_EQ(answer.sdp.timings.size(), 1u);
  EXPECT_EQ(answer.sdp.timings[0].start, 3034423619u);  // RFC 3264 §6
}

struct DirectionCase {
  Direction offered;
  Direction wanted;
  Direction answered;
};

TEST(Answer, MapsDirectionsPerRfc3264Section6_1) {
  const DirectionCase cases[] = {
      {Direction::SendRecv, Direction::SendRecv, Direction::SendRecv},
      {Direction::SendOnly, Direction::SendRecv, Direction::RecvOnly},
      {Direction::RecvOnly, Direction::SendRecv, Direction::SendOnly},
      {Direction::Inactive, Direction::SendRecv, Direction::Inactive},
      {Direction::SendRecv, Direction::SendOnly, Direction::SendOnly},  // we hold
      {Direction::SendRecv, Direction::Inactive, Direction::Inactive},
      {Direction::SendOnly, Direction::SendOnly, Direction::Inactive},  // both hold
      {Direction::RecvOnly, Direction::RecvOnly, Direction::Inactive},
  };
  for (const DirectionCase& c : cases) {
    LocalMediaConfig config = local_config();
    config.direction = c.wanted;
    const Answer answer = answer_ok(phone_offer("a=" + std::string(to_string(c.offered)) + "\n"), config);
    EXPECT_EQ(find_direction(answer.sdp.media[0].attributes), c.answered)
        << "offered " << to_string(c.offered) << ", wanted " << to_string(c.wanted);
    // Our answer's direction is already from our side.
    EXPECT_EQ(answer.media.audio()->direction, c.answered);
  }
}

TEST(Answer, ReadsASessionLevelDirection) {
  const Answer answer = answer_ok(
      test::parse_ok("v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 198.51.100.20\nt=0 0\na=sendonly\nm=audio 1 RTP/AVP 0\n"));
  EXPECT_EQ(answer.media.audio()->direction, Direction::RecvOnly);
}

TEST(Answer, SendsNothingToAnUnspecifiedAddress) {
  // RFC 3264 §8.4: c=0.0.0.0 (RFC 2543 hold) means send neither RTP nor RTCP.
  const Answer answer =
      answer_ok(test::parse_ok("v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio 49170 RTP/AVP 0\n"));
  EXPECT_EQ(find_direction(answer.sdp.media[0].attributes), Direction::RecvOnly);
  EXPECT_FALSE(sends(answer.media.audio()->direction));
}

TEST(Answer, UsesThePeersPtimeAndRtcpAttributes) {
  const Answer answer = answer_ok(phone_offer("a=ptime:30\na=rtcp:40000 IN IP4 198.51.100.99\n"));
  EXPECT_EQ(answer.media.audio()->ptime_ms, 30u);
  EXPECT_EQ(answer.media.audio()->remote_rtcp, (TransportAddress{AddressType::IP4, "198.51.100.99", 40000}));
  EXPECT_EQ(find_ptime(answer.sdp, answer.sdp.media[0]), 20u);  // we still ask for ours
}

TEST(Answer, AgreesOnRtcpMuxOnlyWhenBothSidesWantIt) {
  LocalMediaConfig mux = local_config();
  mux.rtcp_mux = true;
  const Answer both = answer_ok(phone_offer("a=rtcp-mux\n"), mux);
  EXPECT_TRUE(has_rtcp_mux(both.sdp.media[0]));
  EXPECT_TRUE(both.media.audio()->rtcp_mux);
  EXPECT_EQ(both.media.audio()->remote_rtcp, both.media.audio()->remote_rtp);

  const Answer not_offered = answer_ok(phone_offer(), mux);
  EXPECT_FALSE(has_rtcp_mux(not_offered.sdp.media[0]));
  EXPECT_FALSE(not_offered.media.audio()->rtcp_mux);

  const Answer not_wanted = answer_ok(phone_offer("a=rtcp-mux\n"));
  EXPECT_FALSE(has_rtcp_mux(not_wanted.sdp.media[0]));
  EXPECT_FALSE(not_wanted.media.audio()->rtcp_mux);
}

TEST(Answer, UsesTheMediaLevelConnectionOverTheSessionOne) {
  const Answer answer = answer_ok(phone_offer("c=IN IP6 2001:db8::7\n"));
  EXPECT_EQ(answer.media.audio()->remote_rtp, (TransportAddress{AddressType::IP6, "2001:db8::7", 30000}));
}

TEST(Answer, AnswersFromAnIpv6Address) {
  LocalMediaConfig config = local_config();
  config.address_type = AddressType::IP6;
  config.address = "2001:db8::10";
  const Answer answer = answer_ok(phone_offer(), config);
  EXPECT_EQ(answer.sdp.origin.address_type, AddressType::IP6);
  EXPECT_EQ(answer.sdp.connection->address, "2001:db8::10");
}

TEST(Answer, FollowsOurCodecListAsItIsWhenTheAnswerIsCreated) {
  OfferAnswerSession session = make_session();
  ASSERT_TRUE(session.receive_offer(phone_offer()).has_value());
  LocalMediaConfig pcma_only = local_config();
  pcma_only.codecs = {Codec{"PCMA", 8000, 1, 8, ""}};
  ASSERT_TRUE(session.set_local(pcma_only).has_value());
  auto answer = session.create_answer();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->sdp.media[0].formats, (std::vector<std::string>{"8"}));
  EXPECT_EQ(answer->media.audio()->codec.encoding_name, "PCMA");
}

TEST(Answer, AFailedAnswerCanBeRetriedAfterChangingOurCodecs) {
  OfferAnswerSession session = make_session();
  ASSERT_TRUE(session.receive_offer(peer_sdp("m=audio 30000 RTP/AVP 18\n")).has_value());
  EXPECT_FALSE(session.create_answer().has_value());
  LocalMediaConfig with_g729 = local_config();
  with_g729.codecs.push_back(Codec{"G729", 8000, 1, 18, "annexb=no"});
  ASSERT_TRUE(session.set_local(with_g729).has_value());
  auto answer = session.create_answer();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->media.audio()->codec.encoding_name, "G729");
  EXPECT_EQ(find_fmtp(answer->sdp.media[0], "18"), "annexb=no");
}

TEST(Answer, RejectingAnInitialOfferReturnsToIdle) {
  OfferAnswerSession session = make_session();
  ASSERT_TRUE(session.receive_offer(peer_sdp("m=video 30000 RTP/AVP 96\n")).has_value());
  ASSERT_FALSE(session.create_answer().has_value());
  ASSERT_TRUE(session.reject().has_value());
  EXPECT_EQ(session.state(), OfferAnswerState::Idle);
  EXPECT_EQ(session.negotiated(), nullptr);
  EXPECT_EQ(session.pending_offer(), nullptr);
}

}  // namespace
}  // namespace voxgate::sdp
