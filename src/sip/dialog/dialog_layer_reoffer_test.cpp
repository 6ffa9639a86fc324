// Our re-offer (DialogLayer::reoffer): a new offer in a re-INVITE (RFC 3261
// §14.1, RFC 3264 §8), its answer, the pending-offer rule, 491 and the
// §14.1 back-off for both roles, rollback on refusal, over the real
// transaction layer with a fake transport and a manual clock.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "sdp/parser.hpp"
#include "sip/dialog/detail/dialog_layer_fixture.hpp"

namespace voxgate::sip::dialog_detail {
namespace {

using Kind = CallEvent::Kind;
using std::chrono::milliseconds;

// The peer's answer to our offer (PCMU and events), with `direction`.
std::string peer_answer(std::string_view direction, std::uint64_t version = 2) {
  return fmt::format(
      "v=0\r\n"
      "o=peer 1000 {} IN IP4 198.51.100.7\r\n"
      "s=-\r\n"
      "c=IN IP4 198.51.100.7\r\n"
      "t=0 0\r\n"
      "m=audio 49170 RTP/AVP 0 101\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:101 telephone-event/8000\r\n"
      "a=fmtp:101 0-16\r\n"
      "a={}\r\n",
      version, direction);
}

// The peer's new offer in a re-INVITE of its own.
std::string peer_offer(std::string_view direction, std::uint64_t version) {
  return fmt::format(
      "v=0\r\n"
      "o=peer 1000 {} IN IP4 198.51.100.7\r\n"
      "s=-\r\n"
      "c=IN IP4 198.51.100.7\r\n"
      "t=0 0\r\n"
      "m=audio 49170 RTP/AVP 0 8 101\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:8 PCMA/8000\r\n"
      "a=rtpmap:101 telephone-event/8000\r\n"
      "a=fmtp:101 0-16\r\n"
      "a={}\r\n",
      version, direction);
}

std::uint64_t sdp_version(const Message& m) {
  auto sdp = sdp::parse_sdp(m.body());
  return sdp ? sdp->origin.session_version : 0;
}

sdp::LocalMediaConfig media_with(sdp::Direction direction) {
  sdp::LocalMediaConfig config = RecordingApplication::our_media();
  config.direction = direction;
  return config;
}

class DialogLayerReoffer : public DialogLayerTest {
 protected:
  // The peer called us: its INVITE, our 200, its ACK. The call is up.
  CallHandle incoming_call() {
    deliver(
        sip_message(fmt::format("INVITE sip:voxgate@192.0.2.10 SIP/2.0\n"
                                "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKinv\n"
                                "Max-Forwards: 70\n"
                                "From: <sip:alice@example.com>;tag=alice-1\n"
                                "To: <sip:voxgate@example.com>\n"
                                "Call-ID: reoffer@198.51.100.7\n"
                                "CSeq: 1 INVITE\n"
                                "Contact: <sip:alice@198.51.100.7:5060>\n"
                                "Content-Type: application/sdp\n"
                                "\n"
                                "{}",
                                kPeerOffer)));
    const Message ok = sent_responses(200).at(0);
    peer_from_ = "<sip:alice@example.com>;tag=alice-1";
    peer_to_ = fmt::format("<sip:voxgate@example.com>;tag={}", *ok.to()->tag());
    call_id_ = "reoffer@198.51.100.7";
    peer_request("ACK", 1);
    const CallHandle call = app_.events.at(0).call;
    EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Answered}));
    app_.events.clear();
    return call;
  }

  // We called the peer: our INVITE, its 200, our ACK. The call is up.
  CallHandle outgoing_call() {
    OutgoingCall out;
    out.request_uri = "sip:bob@203.0.113.5";
    out.from = "<sip:gw@voxgate.example>";
    out.to = "<sip:bob@biloxi.example.com>";
    out.media = RecordingApplication::our_media();
    auto handle = layer_.make_call(out, app_);
    EXPECT_TRUE(handle);
    const Message invite = test::parse_ok(transport_.sent.at(0).bytes);
    MessageBuilder ok = make_response(invite, 200, {}, "bob-1");
    ok.header(HeaderId::Contact, "<sip:bob@203.0.113.5:5070>");
    ok.body("application/sdp", peer_answer("sendrecv", 1));
    deliver(test::parse_ok(ok.build().serialize()));
    peer_from_ = "<sip:bob@biloxi.example.com>;tag=bob-1";
    peer_to_ = std::string(*invite.first_value(HeaderId::From));
    call_id_ = std::string(*invite.call_id());
    EXPECT_EQ(app_.kinds(), std::vector<Kind>{Kind::Answered});
    app_.events.clear();
    return handle.value_or(CallHandle{});
  }

  // A request from the peer in the dialog.
  void peer_request(std::string_view method, std::uint32_t cseq, std::string_view body = {}) {
    const std::string type = body.empty() ? std::string() : "Content-Type: application/sdp\n";
    deliver(
        sip_message(fmt::format("{0} sip:voxgate@192.0.2.10:5060 SIP/2.0\n"
                                "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKpeer{0}{1}\n"
                                "Max-Forwards: 70\n"
                                "From: {2}\n"
                                "To: {3}\n"
                                "Call-ID: {4}\n"
                                "CSeq: {1} {0}\n"
                                "Contact: <sip:peer@198.51.100.7:5060>\n"
                                "{5}"
                                "\n"
                                "{6}",
                                method, cseq, peer_from_, peer_to_, call_id_, type, body)));
  }

  // The peer's final response to `ours`.
  void peer_responds(const Message& ours, std::uint16_t status, std::string_view body = {}) {
    MessageBuilder response = make_response(ours, status);
    if (status < 300) response.header(HeaderId::Contact, "<sip:peer@198.51.100.7:5060>");
    if (!body.empty()) response.body("application/sdp", body);
    deliver(test::parse_ok(response.build().serialize()));
  }

  // Our re-INVITEs (INVITEs with a To tag) as first sent, retransmissions
  // left out, with when they went.
  struct Sent {
    Message message;
    Clock::TimePoint at;
  };
  [[nodiscard]] std::vector<Sent> our_reinvites() const {
    std::vector<Sent> out;
    for (const FakeTransport::Sent* s : transport_.of_kind(FakeTransport::Kind::Request)) {
      Message m = test::parse_ok(s->bytes);
      if (m.method() == Method::Invite && m.to()->tag()) out.push_back(Sent{std::move(m), s->at});
    }
    return out;
  }
  [[nodiscard]] Message last_reinvite() const { return our_reinvites().back().message; }
  [[nodiscard]] std::size_t acks_for(std::uint32_t cseq) const {
    std::size_t n = 0;
    for (const Message& ack : sent_requests(Method::Ack)) n += ack.cseq()->sequence == cseq ? 1 : 0;
    return n;
  }

  std::string peer_from_;
  std::string peer_to_;
  std::string call_id_;
};

