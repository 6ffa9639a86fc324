// The dialog layer placing calls (RFC 3261 §8.1, §12.1.2, §13.2.2.4, §15),
// over the real transaction layer with a fake transport.

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/detail/dialog_layer_fixture.hpp"

namespace voxgate::sip::dialog_detail {
namespace {

using Kind = CallEvent::Kind;

// The callee's SDP answer: PCMA only.
constexpr std::string_view kAnswer =
    "v=0\r\n"
    "o=bob 2808844564 2808844564 IN IP4 203.0.113.5\r\n"
    "s=-\r\n"
    "c=IN IP4 203.0.113.5\r\n"
    "t=0 0\r\n"
    "m=audio 30000 RTP/AVP 8 101\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n";

class DialogLayerUac : public DialogLayerTest {
 protected:
  OutgoingCall call_to_bob() {
    OutgoingCall call;
    call.request_uri = "sip:bob@203.0.113.5";
    call.from = "Voxgate <sip:gw@voxgate.example>";
    call.to = "<sip:bob@biloxi.example.com>";
    call.media = RecordingApplication::our_media();
    return call;
  }

  CallHandle place_call() {
    auto handle = layer_.make_call(call_to_bob(), app_);
    EXPECT_TRUE(handle) << (handle ? "" : handle.error().message);
    return handle.value_or(CallHandle{});
  }

  // The INVITE we sent, as the peer received it.
  Message our_invite() const { return test::parse_ok(transport_.sent.at(0).bytes); }

  // A response from the callee (`to_tag` names its branch of the fork).
  void respond(std::uint16_t status, std::string_view to_tag, std::string_view body = {},
               std::string_view contact_host = "203.0.113.5") {
    MessageBuilder response = make_response(our_invite(), status, {}, to_tag);
    response.header(HeaderId::RecordRoute, "<sip:203.0.113.1;lr>");
    if (status > 100) response.header(HeaderId::Contact, fmt::format("<sip:bob@{}:5070>", contact_host));
    if (!body.empty()) response.body("application/sdp", body);
    deliver(test::parse_ok(response.build().serialize()));
  }

  // A request from the callee inside the dialog `to_tag` created; `extra`
  // adds header lines, `body` a body.
  void callee_request(std::string_view method, std::string_view their_tag, std::uint32_t cseq,
                      std::string_view extra = {}, std::string_view body = {}) {
    const Message invite = our_invite();
    const std::string text = fmt::format(
        "{} sip:voxgate@192.0.2.10:5060 SIP/2.0\n"
        "Via: SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bKcallee{}\n"
        "Max-Forwards: 70\n"
        "From: <sip:bob@biloxi.example.com>;tag={}\n"
        "To: {}\n"
        "Call-ID: {}\n"
        "CSeq: {} {}\n"
        "{}"
        "\n"
        "{}",
        method, cseq, their_tag, *invite.first_value(HeaderId::From), *invite.call_id(), cseq, method, extra, body);
    deliver(sip_message(text));
  }
};

TEST_F(DialogLayerUac, MakeCallSendsAnInviteWithOurOfferToTheTarget) {
  place_call();
  ASSERT_EQ(transport_.sent.size(), 1U);
  EXPECT_EQ(transport_.sent[0].flow.remote.ip.to_string(), "203.0.113.5");
  const Message invite = our_invite();
  EXPECT_EQ(invite.method(), Method::Invite);
  EXPECT_EQ(invite.request_uri_text(), "sip:bob@203.0.113.5");
  EXPECT_EQ(*invite.first_value(HeaderId::Contact), "<sip:voxgate@192.0.2.10:5060>");
  EXPECT_TRUE(invite.from()->tag().has_value());
  EXPECT_NE(invite.call_id()->find("@192.0.2.10"), std::string_view::npos);
  EXPECT_NE(invite.body().find("m=audio 40000 RTP/AVP 0 8 101"), std::string_view::npos);
  EXPECT_EQ(layer_.stats().calls_out, 1U);
}

TEST_F(DialogLayerUac, TheCallsIdentityIsOurInvitesCallIdAndFromTag) {
  const CallHandle call = place_call();
  const auto identity = layer_.identity_of(call);
  ASSERT_TRUE(identity.has_value());
  EXPECT_EQ(identity->call_id, *our_invite().call_id());
  EXPECT_EQ(identity->local_tag, *our_invite().from()->tag());
}

TEST_F(DialogLayerUac, ProvisionalResponsesAreReportedWithTheirEarlyDialog) {
  const CallHandle call = place_call();
  respond(100, "");
  respond(180, "bob-1");
  ASSERT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Progress, Kind::Progress}));
  EXPECT_EQ(app_.events[0].status, 100);
  EXPECT_EQ(app_.events[0].remote_tag, "");
  EXPECT_EQ(app_.events[1].status, 180);
  EXPECT_EQ(app_.events[1].remote_tag, "bob-1");
  EXPECT_EQ(app_.events[1].call, call);
  EXPECT_EQ(layer_.stats().dialogs_created, 1U);
}

