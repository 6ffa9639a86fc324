// The dialog layer answering calls (RFC 3261 §8.2, §12.1.1, §13.3, §14.2,
// §15.1.2) and INFO DTMF in its dialogs (RFC 6086), over the real
// transaction layer with a fake transport.

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/detail/dialog_layer_fixture.hpp"
#include "sip/message/dtmf_relay.hpp"

namespace voxgate::sip::dialog_detail {
namespace {

using Kind = CallEvent::Kind;

// A peer's request; `to_tag`/`cseq`/`branch` vary it, `body` is an SDP.
struct PeerRequest {
  std::string method = "INVITE";
  std::string branch = "z9hG4bKpeer1";
  std::string to_tag;
  std::uint32_t cseq = 1;
  std::string body = std::string(kPeerOffer);
  std::string extra;  // more header lines
  std::string contact = "<sip:alice@198.51.100.7:5060>";
  std::string max_forwards = "70";
  std::string content_type = "application/sdp";  // with a body
};

Message peer(const PeerRequest& r) {
  std::string text = r.method + " sip:voxgate@192.0.2.10 SIP/2.0\n";
  text += "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=" + r.branch + ";received=198.51.100.7;rport=5060\n";
  text += "Max-Forwards: " + r.max_forwards + "\n";
  text += "Record-Route: <sip:198.51.100.1;lr>\n";
  text += "From: \"Alice\" <sip:alice@example.com>;tag=alice-1\n";
  text += "To: <sip:voxgate@example.com>" + (r.to_tag.empty() ? std::string() : ";tag=" + r.to_tag) + "\n";
  text += "Call-ID: call-a@198.51.100.7\n";
  text += "CSeq: " + std::to_string(r.cseq) + " " + r.method + "\n";
  if (!r.contact.empty()) text += "Contact: " + r.contact + "\n";
  if (!r.body.empty()) text += "Content-Type: " + r.content_type + "\n";
  text += r.extra;
  text += "\n" + r.body;
  return sip_message(text);
}

class DialogLayerUas : public DialogLayerTest {
 protected:
  // The INVITE arrives; returns our To tag from the last response.
  std::string invite(const PeerRequest& r = {}) {
    deliver(peer(r));
    const auto messages = sent_messages();
    if (messages.empty() || !messages.back().is_response()) return {};
    return std::string(messages.back().to()->tag().value_or(""));
  }
  void ack(const std::string& our_tag, std::string body = {}, std::uint32_t cseq = 1) {
    PeerRequest r;
    r.method = "ACK";
    r.branch = "z9hG4bKack" + std::to_string(cseq);
    r.to_tag = our_tag;
    r.cseq = cseq;
    r.body = std::move(body);
    deliver(peer(r));
  }
  void bye(const std::string& our_tag, std::uint32_t cseq = 2) {
    PeerRequest r;
    r.method = "BYE";
    r.branch = "z9hG4bKbye" + std::to_string(cseq);
    r.to_tag = our_tag;
    r.cseq = cseq;
    r.body.clear();
    r.contact.clear();
    deliver(peer(r));
  }
  // An INFO (RFC 6086) in the dialog `our_tag` names; a DTMF digit by default.
  void info(const std::string& our_tag, std::string body = "Signal=5\r\nDuration=160\r\n",
            std::string content_type = "application/dtmf-relay", std::uint32_t cseq = 2, std::string extra = {}) {
    PeerRequest r;
    r.method = "INFO";
    r.branch = "z9hG4bKinfo" + std::to_string(cseq);
    r.to_tag = our_tag;
    r.cseq = cseq;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    r.contact.clear();
    r.extra = std::move(extra);
    deliver(peer(r));
  }
  // The call is up: INVITE, our 200, the ACK. Returns our To tag.
  std::string established_call() {
    std::string tag = invite();
    ack(tag);
    return tag;
  }
};

TEST_F(DialogLayerUas, AnsweredInviteGets200WithSdpAnswerContactRecordRouteAndOurTag) {
  const std::string tag = invite();
  ASSERT_FALSE(tag.empty());
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 1U);
  const Message& ok = oks[0];
  EXPECT_EQ(*ok.first_value(HeaderId::Contact), "<sip:voxgate@192.0.2.10:5060>");
  EXPECT_EQ(*ok.first_value(HeaderId::RecordRoute), "<sip:198.51.100.1;lr>");
  EXPECT_TRUE(ok.get<HeaderId::ContentType>()->is("application", "sdp"));
  EXPECT_NE(ok.body().find("m=audio 40000 RTP/AVP 0"), std::string_view::npos) << ok.body();
  EXPECT_EQ(app_.kinds(), std::vector<Kind>{Kind::Invite});
  EXPECT_TRUE(app_.had_offer.at(0));
  EXPECT_EQ(layer_.stats().dialogs_created, 1U);
  EXPECT_EQ(layer_.stats().dialogs_confirmed, 1U);
  EXPECT_EQ(layer_.stats().calls_in, 1U);
}

TEST_F(DialogLayerUas, TheAckEstablishesTheCallWithTheNegotiatedMedia) {
  const std::string tag = invite();
  ack(tag);
  ASSERT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Answered}));
  const sdp::NegotiatedStream* audio = app_.last(Kind::Answered)->media.audio();
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(audio->codec.encoding_name, "PCMU");
  EXPECT_EQ(audio->remote_rtp.address, "198.51.100.7");
  EXPECT_EQ(audio->remote_rtp.port, 49170);
}