TEST_F(DialogLayerReoffer, ASendonlyReofferGoesInAReInviteAndTheRecvonlyAnswerPutsTheCallOnHold) {
  const CallHandle call = incoming_call();
  const std::uint64_t answered_version = sdp_version(sent_responses(200).at(0));
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));

  ASSERT_EQ(our_reinvites().size(), 1U);
  const Message reinvite = last_reinvite();
  EXPECT_EQ(reinvite.request_uri_text(), "sip:alice@198.51.100.7:5060") << "the remote target";
  EXPECT_EQ(reinvite.to()->tag(), "alice-1");
  EXPECT_EQ(reinvite.cseq()->sequence, 1U) << "our first request in the dialog";
  EXPECT_NE(reinvite.body().find("a=sendonly"), std::string_view::npos) << reinvite.body();
  EXPECT_EQ(sdp_version(reinvite), answered_version + 1) << "RFC 3264 §8: one more than our previous SDP";
  EXPECT_TRUE(reinvite.has(HeaderId::SessionExpires)) << "a re-INVITE is a session refresh (RFC 4028 §7.4)";
  EXPECT_TRUE(app_.events.empty()) << "nothing changes before the answer";

  peer_responds(reinvite, 200, peer_answer("recvonly"));
  EXPECT_EQ(acks_for(1), 1U) << "the 2xx is acknowledged (§14.1)";
  ASSERT_EQ(app_.kinds(), std::vector<Kind>{Kind::MediaChanged});
  EXPECT_EQ(app_.events[0].call, call);
  EXPECT_EQ(app_.events[0].media.audio()->direction, sdp::Direction::SendOnly);
  EXPECT_EQ(layer_.stats().reoffers_sent, 1U);

  // A copy of the 2xx gets the same ACK again, and nothing else.
  peer_responds(reinvite, 200, peer_answer("recvonly"));
  ASSERT_EQ(transport_.of_kind(FakeTransport::Kind::OnFlow).size(), 1U);
  EXPECT_EQ(transport_.of_kind(FakeTransport::Kind::OnFlow)[0]->bytes,
            transport_.of_kind(FakeTransport::Kind::Request).back()->bytes);
  EXPECT_EQ(app_.kinds(), std::vector<Kind>{Kind::MediaChanged});
}