TEST_F(DialogLayerUac, The200IsAcknowledgedAndTheCallAnsweredWithTheNegotiatedMedia) {
  const CallHandle call = place_call();
  respond(180, "bob-1");
  respond(200, "bob-1", kAnswer);
  const auto acks = sent_requests(Method::Ack);
  ASSERT_EQ(acks.size(), 1U);
  const Message& ack = acks[0];
  EXPECT_EQ(ack.request_uri_text(), "sip:bob@203.0.113.5:5070");
  EXPECT_EQ(*ack.first_value(HeaderId::Route), "<sip:203.0.113.1;lr>");
  EXPECT_EQ(ack.cseq()->sequence, our_invite().cseq()->sequence);
  EXPECT_EQ(ack.to()->tag(), "bob-1");
  EXPECT_NE(ack.top_via()->branch(), our_invite().top_via()->branch()) << "the ACK of a 2xx has a branch of its own";
  EXPECT_EQ(transport_.sent.back().flow.remote.ip.to_string(), "203.0.113.1");
  ASSERT_NE(app_.last(Kind::Answered), nullptr);
  EXPECT_EQ(app_.last(Kind::Answered)->media.audio()->codec.encoding_name, "PCMA");
  EXPECT_EQ(app_.last(Kind::Answered)->media.audio()->remote_rtp.port, 30000);
  ASSERT_NE(layer_.dialog_of(call), nullptr);
  EXPECT_EQ(layer_.dialog_of(call)->state(), DialogState::Confirmed);
  EXPECT_EQ(layer_.stats().dialogs_confirmed, 1U);
}

TEST_F(DialogLayerUac, EveryRetransmissionOfThe200GetsTheSameAckAgain) {
  place_call();
  respond(200, "bob-1", kAnswer);
  respond(200, "bob-1", kAnswer);
  respond(200, "bob-1", kAnswer);
  const auto resent = transport_.of_kind(FakeTransport::Kind::OnFlow);
  ASSERT_EQ(resent.size(), 2U);
  const auto first_ack = transport_.of_kind(FakeTransport::Kind::Request).back();
  EXPECT_EQ(resent[0]->bytes, first_ack->bytes);
  EXPECT_EQ(resent[1]->flow, first_ack->flow);
  EXPECT_EQ(app_.kinds(), std::vector<Kind>{Kind::Answered}) << "answered once";
}

TEST_F(DialogLayerUac, ForkingKeepsTheFirstAnswerAndEndsTheOtherBranches) {
  place_call();
  respond(180, "desk-1", {}, "203.0.113.6");
  respond(183, "desk-2", {}, "203.0.113.7");
  EXPECT_EQ(layer_.stats().dialogs_created, 2U);
  respond(200, "desk-2", kAnswer, "203.0.113.7");
  EXPECT_EQ(app_.last(Kind::Answered)->call, app_.events[0].call);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::Superseded), 1U) << "desk-1's early dialog";
  // desk-1 answers too, late: ACK it, then BYE it (§13.2.2.4).
  respond(200, "desk-1", kAnswer, "203.0.113.6");
  const auto acks = sent_requests(Method::Ack);
  ASSERT_EQ(acks.size(), 2U);
  EXPECT_EQ(acks[1].to()->tag(), "desk-1");
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(byes[0].to()->tag(), "desk-1");
  EXPECT_EQ(byes[0].request_uri_text(), "sip:bob@203.0.113.6:5070");
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Progress, Kind::Progress, Kind::Answered}));
  EXPECT_EQ(layer_.dialog_of(app_.events[0].call)->id().remote_tag, "desk-2");
}

TEST_F(DialogLayerUac, AFinalFailureFailsTheCallAndEndsItsEarlyDialogs) {
  place_call();
  respond(180, "bob-1");
  respond(486, "bob-1");
  EXPECT_EQ(app_.last(Kind::Failed)->status, 486);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::Rejected), 1U);
  EXPECT_EQ(sent_requests(Method::Ack).size(), 1U) << "the transaction ACKs a non-2xx itself";
}

