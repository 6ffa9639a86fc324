// Our offers (RFC 3264 §5), the answers we receive to them, re-offers in
// both directions (§8) and the o= version rule.

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

SessionDescription offer_ok(OfferAnswerSession& session) {
  auto offer = session.create_offer();
  EXPECT_TRUE(offer.has_value()) << (offer ? std::string() : offer.error().message);
  return offer ? *offer : SessionDescription{};
}

NegotiatedMedia receive_answer_ok(OfferAnswerSession& session, SessionDescription answer) {
  auto media = session.receive_answer(std::move(answer));
  EXPECT_TRUE(media.has_value()) << (media ? std::string() : media.error().message);
  return media ? *media : NegotiatedMedia{};
}

using test::answer_ok;

// The peer accepts our single audio stream with PCMU and telephone-event.
SessionDescription peer_answer(std::string_view extra = "", std::uint64_t version = 1) {
  return peer_sdp(
      "m=audio 30000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n" + std::string(extra),
      version);
}

TEST(Offer, IsTheExactSdpWeExpect) {
  OfferAnswerSession session = make_session();
  EXPECT_EQ(serialize(offer_ok(session)),
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
  EXPECT_EQ(session.state(), OfferAnswerState::LocalOfferSent);
  ASSERT_NE(session.pending_offer(), nullptr);
}

TEST(Offer, CarriesOurUsernameSessionNameDirectionAndRtcpMux) {
  LocalMediaConfig config = local_config();
  config.username = "voxgate";
  config.session_name = "call 42";
  config.direction = Direction::RecvOnly;
  config.rtcp_mux = true;
  config.ptime_ms = 30;
  OfferAnswerSession session = make_session(config);
  const SessionDescription offer = offer_ok(session);
  EXPECT_EQ(offer.origin.username, "voxgate");
  EXPECT_EQ(offer.session_name, "call 42");
  EXPECT_EQ(find_direction(offer.media[0].attributes), Direction::RecvOnly);
  EXPECT_TRUE(has_rtcp_mux(offer.media[0]));
  EXPECT_EQ(find_ptime(offer, offer.media[0]), 30u);
}

TEST(Offer, AnswerCompletesTheExchange) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  const NegotiatedMedia media = receive_answer_ok(session, peer_answer("a=ptime:30\n"));
  EXPECT_EQ(session.state(), OfferAnswerState::Complete);
  ASSERT_EQ(media.streams.size(), 1u);
  const NegotiatedStream& s = *media.audio();
  EXPECT_EQ(s.remote_rtp, (TransportAddress{AddressType::IP4, "198.51.100.20", 30000}));
  EXPECT_EQ(s.codec.encoding_name, "PCMU");
  EXPECT_EQ(s.telephone_event->send_fmtp, "0-15");
  EXPECT_EQ(s.ptime_ms, 30u);
  EXPECT_EQ(s.direction, Direction::SendRecv);
  ASSERT_NE(session.negotiated(), nullptr);
  EXPECT_EQ(*session.negotiated(), media);
  EXPECT_EQ(session.remote_description()->origin.username, "peer");
  EXPECT_EQ(session.local_description()->origin.session_id, SessionId(1000));
  EXPECT_EQ(session.pending_offer(), nullptr);
}

TEST(Offer, ChoosesTheFirstCommonCodecInTheAnswersOrder) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  const NegotiatedMedia media = receive_answer_ok(session, peer_sdp("m=audio 30000 RTP/AVP 8 0\n"));
  EXPECT_EQ(media.audio()->codec.encoding_name, "PCMA");
  EXPECT_FALSE(media.audio()->telephone_event.has_value());
}

TEST(Offer, SendsWithTheAnswerersPayloadTypeAndReceivesWithOurs) {
  // The answerer SHOULD keep our numbers (RFC 3264 §6.1) but may not.
  OfferAnswerSession session = make_session();
  offer_ok(session);
  const NegotiatedMedia media =
      receive_answer_ok(session, peer_sdp("m=audio 30000 RTP/AVP 0 96\na=rtpmap:96 telephone-event/8000\n"));
  ASSERT_TRUE(media.audio()->telephone_event.has_value());
  EXPECT_EQ(media.audio()->telephone_event->send_payload_type, 96);
  EXPECT_EQ(media.audio()->telephone_event->receive_payload_type, 101);
}

