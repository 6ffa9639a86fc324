// Dialogs created as UAC (RFC 3261 §12.1.2), their ACK (§13.2.2.4), BYE
// (§15.1.1) and the responses to requests inside them (§12.2.1.2).

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/detail/test_messages.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/message/builder.hpp"

namespace voxgate::sip {
namespace {

using dialog_detail::round_trip;
using dialog_detail::sip_message;

// What we sent (after the transport added its Via).
constexpr std::string_view kOurInvite =
    "INVITE sip:bob@192.0.2.4 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKuac1;rport\n"
    "Max-Forwards: 70\n"
    "From: Voxgate <sip:gw@voxgate.example>;tag=1c2a9e\n"
    "To: <sip:bob@biloxi.example.com>\n"
    "Call-ID: 7f3c90e1d2b4a6c8@192.0.2.1\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:gw@192.0.2.1:5060>\n"
    "\n";

// Its 180 through two record-routing proxies: the one nearest to us
// (192.0.2.10) recorded its route first, so it is last in the response.
constexpr std::string_view kRinging =
    "SIP/2.0 180 Ringing\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKuac1;rport=5060\n"
    "Record-Route: <sip:192.0.2.30;lr>, <sip:192.0.2.10;lr;r2=on>\n"
    "From: Voxgate <sip:gw@voxgate.example>;tag=1c2a9e\n"
    "To: <sip:bob@biloxi.example.com>;tag=314159\n"
    "Call-ID: 7f3c90e1d2b4a6c8@192.0.2.1\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:bob@192.0.2.4:5080>\n"
    "\n";

// The 200 took another path: only one proxy recorded a route.
constexpr std::string_view kOk =
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKuac1;rport=5060\n"
    "Record-Route: <sip:192.0.2.10;lr;r2=on>\n"
    "From: Voxgate <sip:gw@voxgate.example>;tag=1c2a9e\n"
    "To: <sip:bob@biloxi.example.com>;tag=314159\n"
    "Call-ID: 7f3c90e1d2b4a6c8@192.0.2.1\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:bob@192.0.2.5:5090;transport=tcp>\n"
    "\n";

Dialog uac_dialog(std::string_view response) {
  auto dialog = Dialog::create_uac(sip_message(kOurInvite), sip_message(response));
  EXPECT_TRUE(dialog) << (dialog ? "" : dialog.error().message);
  return std::move(*dialog);
}

std::string without_line(std::string_view text, std::string_view starting) {
  std::string out(text);
  const std::size_t at = out.find(starting);
  out.erase(at, out.find('\n', at) + 1 - at);
  return out;
}

TEST(DialogUac, A180WithToTagCreatesAnEarlyDialogNamedByOurFromTagAndTheirToTag) {
  const Dialog dialog = uac_dialog(kRinging);
  EXPECT_EQ(dialog.state(), DialogState::Early);
  EXPECT_EQ(dialog.role(), DialogRole::Uac);
  EXPECT_EQ(dialog.id(), (DialogId{"7f3c90e1d2b4a6c8@192.0.2.1", "1c2a9e", "314159"}));
  EXPECT_EQ(dialog.local_uri(), "Voxgate <sip:gw@voxgate.example>");
  EXPECT_EQ(dialog.remote_uri(), "<sip:bob@biloxi.example.com>");
}

TEST(DialogUac, ReversesTheResponsesRecordRoute) {
  const Dialog dialog = uac_dialog(kRinging);
  ASSERT_EQ(dialog.route_set().size(), 2U);
  EXPECT_EQ(dialog.route_set()[0].value, "<sip:192.0.2.10;lr;r2=on>");
  EXPECT_EQ(dialog.route_set()[1].value, "<sip:192.0.2.30;lr>");
}

TEST(DialogUac, LocalCSeqIsTheInvitesAndRemoteCSeqStartsEmpty) {
  const Dialog dialog = uac_dialog(kRinging);
  EXPECT_EQ(dialog.local_cseq(), 1U);
  EXPECT_FALSE(dialog.remote_cseq().has_value());
}

TEST(DialogUac, A1xxWithoutToTagCreatesNoDialog) {
  EXPECT_FALSE(Dialog::create_uac(sip_message(kOurInvite),
                                  sip_message(without_line(kRinging, "To:") + "To: <sip:bob@biloxi.example.com>\n")));
}

TEST(DialogUac, A1xxWithoutContactTargetsTheRequestUri) {
  const Dialog dialog = uac_dialog(without_line(kRinging, "Contact:"));
  EXPECT_EQ(dialog.remote_target(), "sip:bob@192.0.2.4");
}

TEST(DialogUac, The200ConfirmsAndRecomputesRouteSetAndRemoteTarget) {
  Dialog dialog = uac_dialog(kRinging);
  auto effect = dialog.on_invite_response(sip_message(kOk));
  ASSERT_TRUE(effect) << effect.error().message;
  EXPECT_EQ(*effect, InviteResponseEffect::Confirmed);
  EXPECT_EQ(dialog.state(), DialogState::Confirmed);
  ASSERT_EQ(dialog.route_set().size(), 1U);
  EXPECT_EQ(dialog.route_set()[0].uri, "sip:192.0.2.10;lr;r2=on");
  EXPECT_EQ(dialog.remote_target(), "sip:bob@192.0.2.5:5090;transport=tcp");
}

TEST(DialogUac, ALater1xxUpdatesTheRemoteTargetOfTheEarlyDialog) {
  Dialog dialog = uac_dialog(kRinging);
  std::string progress(kRinging);
  progress.replace(progress.find("192.0.2.4:5080"), 14, "192.0.2.4:5082");
  EXPECT_EQ(*dialog.on_invite_response(sip_message(progress)), InviteResponseEffect::EarlyUpdated);
  EXPECT_EQ(dialog.remote_target(), "sip:bob@192.0.2.4:5082");
}

TEST(DialogUac, AnotherCopyOfThe200IsARetransmissionToAcknowledgeAgain) {
  Dialog dialog = uac_dialog(kOk);
  EXPECT_EQ(*dialog.on_invite_response(sip_message(kOk)), InviteResponseEffect::Retransmission);
}

TEST(DialogUac, AFinalFailureEndsTheEarlyDialogAsRejected) {
  Dialog dialog = uac_dialog(kRinging);
  std::string busy(kRinging);
  busy.replace(0, std::string_view("SIP/2.0 180 Ringing").size(), "SIP/2.0 486 Busy Here");
  EXPECT_EQ(*dialog.on_invite_response(sip_message(busy)), InviteResponseEffect::Ended);
  EXPECT_EQ(dialog.state(), DialogState::Terminated);
  EXPECT_EQ(dialog.end_reason(), DialogEndReason::Rejected);
}

TEST(DialogUac, AResponseWithAnotherToTagIsRefused) {
  Dialog dialog = uac_dialog(kRinging);
  std::string other(kOk);
  other.replace(other.find("tag=314159"), 10, "tag=271828");
  EXPECT_FALSE(dialog.on_invite_response(sip_message(other)));
  EXPECT_EQ(dialog.state(), DialogState::Early);
}

// ---- ACK for the 2xx (§13.2.2.4) ----

TEST(DialogUac, AckHasTheInvitesCSeqNumberRouteSetAndNoVia) {
  Dialog dialog = uac_dialog(kOk);
  auto built = dialog.build_ack(1);
  ASSERT_TRUE(built) << built.error().message;
  const Message ack = round_trip(*built);
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.request_uri_text(), "sip:bob@192.0.2.5:5090;transport=tcp");
  EXPECT_EQ(*ack.first_value(HeaderId::Route), "<sip:192.0.2.10;lr;r2=on>");
  EXPECT_EQ(ack.cseq()->sequence, 1U);
  EXPECT_EQ(ack.cseq()->method_text, "ACK");
  EXPECT_EQ(*ack.first_value(HeaderId::From), "Voxgate <sip:gw@voxgate.example>;tag=1c2a9e");
  EXPECT_EQ(*ack.first_value(HeaderId::To), "<sip:bob@biloxi.example.com>;tag=314159");
  EXPECT_FALSE(ack.has(HeaderId::Via));
  EXPECT_TRUE(ack.body().empty());
  EXPECT_EQ(dialog.local_cseq(), 1U) << "ACK takes no new CSeq";
}

TEST(DialogUac, AckCarriesTheSdpAnswerWhenGiven) {
  Dialog dialog = uac_dialog(kOk);
  const Message ack = round_trip(*dialog.build_ack(1, "v=0\r\n"));
  EXPECT_EQ(ack.body(), "v=0\r\n");
  EXPECT_TRUE(ack.get<HeaderId::ContentType>()->is("application", "sdp"));
}

TEST(DialogUac, AckIsBuiltEvenAfterTheDialogEndedForLateRetransmissions) {
  Dialog dialog = uac_dialog(kOk);
  ASSERT_TRUE(dialog.build_bye());
  ASSERT_TRUE(dialog.terminate(DialogEndReason::LocalBye));
  EXPECT_TRUE(dialog.build_ack(1));
}

TEST(DialogUac, ByeFollowsTheInvitesCSeq) {
  Dialog dialog = uac_dialog(kOk);
  auto bye = dialog.build_bye();
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->cseq()->sequence, 2U);
}

