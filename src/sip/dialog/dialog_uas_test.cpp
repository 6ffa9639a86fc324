// Dialogs created as UAS (RFC 3261 §12.1.1) and requests inside them
// (§12.2), on message shapes seen through real proxies.

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/detail/test_messages.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_response.hpp"
#include "sip/message/validate.hpp"

namespace voxgate::sip {
namespace {

using dialog_detail::round_trip;
using dialog_detail::sip_message;

// An INVITE that crossed three record-routing proxies: the one nearest to
// us added the first Record-Route; the next two share one header.
constexpr std::string_view kInvite =
    "INVITE sip:bob@192.0.2.4 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bK2d4790.1;received=192.0.2.20\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9.1\n"
    "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bKnashds8;received=192.0.2.101\n"
    "Max-Forwards: 67\n"
    "Record-Route: <sip:192.0.2.20;lr>\n"
    "Record-Route: <sip:192.0.2.10;lr;ftag=9fxced76sl>, <sip:192.0.2.9:5070;lr>\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@192.0.2.101;transport=udp>\n"
    "Content-Type: application/sdp\n"
    "\n"
    "v=0\n";

constexpr std::string_view kOurContact = "sip:voxgate@192.0.2.4:5060";
constexpr std::string_view kOurTag = "a6c85cf";

Message our_response(const Message& invite, std::uint16_t status) {
  return round_trip(make_dialog_response(invite, status, kOurTag, kOurContact).build());
}

Dialog uas_dialog(const Message& invite, std::uint16_t status) {
  auto dialog = Dialog::create_uas(invite, our_response(invite, status));
  EXPECT_TRUE(dialog) << (dialog ? "" : dialog.error().message);
  return std::move(*dialog);
}

TEST(DialogUas, A180WithOurTagCreatesAnEarlyDialog) {
  const Message invite = sip_message(kInvite);
  const Dialog dialog = uas_dialog(invite, 180);
  EXPECT_EQ(dialog.state(), DialogState::Early);
  EXPECT_EQ(dialog.role(), DialogRole::Uas);
  EXPECT_EQ(dialog.id(), (DialogId{"3848276298220188511@atlanta.example.com", "a6c85cf", "9fxced76sl"}));
}

TEST(DialogUas, A200CreatesAConfirmedDialog) {
  const Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  EXPECT_EQ(dialog.state(), DialogState::Confirmed);
}

TEST(DialogUas, KeepsRecordRouteInRequestOrderAcrossHeadersAndLists) {
  const Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_EQ(dialog.route_set().size(), 3U);
  EXPECT_EQ(dialog.route_set()[0].value, "<sip:192.0.2.20;lr>");
  EXPECT_EQ(dialog.route_set()[1].value, "<sip:192.0.2.10;lr;ftag=9fxced76sl>");
  EXPECT_EQ(dialog.route_set()[2].value, "<sip:192.0.2.9:5070;lr>");
  EXPECT_EQ(dialog.route_set()[2].uri, "sip:192.0.2.9:5070;lr");
  EXPECT_TRUE(dialog.route_set()[0].loose);
}

TEST(DialogUas, TakesRemoteTargetFromContactAndUrisFromFromAndTo) {
  const Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  EXPECT_EQ(dialog.remote_target(), "sip:alice@192.0.2.101;transport=udp");
  EXPECT_EQ(dialog.remote_uri(), "\"Alice A.\" <sip:alice@atlanta.example.com>");
  EXPECT_EQ(dialog.local_uri(), "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(dialog.local_contact(), kOurContact);
}

TEST(DialogUas, RemoteCSeqIsTheInvitesAndLocalCSeqStartsEmpty) {
  const Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  EXPECT_EQ(dialog.remote_cseq(), 314159U);
  EXPECT_FALSE(dialog.local_cseq().has_value());
}

TEST(DialogUas, A100OrAFinalFailureCreatesNoDialog) {
  const Message invite = sip_message(kInvite);
  EXPECT_FALSE(Dialog::create_uas(invite, our_response(invite, 100)));
  EXPECT_FALSE(Dialog::create_uas(invite, our_response(invite, 486)));
}

TEST(DialogUas, AnInviteWithoutContactCreatesNoDialog) {
  std::string text(kInvite);
  text.erase(text.find("Contact:"), std::string_view("Contact: <sip:alice@192.0.2.101;transport=udp>\n").size());
  const Message invite = sip_message(text);
  auto dialog = Dialog::create_uas(invite, our_response(invite, 200));
  ASSERT_FALSE(dialog);
  EXPECT_EQ(dialog.error().code, Errc::InvalidArgument);
}

TEST(DialogUas, OurResponseWithoutContactCreatesNoDialog) {
  const Message invite = sip_message(kInvite);
  const Message response = round_trip(make_response(invite, 200, {}, kOurTag).build());
  EXPECT_FALSE(Dialog::create_uas(invite, response));
}

TEST(DialogUas, AnInviteFromAnRfc2543PeerWithoutFromTagHasAnEmptyRemoteTag) {
  std::string text(kInvite);
  text.replace(text.find(";tag=9fxced76sl"), std::string_view(";tag=9fxced76sl").size(), "");
  Dialog dialog = uas_dialog(sip_message(text), 200);
  EXPECT_EQ(dialog.id().remote_tag, "");
  auto bye = dialog.build_bye();
  ASSERT_TRUE(bye);
  EXPECT_EQ(*bye->first_value(HeaderId::To), "\"Alice A.\" <sip:alice@atlanta.example.com>");
}

// ---- requests we send in the dialog (§12.2.1.1) ----

TEST(DialogUas, ByeUsesLooseRoutingRemoteTargetTagsAndAFirstLocalCSeq) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  auto built = dialog.build_bye();
  ASSERT_TRUE(built) << built.error().message;
  const Message bye = round_trip(*built);
  EXPECT_EQ(bye.method(), Method::Bye);
  EXPECT_EQ(bye.request_uri_text(), "sip:alice@192.0.2.101;transport=udp");
  const auto routes = bye.values(HeaderId::Route);
  ASSERT_EQ(routes.size(), 3U);
  EXPECT_EQ(routes[0], "<sip:192.0.2.20;lr>");
  EXPECT_EQ(routes[1], "<sip:192.0.2.10;lr;ftag=9fxced76sl>");
  EXPECT_EQ(routes[2], "<sip:192.0.2.9:5070;lr>");
  EXPECT_EQ(*bye.first_value(HeaderId::From), "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf");
  EXPECT_EQ(*bye.first_value(HeaderId::To), "\"Alice A.\" <sip:alice@atlanta.example.com>;tag=9fxced76sl");
  EXPECT_EQ(*bye.call_id(), "3848276298220188511@atlanta.example.com");
  EXPECT_EQ(bye.cseq()->sequence, 1U);
  EXPECT_EQ(bye.cseq()->method, Method::Bye);
  EXPECT_EQ(*bye.get<HeaderId::MaxForwards>(), 70);
  EXPECT_FALSE(bye.has(HeaderId::Contact)) << "BYE refreshes no target";
  EXPECT_FALSE(bye.has(HeaderId::Via)) << "the transport adds the Via";
  EXPECT_EQ(dialog.local_cseq(), 1U);
}

TEST(DialogUas, EachNewRequestIncrementsTheLocalCSeq) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_EQ(dialog.build_request(Method::Options)->cseq()->sequence, 1U);
  ASSERT_EQ(dialog.build_request(Method::Invite)->cseq()->sequence, 2U);
  EXPECT_EQ(dialog.build_bye()->cseq()->sequence, 3U);
  EXPECT_EQ(dialog.local_cseq(), 3U);
}

TEST(DialogUas, ReInviteCarriesOurContact) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  auto reinvite = dialog.build_request(Method::Invite);
  ASSERT_TRUE(reinvite);
  EXPECT_EQ(*reinvite->first_value(HeaderId::Contact), "<sip:voxgate@192.0.2.4:5060>");
}