TEST_F(DialogLayerUac, HangupBeforeTheAnswerCancelsAndTheCallFailsWith487) {
  const CallHandle call = place_call();
  respond(180, "bob-1");
  ASSERT_TRUE(layer_.hangup(call));
  const auto cancels = sent_requests(Method::Cancel);
  ASSERT_EQ(cancels.size(), 1U);
  respond(487, "bob-1");
  EXPECT_EQ(app_.last(Kind::Failed)->status, 487);
}

TEST_F(DialogLayerUac, AnAnswerThatLostTheRaceWithCancelIsAcknowledgedAndByed) {
  const CallHandle call = place_call();
  respond(180, "bob-1");
  ASSERT_TRUE(layer_.hangup(call));
  respond(200, "bob-1", kAnswer);
  EXPECT_EQ(sent_requests(Method::Ack).size(), 1U);
  EXPECT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Progress, Kind::Failed}));
  EXPECT_EQ(app_.last(Kind::Failed)->status, 487);
}

TEST_F(DialogLayerUac, HangupAfterTheAnswerSendsByeInTheDialog) {
  const CallHandle call = place_call();
  respond(200, "bob-1", kAnswer);
  ASSERT_TRUE(layer_.hangup(call));
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(byes[0].cseq()->sequence, our_invite().cseq()->sequence + 1);
  EXPECT_EQ(byes[0].to()->tag(), "bob-1");
  EXPECT_EQ(app_.last(Kind::Ended)->reason, DialogEndReason::LocalBye);
  EXPECT_FALSE(layer_.hangup(call)) << "already over";
}

TEST_F(DialogLayerUac, AnEndedCallIsForgottenAtOnceWhileItsTransactionsFinishAlone) {
  const CallHandle call = place_call();
  respond(200, "bob-1", kAnswer);
  ASSERT_TRUE(layer_.hangup(call));
  EXPECT_EQ(layer_.calls(), 0U);
  EXPECT_EQ(layer_.transactions().client_transactions(), 2U) << "the INVITE's (Timer M) and the BYE's";
  respond(200, "bob-1", kAnswer);  // a late copy reaches no call
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Answered, Kind::Ended}));
  advance(40s);
  EXPECT_EQ(layer_.transactions().client_transactions(), 0U);
}

TEST_F(DialogLayerUac, TheCalleesByeGets200AndEndsTheCall) {
  place_call();
  respond(200, "bob-1", kAnswer);
  callee_request("BYE", "bob-1", 1);
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{200});
  EXPECT_EQ(app_.last(Kind::Ended)->reason, DialogEndReason::RemoteBye);
}

TEST_F(DialogLayerUac, TheCalleesInfoWithDtmfGets200AndReportsTheDigit) {
  const CallHandle call = place_call();
  respond(200, "bob-1", kAnswer);
  callee_request("INFO", "bob-1", 1, "Content-Type: application/dtmf-relay\n", "Signal=9\r\nDuration=80\r\n");
  callee_request("INFO", "bob-1", 2, "Content-Type: application/dtmf\n", "*");
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{200, 200}));
  ASSERT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Answered, Kind::Dtmf, Kind::Dtmf}));
  EXPECT_EQ(app_.events[1].call, call);
  EXPECT_EQ(app_.events[1].digit, '9');
  EXPECT_EQ(app_.events[1].duration_ms, 80U);
  EXPECT_EQ(app_.events[2].digit, '*');
}

TEST_F(DialogLayerUac, TheCalleesInfoWithAnotherBodyGets415AndABadDtmfBody400) {
  place_call();
  respond(200, "bob-1", kAnswer);
  callee_request("INFO", "bob-1", 1, "Content-Type: application/json\n", "{\"digit\":5}");
  callee_request("INFO", "bob-1", 2, "Content-Type: application/dtmf\n", "Signal=5");
  EXPECT_EQ(response_statuses(), (std::vector<std::uint16_t>{415, 400}));
  EXPECT_EQ(app_.kinds(), std::vector<Kind>{Kind::Answered});
}

// RFC 3326: why we hung up.
TEST_F(DialogLayerUac, HangupWithAReasonAfterTheAnswerPutsItOnTheBye) {
  const CallHandle call = place_call();
  respond(200, "bob-1", kAnswer);
  ASSERT_TRUE(layer_.hangup(call, "SIP;cause=200;text=\"Call completed elsewhere\""));
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(*byes[0].first_value(HeaderId::Reason), "SIP;cause=200;text=\"Call completed elsewhere\"");
}