TEST_F(DialogLayerUas, The200IsRetransmittedAtT1DoublingToT2UntilTheAck) {
  const std::string tag = invite();
  advance(4s);
  ack(tag);
  advance(60s);
  std::vector<Clock::Duration> times;
  for (const auto* s : transport_.of_kind(FakeTransport::Kind::Response)) {
    if (s->status == 200) times.push_back(since_start(*s));
  }
  EXPECT_EQ(times, (std::vector<Clock::Duration>{0ms, 500ms, 1500ms, 3500ms}));
  EXPECT_EQ(layer_.stats().no_ack_timeouts, 0U);
}

TEST_F(DialogLayerUas, NoAckWithin64T1SendsByeAndCountsIt) {
  const std::string tag = invite();
  advance(31s);
  EXPECT_TRUE(sent_requests(Method::Bye).empty());
  advance(1s);
  std::size_t oks = 0;
  for (const auto* s : transport_.of_kind(FakeTransport::Kind::Response)) oks += s->status == 200 ? 1 : 0;
  EXPECT_EQ(oks, 11U) << "0, 0.5, 1.5, 3.5, 7.5, then every 4 s up to 31.5 s";
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(byes[0].request_uri_text(), "sip:alice@198.51.100.7:5060");
  EXPECT_EQ(*byes[0].first_value(HeaderId::Route), "<sip:198.51.100.1;lr>");
  EXPECT_EQ(byes[0].from()->tag(), tag);
  EXPECT_EQ(transport_.sent.back().flow.remote.ip.to_string(), "198.51.100.1") << "via the record-routing proxy";
  EXPECT_EQ(layer_.stats().no_ack_timeouts, 1U);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::NoAck), 1U);
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Failed}));
  EXPECT_EQ(app_.last(Kind::Failed)->status, 408);
}

TEST_F(DialogLayerUas, AnOfferWithoutCommonCodecGets488WithWarning305) {
  PeerRequest r;
  r.body = std::string(kG729Offer);
  invite(r);
  const auto rejected = sent_responses(488);
  ASSERT_EQ(rejected.size(), 1U);
  EXPECT_EQ(*rejected[0].first_value(HeaderId::Warning), "305 192.0.2.10 \"Incompatible media format\"");
  EXPECT_EQ(layer_.stats().incompatible_media, 1U);
  EXPECT_EQ(app_.last(Kind::Failed)->status, 488);
  EXPECT_EQ(layer_.stats().dialogs_created, 0U);
}

TEST_F(DialogLayerUas, AnInviteWithoutOfferGetsOurOfferInThe200AndTheAnswerInTheAck) {
  PeerRequest r;
  r.body.clear();
  const std::string tag = invite(r);
  EXPECT_FALSE(app_.had_offer.at(0));
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 1U);
  EXPECT_NE(oks[0].body().find("m=audio 40000 RTP/AVP 0 8 101"), std::string_view::npos) << oks[0].body();
  std::string answer(kPeerOffer);
  answer.replace(answer.find("RTP/AVP 0 8 101"), 15, "RTP/AVP 8 101");
  ack(tag, answer);
  ASSERT_NE(app_.last(Kind::Answered), nullptr);
  EXPECT_EQ(app_.last(Kind::Answered)->media.audio()->codec.encoding_name, "PCMA");
}

TEST_F(DialogLayerUas, AnAckWithoutTheAnswerWeNeedEndsTheCallWithBye) {
  PeerRequest r;
  r.body.clear();
  const std::string tag = invite(r);
  ack(tag);
  EXPECT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(app_.last(Kind::Failed)->status, 488);
  EXPECT_EQ(app_.last(Kind::Answered), nullptr);
}