TEST(DialogUac, TheCallerMayByeAnEarlyDialog) {
  Dialog dialog = uac_dialog(kRinging);
  EXPECT_TRUE(dialog.build_bye());
}

TEST(DialogUac, RequestsGoOverTheFirstRoutesTransport) {
  const Dialog dialog = uac_dialog(kOk);
  auto hop = dialog.next_hop();
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->address.ip.to_string(), "192.0.2.10");
  EXPECT_EQ(hop->transport, TransportKind::Udp);
}

TEST(DialogUac, WithoutRoutesRequestsGoOverTheTargetsTransport) {
  const Dialog dialog = uac_dialog(without_line(kOk, "Record-Route:"));
  auto hop = dialog.next_hop();
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->transport, TransportKind::Tcp);
  EXPECT_EQ(hop->address.port, 5090);
}

// ---- responses to our requests in the dialog (§12.2.1.2) ----

Message response_to(const Message& request, std::uint16_t status, std::string_view contact = {}) {
  MessageBuilder response = make_response(request, status);
  if (!contact.empty()) response.header(HeaderId::Contact, contact);
  return round_trip(response.build());
}

TEST(DialogUac, A481EndsTheDialog) {
  Dialog dialog = uac_dialog(kOk);
  const Message bye = *dialog.build_bye();
  EXPECT_EQ(dialog.on_response(response_to(bye, 481)), InDialogResponseEffect::Ended);
  EXPECT_EQ(dialog.end_reason(), DialogEndReason::PeerGone);
}