// RFC 3326 §2: the Reason goes on the CANCEL, and on the BYE when the
// peer's 2xx crosses our CANCEL.
TEST_F(DialogLayerUac, HangupWithAReasonBeforeTheAnswerCancelsWithItAndAByeForACrossing200CarriesIt) {
  const CallHandle call = place_call();
  respond(180, "bob-1");
  ASSERT_TRUE(layer_.hangup(call, "SIP;cause=200;text=\"Call completed elsewhere\""));
  const auto cancels = sent_requests(Method::Cancel);
  ASSERT_EQ(cancels.size(), 1U);
  EXPECT_EQ(*cancels[0].first_value(HeaderId::Reason), "SIP;cause=200;text=\"Call completed elsewhere\"");
  respond(200, "bob-1", kAnswer);
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(*byes[0].first_value(HeaderId::Reason), "SIP;cause=200;text=\"Call completed elsewhere\"");
  EXPECT_EQ(app_.last(Kind::Failed)->status, 487);
}

// RFC 4028 §7.4 / RFC 3261 §8.1.3.5: a 422 is retried once per Min-SE
// increase: same Call-ID and From tag, CSeq + 1, a new branch, the raised
// Session-Expires and Min-SE.
class DialogLayerUac422 : public DialogLayerUac {
 protected:
  Message invite_at(std::size_t index) const {
    std::vector<Message> invites;
    for (const FakeTransport::Sent* s : transport_.of_kind(FakeTransport::Kind::Request)) {
      Message m = test::parse_ok(s->bytes);
      if (m.method() == Method::Invite) invites.push_back(std::move(m));
    }
    return invites.at(index);
  }
  std::size_t invites_sent() const {
    std::size_t n = 0;
    for (const FakeTransport::Sent* s : transport_.of_kind(FakeTransport::Kind::Request)) {
      n += test::parse_ok(s->bytes).method() == Method::Invite ? 1 : 0;
    }
    return n;
  }
  void respond_to(const Message& invite, std::uint16_t status, std::string_view extra_name = {},
                  std::string_view extra_value = {}, std::string_view body = {}) {
    MessageBuilder response = make_response(invite, status, {}, "bob-1");
    if (!extra_name.empty()) response.header(extra_name, extra_value);
    if (status < 300) response.header(HeaderId::Contact, "<sip:bob@203.0.113.5:5070>");
    if (!body.empty()) response.body("application/sdp", body);
    deliver(test::parse_ok(response.build().serialize()));
  }
};

TEST_F(DialogLayerUac422, A422IsRetriedWithSessionExpiresAndMinSeRaisedToItsMinSe) {
  const CallHandle call = place_call();
  const Message first = invite_at(0);
  EXPECT_EQ(first.get<HeaderId::SessionExpires>()->interval, 1800U);
  respond_to(first, 422, "Min-SE", "3600");
  ASSERT_EQ(invites_sent(), 2U);
  const Message retry = invite_at(1);
  EXPECT_EQ(*retry.call_id(), *first.call_id());
  EXPECT_EQ(retry.from()->tag(), first.from()->tag());
  EXPECT_FALSE(retry.to()->tag().has_value());
  EXPECT_EQ(retry.cseq()->sequence, first.cseq()->sequence + 1);
  EXPECT_EQ(retry.cseq()->method, Method::Invite);
  EXPECT_NE(retry.top_via()->branch(), first.top_via()->branch());
  EXPECT_EQ(retry.get<HeaderId::SessionExpires>()->interval, 3600U);
  EXPECT_EQ(retry.get<HeaderId::MinSE>()->interval, 3600U);
  EXPECT_EQ(retry.body(), first.body()) << "the same offer";
  EXPECT_TRUE(app_.events.empty()) << "the 422 is not the call's outcome";
  EXPECT_EQ(layer_.stats().invites_retried_after_422, 1U);

  respond_to(retry, 200, "Session-Expires", "3600;refresher=uac", kAnswer);
  ASSERT_EQ(app_.kinds(), std::vector<Kind>{Kind::Answered});
  EXPECT_EQ(app_.events[0].call, call);
  const auto acks = sent_requests(Method::Ack);
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks.back().cseq()->sequence, retry.cseq()->sequence) << "the 2xx's ACK names the retry";
  ASSERT_TRUE(layer_.hangup(call));
  EXPECT_EQ(sent_requests(Method::Bye).at(0).cseq()->sequence, retry.cseq()->sequence + 1);
}