TEST_F(DialogLayerReoffer, TheCallerReoffersTheSameWayAndResumesAfterHold) {
  const CallHandle call = outgoing_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::Inactive)));
  Message reinvite = last_reinvite();
  EXPECT_EQ(reinvite.cseq()->sequence, 2U);
  EXPECT_EQ(reinvite.request_uri_text(), "sip:bob@203.0.113.5:5070");
  EXPECT_NE(reinvite.body().find("a=inactive"), std::string_view::npos);
  peer_responds(reinvite, 200, peer_answer("inactive"));
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->direction, sdp::Direction::Inactive);

  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendRecv)));
  reinvite = last_reinvite();
  EXPECT_EQ(reinvite.cseq()->sequence, 3U);
  peer_responds(reinvite, 200, peer_answer("sendrecv"));
  EXPECT_EQ(acks_for(3), 1U);
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->direction, sdp::Direction::SendRecv);
}

TEST_F(DialogLayerReoffer, AReofferWhileAnOfferOrAnInviteIsPendingIsRefusedSayingWhy) {
  const CallHandle call = incoming_call();
  // Ours is out: a second one waits for it (RFC 3264 §4, RFC 3261 §14.1).
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  auto second = layer_.reoffer(call, media_with(sdp::Direction::Inactive));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::InvalidState);
  EXPECT_NE(second.error().message.find("re-offer of ours is out"), std::string::npos) << second.error().message;
  peer_responds(last_reinvite(), 200, peer_answer("recvonly"));

  // The peer's re-INVITE without offer: ours went in our 2xx and waits for
  // the answer in its ACK.
  peer_request("INVITE", 2);
  auto theirs = layer_.reoffer(call, media_with(sdp::Direction::SendRecv));
  ASSERT_FALSE(theirs);
  EXPECT_EQ(theirs.error().code, Errc::InvalidState);
  EXPECT_NE(theirs.error().message.find("unanswered"), std::string::npos) << theirs.error().message;
  peer_request("ACK", 2, peer_answer("recvonly", 3));

  // The peer's re-INVITE with an offer, answered, its ACK not in yet.
  peer_request("INVITE", 3, peer_offer("sendrecv", 4));
  auto unacked = layer_.reoffer(call, media_with(sdp::Direction::SendRecv));
  ASSERT_FALSE(unacked);
  EXPECT_NE(unacked.error().message.find("ACK"), std::string::npos) << unacked.error().message;
  peer_request("ACK", 3);
  EXPECT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendRecv))) << "free again";
  EXPECT_EQ(our_reinvites().size(), 2U);
}

TEST_F(DialogLayerReoffer, AReofferOfACallNotEstablishedOrUnknownOrWithABadConfigIsRefused) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  deliver(
      sip_message(fmt::format("INVITE sip:voxgate@192.0.2.10 SIP/2.0\n"
                              "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKinv\n"
                              "Max-Forwards: 70\n"
                              "From: <sip:alice@example.com>;tag=alice-1\n"
                              "To: <sip:voxgate@example.com>\n"
                              "Call-ID: ringing@198.51.100.7\n"
                              "CSeq: 1 INVITE\n"
                              "Contact: <sip:alice@198.51.100.7:5060>\n"
                              "Content-Type: application/sdp\n"
                              "\n"
                              "{}",
                              kPeerOffer)));
  const CallHandle ringing = app_.events.at(0).call;
  auto refused = layer_.reoffer(ringing, RecordingApplication::our_media());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::InvalidState);
  EXPECT_NE(refused.error().message.find("not established"), std::string::npos);
  EXPECT_EQ(layer_.reoffer(CallHandle{99}, RecordingApplication::our_media()).error().code, Errc::NotFound);
  EXPECT_TRUE(our_reinvites().empty());
}

TEST_F(DialogLayerReoffer, AnInvalidConfigIsRefusedAndChangesNothing) {
  const CallHandle call = incoming_call();
  sdp::LocalMediaConfig bad = RecordingApplication::our_media();
  bad.rtp_port = 0;
  auto refused = layer_.reoffer(call, bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::InvalidArgument);
  EXPECT_TRUE(our_reinvites().empty());
  EXPECT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
}