TEST(DialogUas, RequestsGoToTheFirstRoute) {
  const Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  auto hop = dialog.next_hop();
  ASSERT_TRUE(hop) << hop.error().message;
  EXPECT_EQ(hop->transport, TransportKind::Udp);
  EXPECT_EQ(hop->address.ip.to_string(), "192.0.2.20");
  EXPECT_EQ(hop->address.port, 5060);
}

TEST(DialogUas, WithoutRouteSetRequestsGoToTheRemoteTarget) {
  std::string text(kInvite);
  while (text.find("Record-Route") != std::string::npos) {
    const std::size_t at = text.find("Record-Route");
    text.erase(at, text.find('\n', at) + 1 - at);
  }
  Dialog dialog = uas_dialog(sip_message(text), 200);
  EXPECT_TRUE(dialog.route_set().empty());
  auto bye = dialog.build_bye();
  ASSERT_TRUE(bye);
  EXPECT_FALSE(bye->has(HeaderId::Route));
  EXPECT_EQ(bye->request_uri_text(), "sip:alice@192.0.2.101;transport=udp");
  auto hop = dialog.next_hop();
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->address.ip.to_string(), "192.0.2.101");
}

// An RFC 2543 proxy (no ;lr) first in the route set: its URI becomes the
// Request-URI, the rest of the route set and then the remote target the Route.
TEST(DialogUas, StrictRouterFirstPutsItsUriInTheRequestUriAndTheTargetLastInRoute) {
  std::string text(kInvite);
  text.replace(text.find("<sip:192.0.2.20;lr>"), std::string_view("<sip:192.0.2.20;lr>").size(),
               "<sip:192.0.2.20;maddr=192.0.2.21;method=INVITE>");
  Dialog dialog = uas_dialog(sip_message(text), 200);
  ASSERT_FALSE(dialog.route_set()[0].loose);
  auto built = dialog.build_bye();
  ASSERT_TRUE(built);
  const Message bye = round_trip(*built);
  EXPECT_EQ(bye.request_uri_text(), "sip:192.0.2.20;maddr=192.0.2.21") << "method is not allowed in a Request-URI";
  const auto routes = bye.values(HeaderId::Route);
  ASSERT_EQ(routes.size(), 3U);
  EXPECT_EQ(routes[0], "<sip:192.0.2.10;lr;ftag=9fxced76sl>");
  EXPECT_EQ(routes[1], "<sip:192.0.2.9:5070;lr>");
  EXPECT_EQ(routes[2], "<sip:alice@192.0.2.101;transport=udp>");
  auto hop = dialog.next_hop();
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->address.ip.to_string(), "192.0.2.21") << "maddr of the strict router";
}