TEST_F(DialogLayerUas, ARejectDecisionSendsItsStatus) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::reject(486); };
  invite();
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{486});
  EXPECT_EQ(app_.last(Kind::Failed)->status, 486);
  EXPECT_EQ(layer_.calls(), 0U) << "forgotten at once";
  EXPECT_EQ(layer_.transactions().server_transactions(), 1U) << "the INVITE transaction waits for the ACK alone";
  advance(40s);
  EXPECT_EQ(layer_.transactions().server_transactions(), 0U);
}

TEST_F(DialogLayerUas, RejectingWith503AddsRetryAfter) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::reject(503); };
  invite();
  const auto unavailable = sent_responses(503);
  ASSERT_EQ(unavailable.size(), 1U);
  EXPECT_EQ(unavailable[0].get<HeaderId::RetryAfter>()->delay, 30U);
}

TEST_F(DialogLayerUas, RingThenAnswerSends180And200WithTheSameTag) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  invite();
  const auto ringing = sent_responses(180);
  ASSERT_EQ(ringing.size(), 1U);
  EXPECT_EQ(*ringing[0].first_value(HeaderId::Contact), "<sip:voxgate@192.0.2.10:5060>");
  const CallHandle call = app_.events.at(0).call;
  ASSERT_NE(layer_.dialog_of(call), nullptr);
  EXPECT_EQ(layer_.dialog_of(call)->state(), DialogState::Early);
  ASSERT_TRUE(layer_.answer(call, RecordingApplication::our_media()));
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 1U);
  EXPECT_EQ(oks[0].to()->tag(), ringing[0].to()->tag());
  EXPECT_EQ(layer_.dialog_of(call)->state(), DialogState::Confirmed);
  EXPECT_EQ(layer_.stats().dialogs_created, 1U);
  EXPECT_EQ(layer_.stats().dialogs_confirmed, 1U);
  EXPECT_FALSE(layer_.answer(call, RecordingApplication::our_media())) << "answered once";
}

TEST_F(DialogLayerUas, DeferLeavesTheInviteTryingUntilTheApplicationDecides) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::defer(); };
  invite();
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{100});
  const CallHandle call = app_.events.at(0).call;
  EXPECT_FALSE(layer_.reject(call, 200)) << "not a failure status";
  ASSERT_TRUE(layer_.reject(call, 603, "Decline"));
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{100, 603}));
}

// RFC 3261 §8.3, §21.3: a 3xx names where to try instead in its Contacts.
TEST_F(DialogLayerUas, ARedirectDecisionSends3xxWithOneContactPerTarget) {
  app_.decide = [](const IncomingInvite&) {
    return CallDecision::redirect(302, {"<sip:bob@192.0.2.5>", "\"Desk\" <sip:desk@192.0.2.6:5070>;q=0.5"});
  };
  invite();
  const auto moved = sent_responses(302);
  ASSERT_EQ(moved.size(), 1U);
  const auto contacts = moved[0].values(HeaderId::Contact);
  EXPECT_EQ(std::vector<std::string_view>(contacts.begin(), contacts.end()),
            (std::vector<std::string_view>{"<sip:bob@192.0.2.5>", "\"Desk\" <sip:desk@192.0.2.6:5070>;q=0.5"}));
  EXPECT_TRUE(moved[0].to()->tag().has_value());
  EXPECT_EQ(app_.last(Kind::Failed)->status, 302);
  EXPECT_EQ(layer_.calls(), 0U);
}

TEST_F(DialogLayerUas, ADeferredCallMayBeRedirectedAfterRinging) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  invite();
  const CallHandle call = app_.events.at(0).call;
  ASSERT_TRUE(layer_.redirect(call, 301, {"<sip:bob@192.0.2.5>"}));
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{180, 301}));
  EXPECT_EQ(*sent_responses(301)[0].first_value(HeaderId::Contact), "<sip:bob@192.0.2.5>");
  EXPECT_EQ(sent_responses(301)[0].to()->tag(), sent_responses(180)[0].to()->tag());
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::Rejected), 1U) << "the early dialog";
  EXPECT_FALSE(layer_.redirect(call, 302, {"<sip:bob@192.0.2.5>"})) << "once";
}