TEST(Offer, AnswerDirectionLimitsOurs) {
  const std::pair<Direction, Direction> cases[] = {
      {Direction::SendRecv, Direction::SendRecv},
      {Direction::RecvOnly, Direction::SendOnly},  // the peer only receives: we only send
      {Direction::SendOnly, Direction::RecvOnly},
      {Direction::Inactive, Direction::Inactive},
  };
  for (const auto& [answered, ours] : cases) {
    OfferAnswerSession session = make_session();
    offer_ok(session);
    const NegotiatedMedia media =
        receive_answer_ok(session, peer_answer("a=" + std::string(to_string(answered)) + "\n"));
    EXPECT_EQ(media.audio()->direction, ours) << "answered " << to_string(answered);
  }
}

TEST(Offer, AnAnswerRejectingEveryStreamCompletesWithNoMedia) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  const NegotiatedMedia media = receive_answer_ok(session, peer_sdp("m=audio 0 RTP/AVP 0\n"));
  EXPECT_TRUE(media.empty());
  EXPECT_EQ(media.audio(), nullptr);
  EXPECT_EQ(session.state(), OfferAnswerState::Complete);
}

TEST(Offer, AnAnswerWithNoCodecWeOfferedGivesNoStream) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  EXPECT_TRUE(receive_answer_ok(session, peer_sdp("m=audio 30000 RTP/AVP 18\n")).empty());
}

TEST(Offer, RefusesAnAnswerWithOtherMLinesAndStaysWaiting) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  auto two = session.receive_answer(peer_sdp("m=audio 30000 RTP/AVP 0\nm=video 0 RTP/AVP 96\n"));
  ASSERT_FALSE(two.has_value());
  EXPECT_EQ(two.error().code, Errc::InvalidArgument);
  EXPECT_EQ(two.error().message, "answer has 2 m= lines, the offer had 1 (RFC 3264 §6)");
  auto video = session.receive_answer(peer_sdp("m=video 30000 RTP/AVP 0\n"));
  ASSERT_FALSE(video.has_value());
  EXPECT_EQ(video.error().message, "answer m= line 1 is video, the offer's is audio (RFC 3264 §6)");
  EXPECT_EQ(session.state(), OfferAnswerState::LocalOfferSent);
  EXPECT_TRUE(session.receive_answer(peer_answer()).has_value());  // a good one still completes it
}

TEST(Offer, DelayedOfferInThe200IsAnsweredInTheAck) {
  // RFC 3261 §13.2.1: an INVITE without SDP; we offer in the 200 OK and the
  // ACK carries the answer.
  OfferAnswerSession session = make_session();
  ASSERT_EQ(session.state(), OfferAnswerState::Idle);
  const SessionDescription offer_in_200 = offer_ok(session);
  EXPECT_EQ(offer_in_200.media.size(), 1u);
  const NegotiatedMedia media = receive_answer_ok(session, peer_answer());
  EXPECT_EQ(media.audio()->codec.encoding_name, "PCMU");
  EXPECT_EQ(session.state(), OfferAnswerState::Complete);
}

// --- o= (RFC 3264 §8)

TEST(OriginVersion, StartsFromTheInjectedSessionId) {
  test::FixedSessionIds ids(555);
  auto session = OfferAnswerSession::create(local_config(), ids);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->session_id(), SessionId(555));
  const SessionDescription offer = offer_ok(*session);
  EXPECT_EQ(offer.origin.session_id, SessionId(555));
  EXPECT_EQ(offer.origin.session_version, 555u);
}