TEST_F(DialogLayerReoffer, As491TheCalleeRetriesTheSameReofferWithin0To2s) {
  // We did not send the initial INVITE: not the Call-ID's owner (§14.1).
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  const Message first = last_reinvite();
  peer_responds(first, 491);
  const Clock::TimePoint refused_at = clock_.now();
  EXPECT_TRUE(app_.events.empty()) << "a 491 is not a failure yet";
  advance(milliseconds(2000));
  ASSERT_EQ(our_reinvites().size(), 2U) << "by the maximum of 2 s";
  const auto retry = our_reinvites().back();
  const Clock::Duration waited = retry.at - refused_at;
  EXPECT_GE(waited, milliseconds(0));
  EXPECT_LE(waited, milliseconds(2000));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(waited).count() % 10, 0) << "in units of 10 ms";
  // A new transaction with the same offer: the same version, since the
  // refused one never took effect.
  EXPECT_EQ(retry.message.cseq()->sequence, first.cseq()->sequence + 1);
  EXPECT_NE(retry.message.top_via()->branch(), first.top_via()->branch());
  EXPECT_EQ(retry.message.body(), first.body());
  EXPECT_EQ(layer_.stats().glare_retries, 1U);

  peer_responds(retry.message, 200, peer_answer("recvonly"));
  ASSERT_EQ(app_.kinds(), std::vector<Kind>{Kind::MediaChanged});
  EXPECT_EQ(app_.events[0].media.audio()->direction, sdp::Direction::SendOnly);
}

TEST_F(DialogLayerReoffer, As491TheCallerRetriesNotBefore2100msAndBy4s) {
  // We sent the initial INVITE: the Call-ID is ours (§14.1).
  const CallHandle call = outgoing_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  peer_responds(last_reinvite(), 491);
  const Clock::TimePoint refused_at = clock_.now();
  advance(milliseconds(2099));
  EXPECT_EQ(our_reinvites().size(), 1U) << "not before the minimum of 2.1 s";
  advance(milliseconds(4000 - 2099));
  ASSERT_EQ(our_reinvites().size(), 2U) << "by the maximum of 4 s";
  const Clock::Duration waited = our_reinvites().back().at - refused_at;
  EXPECT_GE(waited, milliseconds(2100));
  EXPECT_LE(waited, milliseconds(4000));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(waited).count() % 10, 0);
  peer_responds(last_reinvite(), 200, peer_answer("recvonly"));
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->direction, sdp::Direction::SendOnly);
}

TEST_F(DialogLayerReoffer, ThePeersReInviteDuringTheBackOffIsAnsweredAndOurRetryFollowsItsAck) {
  const CallHandle call = outgoing_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  // Its re-INVITE crosses ours: we answer it 491, it answers ours 491.
  peer_request("INVITE", 1, peer_offer("sendrecv", 2));
  EXPECT_EQ(response_statuses().back(), 491);
  peer_responds(last_reinvite(), 491);
  // Its retry comes first (it waits 0-2 s): answered normally, from our
  // config as it was before our re-offer.
  advance(milliseconds(500));
  peer_request("INVITE", 2, peer_offer("sendrecv", 3));
  ASSERT_EQ(response_statuses().back(), 200);
  EXPECT_NE(sent_responses(200).back().body().find("a=sendrecv"), std::string_view::npos);
  ASSERT_EQ(app_.kinds(), std::vector<Kind>{Kind::MediaChanged});
  // Our back-off ends while its 2xx awaits the ACK: ours must wait (§14.1).
  advance(milliseconds(5000));
  EXPECT_EQ(our_reinvites().size(), 1U);
  peer_request("ACK", 2);
  advance(milliseconds(4000));
  ASSERT_EQ(our_reinvites().size(), 2U) << "the retry still goes out";
  const Message retry = last_reinvite();
  EXPECT_NE(retry.body().find("a=sendonly"), std::string_view::npos);
  peer_responds(retry, 200, peer_answer("recvonly", 4));
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->direction, sdp::Direction::SendOnly);
}

TEST_F(DialogLayerReoffer, ARefusedReofferIsRolledBackAndTheNextOfferTakesTheVersionAfterTheLastSuccessfulOne) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  const std::uint64_t accepted = sdp_version(last_reinvite());
  peer_responds(last_reinvite(), 200, peer_answer("recvonly"));

  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::Inactive)));
  EXPECT_EQ(sdp_version(last_reinvite()), accepted + 1);
  peer_responds(last_reinvite(), 488);
  ASSERT_EQ(app_.kinds(), (std::vector<Kind>{Kind::MediaChanged, Kind::ReofferFailed}));
  EXPECT_EQ(app_.events[1].status, 488);
  EXPECT_EQ(layer_.stats().reoffers_failed, 1U);

  // RFC 3261 §14.1: as if the refused re-INVITE had never been sent, so
  // RFC 3264 §8's "previous SDP" is the accepted one: its version + 1.
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendRecv)));
  EXPECT_EQ(sdp_version(last_reinvite()), accepted + 1);
  EXPECT_NE(last_reinvite().body().find("a=sendrecv"), std::string_view::npos);
  peer_responds(last_reinvite(), 200, peer_answer("sendrecv"));
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->direction, sdp::Direction::SendRecv);
}