TEST_F(DialogLayerUas, AnInvalidRedirectIsRefusedAndTheCallIsLeftAsItWas) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::defer(); };
  invite();
  const CallHandle call = app_.events.at(0).call;
  const std::vector<std::string> bob = {"<sip:bob@192.0.2.5>"};
  EXPECT_EQ(layer_.redirect(call, 486, bob).error().code, Errc::InvalidArgument) << "not a 3xx";
  EXPECT_EQ(layer_.redirect(call, 302, {}).error().code, Errc::InvalidArgument) << "nowhere to go";
  EXPECT_EQ(layer_.redirect(call, 302, {"<sip:bob@"}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.redirect(call, 302, {"*"}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.redirect(call, 302, {"<sip:bob@192.0.2.5>\r\nX-Evil: 1"}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.redirect(CallHandle{99}, 302, bob).error().code, Errc::NotFound);
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{100});
  ASSERT_TRUE(layer_.redirect(call, 380, {})) << "380 may describe the alternative in a body (§21.3.5)";
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{100, 380}));
}

TEST_F(DialogLayerUas, ARedirectDecisionThatCannotBeSentGets500) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::redirect(302, {}); };
  invite();
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{500});
  EXPECT_EQ(app_.last(Kind::Failed)->status, 500);
}

// RFC 3326: why we hung up.
TEST_F(DialogLayerUas, HangupWithAReasonPutsItOnTheBye) {
  const std::string tag = invite();
  ack(tag);
  ASSERT_TRUE(layer_.hangup(app_.events.at(0).call, "SIP;cause=200;text=\"Call completed elsewhere\""));
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(*byes[0].first_value(HeaderId::Reason), "SIP;cause=200;text=\"Call completed elsewhere\"");
  EXPECT_EQ(app_.last(Kind::Ended)->reason, DialogEndReason::LocalBye);
}

TEST_F(DialogLayerUas, HangupWithAReasonOfAnUnansweredCallPutsItOnThe480) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  invite();
  ASSERT_TRUE(layer_.hangup(app_.events.at(0).call, "Q.850;cause=16"));
  const auto unavailable = sent_responses(480);
  ASSERT_EQ(unavailable.size(), 1U);
  EXPECT_EQ(*unavailable[0].first_value(HeaderId::Reason), "Q.850;cause=16");
  EXPECT_EQ(app_.last(Kind::Failed)->status, 480);
}

TEST_F(DialogLayerUas, HangupWithAReasonBeforeTheAckPutsItOnTheByeThatFollowsTheAck) {
  const std::string tag = invite();
  ASSERT_TRUE(layer_.hangup(app_.events.at(0).call, "Q.850;cause=16"));
  EXPECT_TRUE(sent_requests(Method::Bye).empty());
  ack(tag);
  ASSERT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(*sent_requests(Method::Bye)[0].first_value(HeaderId::Reason), "Q.850;cause=16");
}

TEST_F(DialogLayerUas, HangupWithoutAReasonOrWithAnUnparsableOneSendsNoReason) {
  const std::string tag = invite();
  ack(tag);
  const CallHandle call = app_.events.at(0).call;
  EXPECT_EQ(layer_.hangup(call, "not a reason;;").error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.hangup(call, "Q.850;cause=16\r\nX-Evil: 1").error().code, Errc::InvalidArgument);
  EXPECT_TRUE(sent_requests(Method::Bye).empty()) << "nothing sent, the call still up";
  ASSERT_TRUE(layer_.hangup(call, ""));
  ASSERT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_FALSE(sent_requests(Method::Bye)[0].has(HeaderId::Reason));
}

TEST_F(DialogLayerUas, TheCallsIdentityIsKnownFromInsideOnInvite) {
  std::optional<DialogSetId> seen;
  app_.decide = [this, &seen](const IncomingInvite& in) {
    seen = layer_.identity_of(in.call);
    return CallDecision::answer(RecordingApplication::our_media());
  };
  const std::string tag = invite();
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->call_id, "call-a@198.51.100.7");
  EXPECT_EQ(seen->local_tag, tag) << "the To tag of our responses";
  EXPECT_FALSE(layer_.identity_of(CallHandle{99}).has_value());
}

TEST_F(DialogLayerUas, CancelEndsTheRingingCallWith487) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  invite();
  PeerRequest cancel;
  cancel.method = "CANCEL";
  cancel.body.clear();
  deliver(peer(cancel));
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{180, 200, 487}));
  EXPECT_EQ(app_.last(Kind::Failed)->status, 487);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::Cancelled), 1U);
}

TEST_F(DialogLayerUas, ByeGets200AndEndsTheCall) {
  const std::string tag = invite();
  ack(tag);
  bye(tag);
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{200, 200}));
  EXPECT_EQ(app_.last(Kind::Ended)->reason, DialogEndReason::RemoteBye);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::RemoteBye), 1U);
  bye(tag, 3);
  EXPECT_EQ(response_statuses().back(), 481) << "the dialog is gone";
}