TEST_F(DialogLayerUac422, ASecond422WithoutAnIncreaseFailsTheCallInsteadOfLooping) {
  place_call();
  respond_to(invite_at(0), 422, "Min-SE", "3600");
  respond_to(invite_at(1), 422, "Min-SE", "3600");
  EXPECT_EQ(invites_sent(), 2U);
  ASSERT_EQ(app_.kinds(), std::vector<Kind>{Kind::Failed});
  EXPECT_EQ(app_.events[0].status, 422);
}

TEST_F(DialogLayerUac422, A422WhoseMinSeIsNoLargerOrMissingFailsTheCall) {
  place_call();
  respond_to(invite_at(0), 422, "Min-SE", "1800");
  EXPECT_EQ(invites_sent(), 1U);
  EXPECT_EQ(app_.last(Kind::Failed)->status, 422);
}

TEST_F(DialogLayerUac422, AFailureOfTheRetryFailsTheCallWithItsStatus) {
  place_call();
  respond_to(invite_at(0), 422, "Min-SE", "3600");
  respond_to(invite_at(1), 486);
  EXPECT_EQ(app_.last(Kind::Failed)->status, 486);
  EXPECT_EQ(layer_.calls(), 0U);
}

TEST_F(DialogLayerUac, NoResponseAtAllFailsTheCallWith408) {
  place_call();
  advance(33s);
  EXPECT_EQ(app_.last(Kind::Failed)->status, 408);
  EXPECT_EQ(layer_.calls(), 0U);
}

TEST_F(DialogLayerUac, A200WithoutAnswerIsAcknowledgedThenByedAndFails) {
  place_call();
  respond(200, "bob-1");
  EXPECT_EQ(sent_requests(Method::Ack).size(), 1U);
  EXPECT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(app_.last(Kind::Failed)->status, 488);
}

TEST_F(DialogLayerUac, ATargetWeCannotResolveIsRefusedAtOnce) {
  OutgoingCall call = call_to_bob();
  call.request_uri = "sip:bob@biloxi.example.com";
  auto handle = layer_.make_call(call, app_);
  ASSERT_FALSE(handle);
  EXPECT_EQ(handle.error().code, Errc::Unsupported);
  EXPECT_TRUE(transport_.sent.empty());
  EXPECT_EQ(layer_.calls(), 0U);
}

TEST_F(DialogLayerUac, AnInvalidMediaConfigIsRefusedAtOnce) {
  OutgoingCall call = call_to_bob();
  call.media.rtp_port = 0;
  EXPECT_FALSE(layer_.make_call(call, app_));
}

TEST_F(DialogLayerUac, TheApplicationMayHangUpFromInsideTheAnsweredEvent) {
  app_.after_answer = [this](CallHandle call) { ASSERT_TRUE(layer_.hangup(call)); };
  place_call();
  respond(200, "bob-1", kAnswer);
  EXPECT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Answered, Kind::Ended}));
}

TEST_F(DialogLayerUac, CountsDialogEndsByReason) {
  const CallHandle call = place_call();
  respond(200, "bob-1", kAnswer);
  ASSERT_TRUE(layer_.hangup(call));
  EXPECT_EQ(layer_.stats().dialogs_created, 1U);
  EXPECT_EQ(layer_.stats().dialogs_confirmed, 1U);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::LocalBye), 1U);
  EXPECT_EQ(layer_.stats().ended_of(DialogEndReason::RemoteBye), 0U);
}

// With several worker loops the transport hands a message to the loop its
// Call-ID hashes to: a call we place must draw a Call-ID of our own loop.
TEST_F(DialogLayerUac, NewCallIdsAreDrawnUntilTheLoopOwnsOne) {
  std::vector<std::string> asked;
  DialogLayerConfig owning = config();
  owning.owns_call_id = [&asked](std::string_view call_id) {
    asked.emplace_back(call_id);
    return asked.size() == 3;  // the third candidate is ours
  };
  DialogLayer layer{timers_, transport_, app_, session_ids_, owning, [this] { return ++random_; }};
  OutgoingCall call;
  call.request_uri = "sip:bob@203.0.113.5";
  call.from = "<sip:gw@voxgate.example>";
  call.to = "<sip:bob@biloxi.example.com>";
  call.media = RecordingApplication::our_media();
  ASSERT_TRUE(layer.make_call(call, app_));
  ASSERT_EQ(asked.size(), 3U);
  EXPECT_NE(asked[0], asked[2]);
  EXPECT_EQ(*our_invite().call_id(), asked[2]);
}

}  // namespace
}  // namespace voxgate::sip::dialog_detail
