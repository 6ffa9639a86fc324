// Our blind transfer (DialogLayer::refer, RFC 3515): the REFER built in the
// dialog, its response, the NOTIFYs of its implicit subscription with their
// sipfrag, the deadline, and NOTIFYs that match no subscription, over the
// real transaction layer with a fake transport and a manual clock.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "sip/dialog/detail/dialog_layer_fixture.hpp"
#include "sip/dialog/refer_subscription.hpp"

namespace voxgate::sip::dialog_detail {
namespace {

using Kind = CallEvent::Kind;
using TKind = TransferUpdate::Kind;

class DialogLayerRefer : public DialogLayerTest {
 protected:
  // The peer called us through a record-routing proxy: its INVITE, our
  // 200, its ACK. The call is up.
  CallHandle incoming_call() {
    deliver(
        sip_message(fmt::format("INVITE sip:voxgate@192.0.2.10 SIP/2.0\n"
                                "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKinv\n"
                                "Max-Forwards: 70\n"
                                "Record-Route: <sip:203.0.113.9:5070;lr>\n"
                                "From: <sip:alice@example.com>;tag=alice-1\n"
                                "To: <sip:voxgate@example.com>\n"
                                "Call-ID: refer@198.51.100.7\n"
                                "CSeq: 1 INVITE\n"
                                "Contact: <sip:alice@198.51.100.7:5060>\n"
                                "Content-Type: application/sdp\n"
                                "\n"
                                "{}",
                                kPeerOffer)));
    const Message ok = sent_responses(200).at(0);
    peer_to_ = fmt::format("<sip:voxgate@example.com>;tag={}", *ok.to()->tag());
    notify_cseq_ = 1;
    peer_in_dialog("ACK", "");
    const CallHandle call = app_.events.at(0).call;
    EXPECT_EQ(app_.kinds(), (std::vector<Kind>{Kind::Invite, Kind::Answered}));
    app_.events.clear();
    transport_.sent.clear();
    return call;
  }

  // A request of the peer in the dialog: `extra` headers (LF-ended), then
  // the body. ACK keeps the INVITE's CSeq; other requests count up.
  void peer_in_dialog(std::string_view method, std::string_view extra, std::string_view body = {}) {
    const std::uint32_t cseq = method == "ACK" ? 1 : ++notify_cseq_;
    deliver(
        sip_message(fmt::format("{0} sip:voxgate@192.0.2.10:5060 SIP/2.0\n"
                                "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKpeer{0}{1}\n"
                                "Max-Forwards: 70\n"
                                "From: <sip:alice@example.com>;tag=alice-1\n"
                                "To: {2}\n"
                                "Call-ID: refer@198.51.100.7\n"
                                "CSeq: {1} {0}\n"
                                "Contact: <sip:alice@198.51.100.7:5060>\n"
                                "{3}"
                                "\n"
                                "{4}",
                                method, cseq, peer_to_, extra, body)));
  }

  // The transferee's NOTIFY of the refer subscription (RFC 3515 §2.4.4):
  // `sipfrag` is the body, `state` the Subscription-State.
  void notify(std::string_view sipfrag, std::string_view state = "active;expires=60",
              std::string_view event = "refer") {
    peer_in_dialog("NOTIFY",
                   fmt::format("Event: {}\nSubscription-State: {}\nContent-Type: message/sipfrag\n", event, state),
                   sipfrag);
  }

  [[nodiscard]] Message our_refer() const { return sent_requests(Method::Refer).at(0); }

  // The peer's response to our REFER.
  void answer_refer(std::uint16_t status) {
    deliver(test::parse_ok(make_response(our_refer(), status).build().serialize()));
  }

  [[nodiscard]] std::vector<TransferUpdate> transfers() const {
    std::vector<TransferUpdate> out;
    for (const CallEvent& e : app_.events) {
      if (e.kind == Kind::Transfer) out.push_back(e.transfer);
    }
    return out;
  }

  // The statuses of our responses to the peer's NOTIFYs, in order.
  [[nodiscard]] std::vector<std::uint16_t> notify_answers() const {
    std::vector<std::uint16_t> out;
    for (const Message& m : sent_messages()) {
      if (m.is_response() && m.cseq() && m.cseq()->method == Method::Notify) out.push_back(m.status());
    }
    return out;
  }