TEST_F(DialogLayerUas, ByeOnTheEarlyDialogEndsTheInviteWith487) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  const std::string tag = invite();
  bye(tag);
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{180, 200, 487}));
  EXPECT_EQ(app_.last(Kind::Failed)->status, 487);
}

TEST_F(DialogLayerUas, ARequestForAnUnknownDialogGets481) {
  bye("no-such-tag");
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{481});
  EXPECT_EQ(layer_.stats().no_dialog, 1U);
}

TEST_F(DialogLayerUas, AByeWithoutToTagGets481) {
  PeerRequest r;
  r.method = "BYE";
  r.body.clear();
  deliver(peer(r));
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{481});
}

TEST_F(DialogLayerUas, CoreChecksAnswerBeforeTheApplicationSeesAnything) {
  PeerRequest r;
  r.method = "REGISTER";
  r.body.clear();
  deliver(peer(r));
  PeerRequest hops;
  hops.branch = "z9hG4bKhops";
  hops.max_forwards = "0";
  deliver(peer(hops));
  PeerRequest options;
  options.method = "OPTIONS";
  options.branch = "z9hG4bKopt";
  options.body.clear();
  deliver(peer(options));
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{405, 483, 200}));
  EXPECT_TRUE(app_.events.empty());
  EXPECT_EQ(layer_.stats().rejected_by_checks, 3U);
}

// Draining (SIGTERM): a load balancer's OPTIONS probe learns we take no
// new calls (RFC 3261 §21.5.4: 503 with Retry-After).
TEST_F(DialogLayerUas, WhileDrainingOptionsGets503WithRetryAfter) {
  layer_.set_draining(true);
  PeerRequest options;
  options.method = "OPTIONS";
  options.branch = "z9hG4bKdrain";
  options.body.clear();
  deliver(peer(options));
  ASSERT_EQ(response_statuses(), (std::vector<std::uint16_t>{503}));
  EXPECT_TRUE(sent_responses(503).at(0).first_value(HeaderId::RetryAfter).has_value());
  layer_.set_draining(false);
  options.branch = "z9hG4bKdrain2";
  options.cseq = 2;
  deliver(peer(options));
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{503, 200}));
}

TEST_F(DialogLayerUas, AnInviteWithoutContactGets400) {
  PeerRequest r;
  r.contact.clear();
  invite(r);
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{400});
  EXPECT_TRUE(app_.events.empty());
}

TEST_F(DialogLayerUas, MalformedSdpGets400) {
  PeerRequest r;
  r.body = "v=0\r\nthis is not sdp\r\n";
  invite(r);
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{400});
}

TEST_F(DialogLayerUas, HangupOfAnEstablishedCallSendsByeToTheRemoteTargetViaTheRoute) {
  const std::string tag = invite();
  ack(tag);
  ASSERT_TRUE(layer_.hangup(app_.events.at(0).call));
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(byes[0].request_uri_text(), "sip:alice@198.51.100.7:5060");
  EXPECT_EQ(byes[0].cseq()->sequence, 1U);
  EXPECT_EQ(app_.last(Kind::Ended)->reason, DialogEndReason::LocalBye);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::LocalBye), 1U);
}

TEST_F(DialogLayerUas, HangupBeforeTheAckWaitsForItThenSendsBye) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::answer(RecordingApplication::our_media()); };
  const std::string tag = invite();
  ASSERT_TRUE(layer_.hangup(app_.events.at(0).call));
  EXPECT_TRUE(sent_requests(Method::Bye).empty()) << "RFC 3261 §15: no BYE before the ACK";
  ack(tag);
  EXPECT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Answered, Kind::Ended}));
}

TEST_F(DialogLayerUas, AReInviteWithANewOfferGetsAnAnswerAndChangesTheMedia) {
  const std::string tag = invite();
  ack(tag);
  PeerRequest reinvite;
  reinvite.branch = "z9hG4bKre";
  reinvite.to_tag = tag;
  reinvite.cseq = 2;
  reinvite.body = std::string(kPeerOffer);
  reinvite.body.replace(reinvite.body.find("49170"), 5, "50000");
  reinvite.body.replace(reinvite.body.find("2890844526 IN"), 10, "2890844527");
  deliver(peer(reinvite));
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 2U);
  EXPECT_EQ(oks[1].cseq()->sequence, 2U);
  ASSERT_NE(app_.last(Kind::MediaChanged), nullptr);
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->remote_rtp.port, 50000);
  ack(tag, {}, 2);
  advance(5s);
  EXPECT_EQ(sent_responses(200).size(), 2U) << "the ACK stopped the re-INVITE's 2xx";
}