TEST(OriginVersion, StaysForAnUnchangedReofferAndGoesUpForAChangedOne) {
  OfferAnswerSession session = make_session();
  EXPECT_EQ(offer_ok(session).origin.session_version, 1000u);
  receive_answer_ok(session, peer_answer());
  EXPECT_EQ(offer_ok(session).origin.session_version, 1000u);  // session refresh: same SDP, same version
  receive_answer_ok(session, peer_answer());

  LocalMediaConfig hold = local_config();
  hold.direction = Direction::SendOnly;
  ASSERT_TRUE(session.set_local(hold).has_value());
  EXPECT_EQ(offer_ok(session).origin.session_version, 1001u);
  receive_answer_ok(session, peer_answer("a=recvonly\n"));
  EXPECT_EQ(offer_ok(session).origin.session_version, 1001u);
  ASSERT_TRUE(session.rollback().has_value());

  ASSERT_TRUE(session.set_local(local_config()).has_value());
  EXPECT_EQ(offer_ok(session).origin.session_version, 1002u);
}

TEST(OriginVersion, StaysForAnUnchangedAnswerAndGoesUpForAChangedOne) {
  OfferAnswerSession session = make_session();
  EXPECT_EQ(answer_ok(session, phone_offer()).sdp.origin.session_version, 1000u);
  // The peer re-offers the same SDP (a session refresh): our answer is the same.
  EXPECT_EQ(answer_ok(session, phone_offer()).sdp.origin.session_version, 1000u);
  // The peer puts us on hold: our answer changes (recvonly).
  const Answer held = answer_ok(session, phone_offer("a=sendonly\n", 2));
  EXPECT_EQ(held.sdp.origin.session_version, 1001u);
  EXPECT_EQ(find_direction(held.sdp.media[0].attributes), Direction::RecvOnly);
}

TEST(OriginVersion, KeepsSessionIdUsernameAndAddressWhenOurAddressChanges) {
  OfferAnswerSession session = make_session();
  const SessionDescription first = offer_ok(session);
  receive_answer_ok(session, peer_answer());
  LocalMediaConfig moved = local_config();
  moved.address = "192.0.2.99";
  moved.rtp_port = 20002;
  ASSERT_TRUE(session.set_local(moved).has_value());
  const SessionDescription second = offer_ok(session);
  EXPECT_EQ(second.origin.session_id, first.origin.session_id);
  EXPECT_EQ(second.origin.address, "192.0.2.10");  // o= stays identical but for the version
  EXPECT_EQ(second.origin.session_version, first.origin.session_version + 1);
  EXPECT_EQ(second.connection->address, "192.0.2.99");
  EXPECT_EQ(second.media[0].port, 20002);
}

// --- Re-offers (RFC 3264 §8)

TEST(Reoffer, HoldAndResume) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  receive_answer_ok(session, peer_answer());

  LocalMediaConfig hold = local_config();
  hold.direction = Direction::SendOnly;  // §8.4: hold with sendonly
  ASSERT_TRUE(session.set_local(hold).has_value());
  const SessionDescription hold_offer = offer_ok(session);
  EXPECT_EQ(find_direction(hold_offer.media[0].attributes), Direction::SendOnly);
  NegotiatedMedia media = receive_answer_ok(session, peer_answer("a=recvonly\n", 2));
  EXPECT_EQ(media.audio()->direction, Direction::SendOnly);

  ASSERT_TRUE(session.set_local(local_config()).has_value());
  const SessionDescription resume_offer = offer_ok(session);
  EXPECT_EQ(find_direction(resume_offer.media[0].attributes), Direction::SendRecv);
  media = receive_answer_ok(session, peer_answer("a=sendrecv\n", 3));
  EXPECT_EQ(media.audio()->direction, Direction::SendRecv);
}

TEST(Reoffer, PeerHoldsAndResumes) {
  OfferAnswerSession session = make_session();
  answer_ok(session, phone_offer());
  Answer answer = answer_ok(session, phone_offer("a=sendonly\n", 2));
  EXPECT_EQ(answer.media.audio()->direction, Direction::RecvOnly);
  answer = answer_ok(session, phone_offer("a=inactive\n", 3));
  EXPECT_EQ(answer.media.audio()->direction, Direction::Inactive);
  answer = answer_ok(session, phone_offer("", 4));
  EXPECT_EQ(answer.media.audio()->direction, Direction::SendRecv);
}