  std::string peer_to_;
  std::uint32_t notify_cseq_ = 1;
};

TEST_F(DialogLayerRefer, TheReferIsBuiltInTheDialogWithReferToReferredByContactAndTheRouteSet) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com;transport=tcp", "<sip:bot@voxgate.example>"));

  ASSERT_EQ(sent_requests(Method::Refer).size(), 1U);
  const Message refer = our_refer();
  EXPECT_EQ(refer.request_uri_text(), "sip:alice@198.51.100.7:5060") << "the remote target (loose routing)";
  EXPECT_EQ(refer.first_value(HeaderId::Route), "<sip:203.0.113.9:5070;lr>") << "the route set";
  EXPECT_EQ(refer.first_value(HeaderId::ReferTo), "<sip:desk@example.com;transport=tcp>");
  EXPECT_EQ(refer.first_value(HeaderId::ReferredBy), "<sip:bot@voxgate.example>");
  EXPECT_EQ(refer.first_value(HeaderId::Contact), "<sip:voxgate@192.0.2.10:5060>");
  EXPECT_EQ(refer.cseq()->sequence, 1U) << "our first request in the dialog";
  EXPECT_EQ(refer.cseq()->method, Method::Refer);
  EXPECT_EQ(refer.to()->tag(), "alice-1");
  EXPECT_EQ(refer.call_id(), "refer@198.51.100.7");
  EXPECT_EQ(layer_.stats().transfers_sent, 1U);
  EXPECT_TRUE(app_.events.empty()) << "nothing to report before the response";
}

TEST_F(DialogLayerRefer, AcceptedThenTryingThenOkIsASuccessAndEachNotifyIsAnswered200) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(202);
  notify("SIP/2.0 100 Trying\r\n", "active;expires=60", "refer;id=1");
  notify("SIP/2.0 200 OK\r\n", "terminated;reason=noresource", "refer;id=1");

  EXPECT_EQ(transfers(),
            (std::vector<TransferUpdate>{{TKind::Accepted, 202}, {TKind::Progress, 100}, {TKind::Succeeded, 200}}));
  EXPECT_EQ(notify_answers(), (std::vector<std::uint16_t>{200, 200}));
  EXPECT_EQ(layer_.calls(), 1U) << "the call stays up: hanging up is the application's decision";
  EXPECT_TRUE(sent_requests(Method::Bye).empty());

  // The subscription is over: another NOTIFY matches nothing (RFC 6665 §4.1.3).
  notify("SIP/2.0 200 OK\r\n", "terminated");
  EXPECT_EQ(notify_answers().back(), 481);
  // And the deadline, had it been left running, would add a failure.
  advance(kTransferOutcomeTimeout + std::chrono::seconds(1));
  EXPECT_EQ(transfers().size(), 3U);
}

TEST_F(DialogLayerRefer, ARefusedReferFailsWithItsStatusAndTheCallGoesOn) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(403);
  EXPECT_EQ(transfers(), (std::vector<TransferUpdate>{{TKind::Failed, 403}}));
  EXPECT_EQ(layer_.stats().transfers_failed, 1U);
  ASSERT_NE(layer_.dialog_of(call), nullptr);
  EXPECT_EQ(layer_.dialog_of(call)->state(), DialogState::Confirmed);
  // Over: a second transfer may start.
  EXPECT_TRUE(layer_.refer(call, "sip:other@example.com"));
}

TEST_F(DialogLayerRefer, ABusySipfragFailsWithItsStatus) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(202);
  notify("SIP/2.0 100 Trying\r\n");
  notify("SIP/2.0 486 Busy Here\r\n", "terminated;reason=noresource");
  EXPECT_EQ(transfers(),
            (std::vector<TransferUpdate>{{TKind::Accepted, 202}, {TKind::Progress, 100}, {TKind::Failed, 486}}));
  EXPECT_EQ(notify_answers(), (std::vector<std::uint16_t>{200, 200}));
  EXPECT_EQ(layer_.dialog_of(call)->state(), DialogState::Confirmed);
}