// RFC 3311 §5.2: UPDATE inside the dialog.
PeerRequest update(const std::string& tag, std::uint32_t cseq, std::string body) {
  PeerRequest r;
  r.method = "UPDATE";
  r.branch = "z9hG4bKupd" + std::to_string(cseq);
  r.to_tag = tag;
  r.cseq = cseq;
  r.body = std::move(body);
  return r;
}

std::string moved_offer(std::string_view port, std::string_view version) {
  std::string offer(kPeerOffer);
  offer.replace(offer.find("49170"), 5, port);
  offer.replace(offer.find("2890844526 IN"), 10, version);
  return offer;
}

TEST_F(DialogLayerUas, AnUpdateWithAnOfferGetsTheAnswerIn200AndChangesTheMedia) {
  const std::string tag = invite();
  ack(tag);
  deliver(peer(update(tag, 2, moved_offer("50002", "2890844527"))));
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 2U);
  EXPECT_EQ(oks[1].cseq()->method, Method::Update);
  EXPECT_NE(oks[1].body().find("m=audio 40000 RTP/AVP 0"), std::string_view::npos) << oks[1].body();
  EXPECT_EQ(*oks[1].first_value(HeaderId::Contact), "<sip:voxgate@192.0.2.10:5060>");  // a target refresh
  ASSERT_NE(app_.last(Kind::MediaChanged), nullptr);
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->remote_rtp.port, 50002);
  advance(5s);
  EXPECT_EQ(sent_responses(200).size(), 2U) << "a non-INVITE 200 is not retransmitted nor waits for an ACK";
}

TEST_F(DialogLayerUas, AnUpdateWithoutBodyGets200AndLeavesTheMedia) {
  const std::string tag = invite();
  ack(tag);
  deliver(peer(update(tag, 2, {})));
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 2U);
  EXPECT_TRUE(oks[1].body().empty());
  EXPECT_EQ(app_.last(Kind::MediaChanged), nullptr);
}

TEST_F(DialogLayerUas, AnUpdateWhoseOfferHasNoCommonCodecGets488AndTheMediaStays) {
  const std::string tag = invite();
  ack(tag);
  std::string offer = moved_offer("50004", "2890844527");
  offer.replace(offer.find("RTP/AVP 0 8 101"), 15, "RTP/AVP 18");
  deliver(peer(update(tag, 2, offer)));
  ASSERT_EQ(sent_responses(488).size(), 1U);
  EXPECT_EQ(app_.last(Kind::MediaChanged), nullptr);
  // The session is as before: the next offer is answered.
  deliver(peer(update(tag, 3, moved_offer("50006", "2890844528"))));
  ASSERT_NE(app_.last(Kind::MediaChanged), nullptr);
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->remote_rtp.port, 50006);
}

TEST_F(DialogLayerUas, AnUpdateOfferCrossingOurUnansweredOfferGets491) {
  PeerRequest r;
  r.body.clear();  // our offer goes in the 200, its answer comes in the ACK
  const std::string tag = invite(r);
  deliver(peer(update(tag, 2, moved_offer("50008", "2890844527"))));
  EXPECT_EQ(sent_responses(491).size(), 1U);
}

TEST_F(DialogLayerUas, AnUpdateOfferBeforeWeAnsweredTheInvitesGets500WithRetryAfterUpTo10s) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  const std::string tag = invite();
  deliver(peer(update(tag, 2, moved_offer("50010", "2890844527"))));
  const auto errors = sent_responses(500);
  ASSERT_EQ(errors.size(), 1U);
  auto retry_after = errors[0].get<HeaderId::RetryAfter>();
  ASSERT_TRUE(retry_after);
  EXPECT_LE(retry_after->delay, 10U);
}

TEST_F(DialogLayerUas, ARequestOlderThanTheRemoteCSeqGets500WithRetryAfter) {
  PeerRequest first;
  first.cseq = 10;
  const std::string tag = invite(first);
  ack(tag, {}, 10);
  PeerRequest old;
  old.branch = "z9hG4bKold";
  old.to_tag = tag;
  old.cseq = 9;
  deliver(peer(old));
  ASSERT_EQ(response_statuses().back(), 500);
  EXPECT_EQ(sent_responses(500)[0].get<HeaderId::RetryAfter>()->delay, 5U);
  EXPECT_TRUE(app_.last(Kind::MediaChanged) == nullptr);
}