TEST_F(DialogLayerReoffer, ARefusedReofferLeavesTheMediaAndOurConfigAsTheyWere) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::Inactive)));
  peer_responds(last_reinvite(), 606);
  EXPECT_EQ(app_.last(Kind::ReofferFailed)->status, 606);
  // The peer's next offer is answered from our config before the refused
  // re-offer (sendrecv), not from the refused one (inactive).
  peer_request("INVITE", 2, peer_offer("sendrecv", 5));
  const Message ok = sent_responses(200).back();
  EXPECT_EQ(ok.cseq()->sequence, 2U);
  EXPECT_NE(ok.body().find("a=sendrecv"), std::string_view::npos) << ok.body();
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->direction, sdp::Direction::SendRecv);
  peer_request("ACK", 2);
}

TEST_F(DialogLayerReoffer, AnAnswerThatDoesNotMatchOurOfferIsAcknowledgedAndRolledBack) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  peer_responds(last_reinvite(), 200);  // no SDP at all
  EXPECT_EQ(acks_for(1), 1U);
  EXPECT_EQ(app_.kinds(), std::vector<Kind>{Kind::ReofferFailed});
  EXPECT_EQ(app_.events[0].status, 488);
  EXPECT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly))) << "the session is usable";
}

TEST_F(DialogLayerReoffer, After5491sInARowTheReofferFailsWith491) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  for (std::uint32_t i = 0; i <= DialogLayer::kMaxGlareRetries; ++i) {
    ASSERT_EQ(our_reinvites().size(), i + 1);
    peer_responds(last_reinvite(), 491);
    advance(milliseconds(2000));
  }
  EXPECT_EQ(our_reinvites().size(), DialogLayer::kMaxGlareRetries + 1);
  ASSERT_EQ(app_.kinds(), std::vector<Kind>{Kind::ReofferFailed});
  EXPECT_EQ(app_.events[0].status, 491);
}

TEST_F(DialogLayerReoffer, A481RollsBackAndEndsTheCall) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  peer_responds(last_reinvite(), 481);
  ASSERT_EQ(app_.kinds(), (std::vector<Kind>{Kind::ReofferFailed, Kind::Ended}));
  EXPECT_EQ(app_.events[0].status, 481);
  EXPECT_EQ(app_.events[1].reason, DialogEndReason::PeerGone);
  EXPECT_EQ(layer_.calls(), 0U);
}

TEST_F(DialogLayerReoffer, NoResponseAtAllFailsWith408AndEndsTheCall) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  advance(std::chrono::seconds(31));
  EXPECT_TRUE(app_.events.empty());
  advance(std::chrono::seconds(2));  // Timer B: 64*T1
  ASSERT_EQ(app_.kinds(), (std::vector<Kind>{Kind::ReofferFailed, Kind::Ended}));
  EXPECT_EQ(app_.events[0].status, 408);
  EXPECT_EQ(app_.events[1].reason, DialogEndReason::PeerGone);
}

TEST_F(DialogLayerReoffer, TheApplicationMayHangUpFromInsideTheFailureEvent) {
  const CallHandle call = incoming_call();
  app_.after_reoffer_failed = [this](CallHandle c) { ASSERT_TRUE(layer_.hangup(c, "Q.850;cause=16")); };
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  peer_responds(last_reinvite(), 488);
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::ReofferFailed, Kind::Ended}));
  ASSERT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(*sent_requests(Method::Bye)[0].first_value(HeaderId::Reason), "Q.850;cause=16");
}

TEST_F(DialogLayerReoffer, HangingUpDuringTheBackOffCancelsTheRetry) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.reoffer(call, media_with(sdp::Direction::SendOnly)));
  peer_responds(last_reinvite(), 491);
  auto again = layer_.reoffer(call, media_with(sdp::Direction::Inactive));
  ASSERT_FALSE(again) << "the first one is still to be retried";
  EXPECT_NE(again.error().message.find("491"), std::string::npos);
  ASSERT_TRUE(layer_.hangup(call));
  advance(std::chrono::seconds(5));
  EXPECT_EQ(our_reinvites().size(), 1U);
  EXPECT_EQ(app_.kinds(), std::vector<Kind>{Kind::Ended});
}

}  // namespace
}  // namespace voxgate::sip::dialog_detail