TEST_F(DialogLayerRefer, NoFinalNotifyWithinTheBoundFailsWith408) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(202);
  notify("SIP/2.0 100 Trying\r\n");
  advance(kTransferOutcomeTimeout - std::chrono::milliseconds(1));
  EXPECT_EQ(transfers().size(), 2U) << "not yet";
  advance(std::chrono::milliseconds(1));
  EXPECT_EQ(transfers(), (std::vector<TransferUpdate>{
                             {TKind::Accepted, 202}, {TKind::Progress, 100}, {TKind::Failed, kTransferTimeoutStatus}}));
  // A late NOTIFY belongs to no subscription any more.
  notify("SIP/2.0 200 OK\r\n", "terminated");
  EXPECT_EQ(notify_answers().back(), 481);
}

TEST_F(DialogLayerRefer, AReferWithoutAnyResponseFailsWith408AtTimerF) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  advance(std::chrono::seconds(33));
  EXPECT_EQ(transfers(), (std::vector<TransferUpdate>{{TKind::Failed, 408}}));
  EXPECT_EQ(layer_.calls(), 1U) << "RFC 5057 §5.2: the REFER's usage only";
}

TEST_F(DialogLayerRefer, ANotifyWithoutASubscriptionIs481) {
  incoming_call();
  notify("SIP/2.0 200 OK\r\n", "terminated");
  EXPECT_EQ(notify_answers(), std::vector<std::uint16_t>{481});
  EXPECT_TRUE(transfers().empty());
}

TEST_F(DialogLayerRefer, ANotifyOfAnotherPackageOrSubscriptionIs481) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(202);
  notify("SIP/2.0 200 OK\r\n", "active", "dialog");
  notify("SIP/2.0 200 OK\r\n", "active", "refer;id=77");
  EXPECT_EQ(notify_answers(), (std::vector<std::uint16_t>{481, 481}));
  EXPECT_EQ(transfers(), (std::vector<TransferUpdate>{{TKind::Accepted, 202}}));
}

TEST_F(DialogLayerRefer, AMalformedSipfragIs400AndTheTransferGoesOn) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(202);
  notify("HTTP/1.1 200 OK\r\n");
  notify("SIP/2.0 2x0 OK\r\n");
  notify("");
  EXPECT_EQ(notify_answers(), (std::vector<std::uint16_t>{400, 400, 400}));
  notify("SIP/2.0 200 OK\r\n", "terminated");
  EXPECT_EQ(transfers(), (std::vector<TransferUpdate>{{TKind::Accepted, 202}, {TKind::Succeeded, 200}}));
}

TEST_F(DialogLayerRefer, ANotifyWithAnotherBodyTypeIs415NamingSipfrag) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  peer_in_dialog("NOTIFY", "Event: refer\nSubscription-State: active\nContent-Type: text/plain\n",
                 "SIP/2.0 200 OK\r\n");
  const std::vector<Message> refused = sent_responses(415);
  ASSERT_EQ(refused.size(), 1U);
  EXPECT_EQ(refused[0].first_value(HeaderId::Accept), "message/sipfrag");
}

TEST_F(DialogLayerRefer, ANotifyBeforeTheReferResponseCountsAsAcceptance) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  notify("SIP/2.0 100 Trying\r\n");
  answer_refer(202);  // late: changes nothing
  notify("SIP/2.0 200 OK\r\n", "terminated");
  EXPECT_EQ(transfers(),
            (std::vector<TransferUpdate>{{TKind::Accepted, 202}, {TKind::Progress, 100}, {TKind::Succeeded, 200}}));
}

TEST_F(DialogLayerRefer, ATerminatedSubscriptionWithoutAFinalStatusFails) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(202);
  notify("SIP/2.0 100 Trying\r\n", "terminated;reason=timeout");
  EXPECT_EQ(transfers(),
            (std::vector<TransferUpdate>{{TKind::Accepted, 202}, {TKind::Failed, kTransferAbandonedStatus}}));
}

TEST_F(DialogLayerRefer, ASecondTransferWhileOneIsUnderWayIsRefused) {
  const CallHandle call = incoming_call();
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  auto second = layer_.refer(call, "sip:other@example.com");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::InvalidState);
  EXPECT_NE(second.error().message.find("Referring"), std::string::npos) << second.error().message;
  EXPECT_EQ(sent_requests(Method::Refer).size(), 1U);
}