TEST_F(DialogLayerUas, AReInviteBeforeTheAckOfTheLastGets500) {
  const std::string tag = invite();
  PeerRequest reinvite;
  reinvite.branch = "z9hG4bKre";
  reinvite.to_tag = tag;
  reinvite.cseq = 2;
  deliver(peer(reinvite));
  EXPECT_EQ(response_statuses().back(), 500);
}

TEST_F(DialogLayerUas, AReInviteWithoutOfferGetsOurOfferAndItsAckTheAnswer) {
  const std::string tag = invite();
  ack(tag);
  PeerRequest reinvite;
  reinvite.branch = "z9hG4bKre";
  reinvite.to_tag = tag;
  reinvite.cseq = 2;
  reinvite.body.clear();
  deliver(peer(reinvite));
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 2U);
  EXPECT_NE(oks[1].body().find("m=audio 40000"), std::string_view::npos);
  std::string answer(kPeerOffer);
  answer.replace(answer.find("49170"), 5, "50002");
  answer.replace(answer.find("2890844526 IN"), 10, "2890844527");
  ack(tag, answer, 2);
  ASSERT_NE(app_.last(Kind::MediaChanged), nullptr);
  EXPECT_EQ(app_.last(Kind::MediaChanged)->media.audio()->remote_rtp.port, 50002);
}

TEST_F(DialogLayerUas, AReInviteWithAnUnacceptableOfferGets488AndKeepsTheCall) {
  const std::string tag = invite();
  ack(tag);
  PeerRequest reinvite;
  reinvite.branch = "z9hG4bKre";
  reinvite.to_tag = tag;
  reinvite.cseq = 2;
  reinvite.body = std::string(kG729Offer);
  deliver(peer(reinvite));
  EXPECT_EQ(response_statuses().back(), 488);
  bye(tag, 3);
  EXPECT_EQ(response_statuses().back(), 200) << "the dialog survived the refused re-INVITE";
}

TEST_F(DialogLayerUas, TheApplicationMayAnswerFromInsideOnInvite) {
  app_.decide = [this](const IncomingInvite& invite) {
    EXPECT_TRUE(layer_.ring(invite.call));
    EXPECT_TRUE(layer_.answer(invite.call, RecordingApplication::our_media()));
    return CallDecision::reject(486);  // too late: the call was answered
  };
  invite();
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{180, 200}));
}

TEST_F(DialogLayerUas, AnEndedCallIsForgottenAtOnceWhileItsTransactionsFinishAlone) {
  const std::string tag = invite();
  ack(tag);
  bye(tag);
  EXPECT_EQ(layer_.calls(), 0U);
  EXPECT_EQ(layer_.transactions().server_transactions(), 2U) << "the INVITE's (Timer L) and the BYE's (Timer J)";
  bye(tag);  // a retransmission: the BYE transaction answers it again
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{200, 200, 200}));
  advance(40s);
  EXPECT_EQ(layer_.transactions().server_transactions(), 0U);
}

TEST_F(DialogLayerUas, AnInfoWithDtmfRelayGets200AndReportsTheDigitOnce) {
  const std::string tag = established_call();
  info(tag);
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{200, 200}));
  ASSERT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Answered, Kind::Dtmf}));
  const CallEvent& dtmf = *app_.last(Kind::Dtmf);
  EXPECT_EQ(dtmf.call, app_.events.at(0).call);
  EXPECT_EQ(dtmf.digit, '5');
  EXPECT_EQ(dtmf.duration_ms, 160U);
  EXPECT_EQ(sent_responses(200).back().cseq()->method, Method::Info);
  info(tag);  // a retransmission: its transaction answers it again, the application hears nothing
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{200, 200, 200}));
  EXPECT_EQ(app_.kinds().size(), 3U);
}

TEST_F(DialogLayerUas, AnInfoWithAnApplicationDtmfBodyReportsItsDigitWithTheDefaultDuration) {
  const std::string tag = established_call();
  info(tag, "11", "application/dtmf");
  EXPECT_EQ(response_statuses().back(), 200);
  ASSERT_NE(app_.last(Kind::Dtmf), nullptr);
  EXPECT_EQ(app_.last(Kind::Dtmf)->digit, '#');
  EXPECT_EQ(app_.last(Kind::Dtmf)->duration_ms, kDefaultDtmfDurationMs);
}