TEST(DialogUac, A408EndsTheDialog) {
  Dialog dialog = uac_dialog(kOk);
  const Message reinvite = *dialog.build_request(Method::Invite);
  EXPECT_EQ(dialog.on_response(response_to(reinvite, 408)), InDialogResponseEffect::Ended);
  EXPECT_EQ(dialog.state(), DialogState::Terminated);
}

TEST(DialogUac, A2xxToReInviteRefreshesTheRemoteTarget) {
  Dialog dialog = uac_dialog(kOk);
  const Message reinvite = *dialog.build_request(Method::Invite);
  EXPECT_EQ(dialog.on_response(response_to(reinvite, 200, "<sip:bob@192.0.2.6>")),
            InDialogResponseEffect::TargetRefreshed);
  EXPECT_EQ(dialog.remote_target(), "sip:bob@192.0.2.6");
}

TEST(DialogUac, A2xxToOptionsLeavesTheRemoteTarget) {
  Dialog dialog = uac_dialog(kOk);
  const Message options = *dialog.build_request(Method::Options);
  EXPECT_EQ(dialog.on_response(response_to(options, 200, "<sip:bob@192.0.2.6>")), InDialogResponseEffect::None);
  EXPECT_EQ(dialog.remote_target(), "sip:bob@192.0.2.5:5090;transport=tcp");
}

TEST(DialogUac, AFailedReInviteKeepsTheDialog) {
  Dialog dialog = uac_dialog(kOk);
  const Message reinvite = *dialog.build_request(Method::Invite);
  EXPECT_EQ(dialog.on_response(response_to(reinvite, 488)), InDialogResponseEffect::None);
  EXPECT_EQ(dialog.state(), DialogState::Confirmed);
}

}  // namespace
}  // namespace voxgate::sip