TEST_F(DialogLayerRefer, BadTargetsAndCallsThatAreNotUpAreRefused) {
  const CallHandle call = incoming_call();
  EXPECT_EQ(layer_.refer(call, "http://example.com").error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.refer(call, "sip:a@b>\r\nX: y").error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.refer(call, "not a uri").error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.refer(call, "sip:desk@example.com", "no address <").error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer_.refer(CallHandle{999}, "sip:desk@example.com").error().code, Errc::NotFound);
  EXPECT_TRUE(sent_requests(Method::Refer).empty());
  ASSERT_TRUE(layer_.hangup(call));
  EXPECT_FALSE(layer_.refer(call, "sip:desk@example.com"));
}

TEST_F(DialogLayerRefer, HangingUpOnSuccessFromTheObserverSendsByeAndEndsTheCall) {
  const CallHandle call = incoming_call();
  app_.after_transfer = [this](CallHandle c, TransferUpdate update) {
    if (update.kind == TKind::Succeeded) {
      EXPECT_TRUE(layer_.hangup(c, "Q.850;cause=16"));
    }
  };
  ASSERT_TRUE(layer_.refer(call, "sip:desk@example.com"));
  answer_refer(202);
  notify("SIP/2.0 200 OK\r\n", "terminated");
  ASSERT_EQ(sent_requests(Method::Bye).size(), 1U);
  EXPECT_EQ(sent_requests(Method::Bye)[0].first_value(HeaderId::Reason), "Q.850;cause=16");
  EXPECT_EQ(app_.kinds().back(), Kind::Ended);
  EXPECT_EQ(layer_.calls(), 0U);
}

TEST_F(DialogLayerRefer, AnOutOfDialogNotifyIs481) {
  deliver(
      sip_message("NOTIFY sip:voxgate@192.0.2.10 SIP/2.0\n"
                  "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKood\n"
                  "Max-Forwards: 70\n"
                  "From: <sip:alice@example.com>;tag=a\n"
                  "To: <sip:voxgate@example.com>\n"
                  "Call-ID: stray@198.51.100.7\n"
                  "CSeq: 1 NOTIFY\n"
                  "Event: refer\n"
                  "Subscription-State: active\n"
                  "Content-Type: message/sipfrag\n"
                  "\n"
                  "SIP/2.0 200 OK\r\n"));
  EXPECT_EQ(response_statuses(), std::vector<std::uint16_t>{481});
}

TEST(ReferSubscription, SipfragStatusReadsTheStatusLine) {
  EXPECT_EQ(sipfrag_status("SIP/2.0 100 Trying\r\n").value_or(0), 100);
  EXPECT_EQ(sipfrag_status("SIP/2.0 486 Busy Here").value_or(0), 486);
  EXPECT_EQ(sipfrag_status("SIP/2.0 200\r\nContact: <sip:x@y>\r\n").value_or(0), 200);
  EXPECT_FALSE(sipfrag_status(""));
  EXPECT_FALSE(sipfrag_status("SIP/2.0 20 OK"));
  EXPECT_FALSE(sipfrag_status("SIP/2.0 2000 OK"));
  EXPECT_FALSE(sipfrag_status("SIP/2.0 099 Low"));
  EXPECT_FALSE(sipfrag_status("INVITE sip:x@y SIP/2.0"));
}

TEST(ReferSubscription, OnlyTheTableMovesAreAllowedAndARefusalNamesBothPhases) {
  EXPECT_TRUE(check_transfer_move(TransferPhase::Idle, TransferPhase::Referring));
  EXPECT_TRUE(check_transfer_move(TransferPhase::Referring, TransferPhase::Subscribed));
  EXPECT_TRUE(check_transfer_move(TransferPhase::Subscribed, TransferPhase::Idle));
  auto refused = check_transfer_move(TransferPhase::Idle, TransferPhase::Subscribed);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "transfer cannot go from Idle to Subscribed");
  EXPECT_FALSE(check_transfer_move(TransferPhase::Subscribed, TransferPhase::Referring));
}

}  // namespace
}  // namespace voxgate::sip::dialog_detail