TEST(DialogUas, AUasMustNotSendByeOnAnEarlyDialog) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 180);
  auto bye = dialog.build_bye();
  ASSERT_FALSE(bye);
  EXPECT_EQ(bye.error().code, Errc::InvalidState);
  EXPECT_FALSE(dialog.local_cseq().has_value()) << "a refused request consumes no CSeq";
}

TEST(DialogUas, NoReInviteOnAnEarlyDialog) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 180);
  EXPECT_FALSE(dialog.build_request(Method::Invite));
}

TEST(DialogUas, NoRequestsOnATerminatedDialog) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_TRUE(dialog.terminate(DialogEndReason::RemoteBye));
  EXPECT_EQ(dialog.build_bye().error().code, Errc::InvalidState);
}

TEST(DialogUas, AckAndCancelAreNotBuiltAsNewRequests) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  EXPECT_FALSE(dialog.build_request(Method::Ack));
  EXPECT_FALSE(dialog.build_request(Method::Cancel));
  EXPECT_FALSE(dialog.build_ack(314159)) << "no INVITE of ours to acknowledge";
}

TEST(DialogUas, AcknowledgesThe2xxToItsOwnReInvite) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  auto reinvite = dialog.build_request(Method::Invite);
  ASSERT_TRUE(reinvite);
  const std::uint32_t cseq = reinvite->cseq()->sequence;
  auto ack = dialog.build_ack(cseq);
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(ack->cseq()->sequence, cseq);
  EXPECT_EQ(ack->cseq()->method, Method::Ack);
  EXPECT_FALSE(dialog.build_ack(cseq + 1));
}

// ---- requests the peer sends in the dialog (§12.2.2) ----

constexpr std::string_view kBye =
    "BYE sip:voxgate@192.0.2.4:5060 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKbye1.1\n"
    "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bKbye1\n"
    "Max-Forwards: 69\n"
    "From: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\n"
    "CSeq: {} {}\n"
    "{}"
    "\n";

Message peer_request(std::string_view method, std::uint32_t cseq, std::string_view extra = {}) {
  std::string text(kBye);
  text.replace(text.find("BYE"), 3, method);
  text.replace(text.find("{} {}"), 5, std::to_string(cseq) + " " + std::string(method));
  text.replace(text.find("{}"), 2, extra);
  return sip_message(text);
}