TEST_F(DialogLayerUas, SuccessiveInfosReportTheirDigitsInOrder) {
  const std::string tag = established_call();
  info(tag, "Signal=1\r\n", "application/dtmf-relay", 2);
  info(tag, "signal = 10\n", "Application/DTMF-Relay", 3);
  info(tag, "d", "application/dtmf", 4);
  std::string digits;
  for (const CallEvent& e : app_.events) {
    if (e.kind == Kind::Dtmf) digits += e.digit;
  }
  EXPECT_EQ(digits, "1*D");
}

TEST_F(DialogLayerUas, AnInfoWithAnotherBodyTypeGets415WithTheDtmfTypesInAccept) {
  const std::string tag = established_call();
  info(tag, "5", "text/plain");
  const auto unsupported = sent_responses(415);
  ASSERT_EQ(unsupported.size(), 1U);
  EXPECT_EQ(*unsupported[0].first_value(HeaderId::Accept), kInfoAcceptHeader);
  EXPECT_EQ(app_.last(Kind::Dtmf), nullptr);
  bye(tag, 3);
  EXPECT_EQ(response_statuses().back(), 200) << "the call is still up";
}

TEST_F(DialogLayerUas, AnInfoWithABadDtmfBodyGets400SayingWhatIsWrong) {
  const std::string tag = established_call();
  info(tag, "Signal=X\r\nDuration=160\r\n");
  info(tag, "Signal=5\r\nDuration=soon\r\n", "application/dtmf-relay", 3);
  info(tag, "Duration=160\r\n", "application/dtmf-relay", 4);
  const auto bad = sent_responses(400);
  ASSERT_EQ(bad.size(), 3U);
  EXPECT_EQ(bad[0].reason(), "Bad DTMF Signal");
  EXPECT_EQ(bad[1].reason(), "Bad DTMF Duration");
  EXPECT_EQ(bad[2].reason(), "Missing DTMF Signal");
  EXPECT_EQ(app_.last(Kind::Dtmf), nullptr);
}

TEST_F(DialogLayerUas, AnInfoForAnUnknownDialogGets481) {
  established_call();
  info("no-such-tag");
  EXPECT_EQ(response_statuses().back(), 481);
  EXPECT_EQ(layer_.stats().no_dialog, 1U);
  EXPECT_EQ(app_.last(Kind::Dtmf), nullptr);
}

TEST_F(DialogLayerUas, AnInfoOlderThanTheRemoteCSeqGets500AndReportsNothing) {
  PeerRequest first;
  first.cseq = 10;
  const std::string tag = invite(first);
  ack(tag, {}, 10);
  info(tag, "Signal=5\r\n", "application/dtmf-relay", 9);
  ASSERT_EQ(response_statuses().back(), 500);
  EXPECT_TRUE(sent_responses(500)[0].has(HeaderId::RetryAfter));
  EXPECT_EQ(app_.last(Kind::Dtmf), nullptr);
}

TEST_F(DialogLayerUas, AnInfoWithoutBodyGets200AndReportsNothing) {
  const std::string tag = established_call();
  info(tag, {});
  EXPECT_EQ(response_statuses().back(), 200);
  EXPECT_EQ(app_.last(Kind::Dtmf), nullptr);
}

TEST_F(DialogLayerUas, AnInfoForAnInfoPackageWeNeverAnnouncedGets469WithAnEmptyRecvInfo) {
  const std::string tag = established_call();
  info(tag, "Signal=5\r\n", "application/dtmf-relay", 2, "Info-Package: dtmf\n");
  const auto bad_package = sent_responses(469);
  ASSERT_EQ(bad_package.size(), 1U);
  EXPECT_EQ(bad_package[0].first_value("Recv-Info"), std::string_view());
  EXPECT_EQ(app_.last(Kind::Dtmf), nullptr);
}

TEST_F(DialogLayerUas, AnInfoInTheEarlyDialogIsReportedBeforeTheAnswer) {
  app_.decide = [](const IncomingInvite&) { return CallDecision::ring(); };
  const std::string tag = invite();
  info(tag, "7", "application/dtmf");
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{180, 200}));
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Dtmf}));
}

TEST_F(DialogLayerUas, TheApplicationMayHangUpFromInsideTheDtmfEvent) {
  app_.after_dtmf = [this](CallHandle call) { ASSERT_TRUE(layer_.hangup(call)); };
  const std::string tag = established_call();
  info(tag);
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{200, 200})) << "the INFO was answered first";
  EXPECT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Answered, Kind::Dtmf, Kind::Ended}));
  EXPECT_EQ(layer_.calls(), 0U);
}

}  // namespace
}  // namespace voxgate::sip::dialog_detail