TEST(Reoffer, PeerChangesCodecAndConnection) {
  OfferAnswerSession session = make_session();
  answer_ok(session, phone_offer());
  const Answer answer =
      answer_ok(session, test::parse_ok("v=0\no=peer 77 2 IN IP4 198.51.100.20\ns=-\nc=IN IP4 198.51.100.30\nt=0 0\n"
                                        "m=audio 31000 RTP/AVP 8\n"));
  EXPECT_EQ(answer.media.audio()->codec.encoding_name, "PCMA");
  EXPECT_EQ(answer.media.audio()->remote_rtp, (TransportAddress{AddressType::IP4, "198.51.100.30", 31000}));
  EXPECT_EQ(*session.negotiated(), answer.media);
}

TEST(Reoffer, AnswersAreComputedAfreshNotReplayed) {
  OfferAnswerSession session = make_session();
  const Answer first = answer_ok(session, phone_offer());
  LocalMediaConfig pcma_first = local_config();
  pcma_first.codecs = {Codec{"PCMA", 8000, 1, 8, ""}, Codec{"telephone-event", 8000, 1, 101, "0-16"}};
  ASSERT_TRUE(session.set_local(pcma_first).has_value());
  const Answer second = answer_ok(session, phone_offer());  // the very same offer again
  EXPECT_EQ(first.sdp.media[0].formats, (std::vector<std::string>{"0", "8", "101"}));
  EXPECT_EQ(second.sdp.media[0].formats, (std::vector<std::string>{"8", "101"}));
  EXPECT_EQ(second.media.audio()->codec.encoding_name, "PCMA");
  EXPECT_EQ(second.sdp.origin.session_version, first.sdp.origin.session_version + 1);
}

TEST(Reoffer, PeerReofferWithFewerMLinesIsRefused) {
  OfferAnswerSession session = make_session();
  answer_ok(session, phone_offer("m=video 30002 RTP/AVP 96\n"));
  auto refused = session.receive_offer(phone_offer("", 2));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::InvalidArgument);
  EXPECT_EQ(refused.error().message, "re-offer has 1 m= lines, the session has 2 (RFC 3264 §8)");
  EXPECT_EQ(session.state(), OfferAnswerState::Complete);
}

TEST(Reoffer, OurReofferKeepsTheSessionsMLinesInOrder) {
  OfferAnswerSession session = make_session();
  answer_ok(session, peer_sdp("m=video 30002 RTP/AVP 96\na=rtpmap:96 VP8/90000\nm=audio 30000 RTP/AVP 0\n"));
  const SessionDescription reoffer = offer_ok(session);
  ASSERT_EQ(reoffer.media.size(), 2u);
  EXPECT_EQ(reoffer.media[0].media, "video");
  EXPECT_EQ(reoffer.media[0].port, 0);
  EXPECT_EQ(reoffer.media[0].formats, (std::vector<std::string>{"96"}));
  EXPECT_EQ(reoffer.media[1].media, "audio");
  EXPECT_EQ(reoffer.media[1].port, 20000);
  const NegotiatedMedia media =
      receive_answer_ok(session, peer_sdp("m=video 0 RTP/AVP 96\nm=audio 30000 RTP/AVP 0\n", 2));
  EXPECT_EQ(media.audio()->m_line, 1u);
}

TEST(Reoffer, OurReofferKeepsThePayloadTypeNumbersTheSessionAgreedOn) {
  // RFC 3264 §8.3.2: a dynamic number keeps its meaning for the session.
  OfferAnswerSession session = make_session();
  answer_ok(session, peer_sdp("m=audio 30000 RTP/AVP 0 100\na=rtpmap:100 telephone-event/8000\n"));
  const SessionDescription reoffer = offer_ok(session);
  EXPECT_EQ(reoffer.media[0].formats, (std::vector<std::string>{"0", "8", "100"}));
  EXPECT_EQ(find_fmtp(reoffer.media[0], "100"), "0-16");
}