TEST(DialogUas, AHigherCSeqIsAcceptedAndBecomesTheRemoteCSeq) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  EXPECT_TRUE(dialog.on_request(peer_request("BYE", 314160)).proceeds());
  EXPECT_EQ(dialog.remote_cseq(), 314160U);
}

TEST(DialogUas, ALowerCSeqGets500WithRetryAfter) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_TRUE(dialog.on_request(peer_request("INFO", 314170)).proceeds());
  const RequestDecision decision = dialog.on_request(peer_request("BYE", 314165), 7);
  ASSERT_EQ(decision.kind, RequestDecision::Kind::Respond);
  const Message response = round_trip(*decision.response);
  EXPECT_EQ(response.status(), 500);
  EXPECT_EQ(response.get<HeaderId::RetryAfter>()->delay, 7U);
  EXPECT_EQ(dialog.remote_cseq(), 314170U) << "the out-of-order request does not move the remote CSeq";
}

TEST(DialogUas, TheAckOfTheInviteCarriesItsLowerCSeqAndProceeds) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_TRUE(dialog.on_request(peer_request("INFO", 314160)).proceeds());
  EXPECT_TRUE(dialog.on_request(peer_request("ACK", 314159)).proceeds());
}

TEST(DialogUas, AReInviteWithANewContactRefreshesTheRemoteTarget) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_TRUE(dialog.on_request(peer_request("INVITE", 314160, "Contact: <sip:alice@192.0.2.102:5062>\n")).proceeds());
  EXPECT_EQ(dialog.remote_target(), "sip:alice@192.0.2.102:5062");
  EXPECT_EQ(dialog.build_bye()->request_uri_text(), "sip:alice@192.0.2.102:5062");
}

TEST(DialogUas, ANonRefreshingRequestLeavesTheRemoteTarget) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_TRUE(dialog.on_request(peer_request("INFO", 314160, "Contact: <sip:alice@192.0.2.102:5062>\n")).proceeds());
  EXPECT_EQ(dialog.remote_target(), "sip:alice@192.0.2.101;transport=udp");
}

TEST(DialogUas, RequestsOnATerminatedDialogGet481AndAcksAreDropped) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_TRUE(dialog.terminate(DialogEndReason::LocalBye));
  const RequestDecision bye = dialog.on_request(peer_request("BYE", 314160));
  EXPECT_EQ(bye.status(), 481);
  EXPECT_EQ(dialog.on_request(peer_request("ACK", 314159)).kind, RequestDecision::Kind::Drop);
}

// ---- state ----

TEST(DialogUas, OurLater200ConfirmsTheEarlyDialog) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 183);
  ASSERT_TRUE(dialog.confirm());
  EXPECT_EQ(dialog.state(), DialogState::Confirmed);
  EXPECT_TRUE(dialog.build_bye());
}

TEST(DialogUas, TerminateRecordsTheReasonAndCannotHappenTwice) {
  Dialog dialog = uas_dialog(sip_message(kInvite), 200);
  ASSERT_TRUE(dialog.terminate(DialogEndReason::NoAck));
  EXPECT_EQ(dialog.end_reason(), DialogEndReason::NoAck);
  auto again = dialog.terminate(DialogEndReason::RemoteBye);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "dialog cannot go from Terminated to Terminated");
  EXPECT_EQ(dialog.end_reason(), DialogEndReason::NoAck);
}

// ---- the response that creates the dialog (§12.1.1) ----

TEST(DialogResponse, CopiesEveryRecordRouteInOrderAndAddsOurContactAndTag) {
  const Message invite = sip_message(kInvite);
  const Message response = round_trip(make_dialog_response(invite, 200, kOurTag, kOurContact).build());
  EXPECT_EQ(response.status(), 200);
  const auto record_route = response.values(HeaderId::RecordRoute);
  ASSERT_EQ(record_route.size(), 3U);
  EXPECT_EQ(record_route[0], "<sip:192.0.2.20;lr>");
  EXPECT_EQ(record_route[2], "<sip:192.0.2.9:5070;lr>");
  EXPECT_EQ(*response.first_value(HeaderId::Contact), "<sip:voxgate@192.0.2.4:5060>");
  EXPECT_EQ(response.to()->tag(), "a6c85cf");
  EXPECT_EQ(response.values(HeaderId::Via).size(), 3U);
  EXPECT_TRUE(validate_message(response));
}

}  // namespace
}  // namespace voxgate::sip