TEST(Reoffer, OurReofferMovesADefaultNumberTheSessionGaveAnotherCodec) {
  // The peer used 102 for telephone-event/8000 and we now also offer a codec
  // whose default number is 102: it moves to a free dynamic number.
  OfferAnswerSession session = make_session();
  answer_ok(session, peer_sdp("m=audio 30000 RTP/AVP 0 102\na=rtpmap:102 telephone-event/8000\n"));
  LocalMediaConfig more = local_config();
  more.codecs.insert(more.codecs.begin(), Codec{"opus", 48000, 2, 102, ""});
  ASSERT_TRUE(session.set_local(more).has_value());
  const SessionDescription reoffer = offer_ok(session);
  EXPECT_EQ(reoffer.media[0].formats, (std::vector<std::string>{"96", "0", "8", "102"}));
  EXPECT_EQ(describe(*find_rtpmap(reoffer.media[0], "96")), "opus/48000/2");
  EXPECT_EQ(describe(*find_rtpmap(reoffer.media[0], "102")), "telephone-event/8000");
}

TEST(Reoffer, RefusedReofferKeepsThePreviousNegotiation) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  const NegotiatedMedia before = receive_answer_ok(session, peer_answer());
  LocalMediaConfig moved = local_config();
  moved.rtp_port = 20100;
  ASSERT_TRUE(session.set_local(moved).has_value());
  offer_ok(session);
  ASSERT_TRUE(session.rollback().has_value());  // 488 to our re-INVITE: RFC 3261 §14.1
  EXPECT_EQ(session.state(), OfferAnswerState::Complete);
  EXPECT_EQ(*session.negotiated(), before);
  EXPECT_EQ(session.local_description()->media[0].port, 20000);
}

TEST(Reoffer, RejectedPeerReofferKeepsThePreviousNegotiation) {
  OfferAnswerSession session = make_session();
  const Answer first = answer_ok(session, phone_offer());
  ASSERT_TRUE(session.receive_offer(peer_sdp("m=audio 30000 RTP/AVP 18\n", 2)).has_value());
  auto answer = session.create_answer();
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().code, Errc::Unsupported);
  ASSERT_TRUE(session.reject().has_value());
  EXPECT_EQ(session.state(), OfferAnswerState::Complete);
  EXPECT_EQ(*session.negotiated(), first.media);
}

TEST(Reoffer, AnOfferAfterAnAnswerThatRejectedEverythingOffersAudioAgain) {
  OfferAnswerSession session = make_session();
  offer_ok(session);
  receive_answer_ok(session, peer_sdp("m=audio 0 RTP/AVP 0\n"));
  const SessionDescription again = offer_ok(session);
  ASSERT_EQ(again.media.size(), 1u);
  EXPECT_EQ(again.media[0].port, 20000);
}

// --- Configuration

TEST(OfferAnswerConfig, CreateRefusesAnInvalidConfig) {
  LocalMediaConfig bad = local_config();
  bad.rtp_port = 0;
  test::FixedSessionIds ids;
  auto session = OfferAnswerSession::create(bad, ids);
  ASSERT_FALSE(session.has_value());
  EXPECT_EQ(session.error().message, "local media: RTP port 0");
}

TEST(OfferAnswerConfig, SetLocalRefusesAnInvalidConfigAndKeepsTheOldOne) {
  OfferAnswerSession session = make_session();
  LocalMediaConfig bad = local_config();
  bad.codecs = {Codec{"telephone-event", 8000, 1, 101, "0-16"}};
  auto set = session.set_local(bad);
  ASSERT_FALSE(set.has_value());
  EXPECT_EQ(set.error().message, "local media: no codec that carries audio");
  EXPECT_EQ(session.local().codecs.size(), 3u);
}

}  // namespace
}  // namespace voxgate::sdp
