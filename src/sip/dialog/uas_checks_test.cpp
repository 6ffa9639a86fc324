// The UAS core's checks (RFC 3261 §8.2) and its own responses (§11.2 OPTIONS,
// 481, 503).

#include "sip/dialog/uas_checks.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/detail/test_messages.hpp"
#include "sip/message/validate.hpp"

namespace voxgate::sip {
namespace {

using dialog_detail::round_trip;
using dialog_detail::sip_message;

constexpr std::string_view kTag = "uas7";

// A request from a softphone; `method` replaces the method in both places,
// `extra` adds header lines, `body` the body.
Message request(std::string_view method, std::string_view extra = {}, std::string_view body = {},
                std::string_view request_uri = "sip:bob@192.0.2.4") {
  std::string text = std::string(method) + " " + std::string(request_uri) + " SIP/2.0\n";
  text += "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bKsoft1;rport\n";
  text += "Max-Forwards: 70\n";
  text += "From: Alice <sip:alice@atlanta.example.com>;tag=a1\n";
  text += "To: <sip:bob@biloxi.example.com>\n";
  text += "Call-ID: 5550001@192.0.2.101\n";
  text += "CSeq: 1 " + std::string(method) + "\n";
  text += "Contact: <sip:alice@192.0.2.101>\n";
  text += extra;
  text += "\n";
  text += body;
  return sip_message(text);
}

// The decision's response, as the peer would parse it; checks it is a
// well-formed answer to `req`.
Message answered(const RequestDecision& decision, std::uint16_t status) {
  EXPECT_EQ(decision.kind, RequestDecision::Kind::Respond);
  if (!decision.response) return Message::response(0, "");
  Message response = round_trip(*decision.response);
  EXPECT_EQ(response.status(), status);
  EXPECT_TRUE(validate_message(response));
  EXPECT_EQ(response.to()->tag(), kTag) << "a final response outside a dialog carries our To tag";
  return response;
}

TEST(UasChecks, AnOrdinaryInviteWithSdpProceeds) {
  const RequestDecision d = check_request(request("INVITE", "Content-Type: application/sdp\n", "v=0\r\n"), kTag);
  EXPECT_TRUE(d.proceeds());
  EXPECT_FALSE(d.response.has_value());
}

TEST(UasChecks, ByeAndCancelProceed) {
  EXPECT_TRUE(check_request(request("BYE"), kTag).proceeds());
  EXPECT_TRUE(check_request(request("CANCEL"), kTag).proceeds());
}

TEST(UasChecks, AMethodWeDoNotImplementGets405WithOurAllow) {
  for (std::string_view method : {"REGISTER", "SUBSCRIBE", "MESSAGE", "PRACK", "FOO"}) {
    SCOPED_TRACE(method);
    const Message response = answered(check_request(request(method), kTag), 405);
    EXPECT_EQ(*response.first_value(HeaderId::Allow), kAllowHeader);
  }
}

TEST(UasChecks, AllowListsExactlyTheMethodsWeAccept) {
  const Message response = answered(check_request(request("REGISTER"), kTag), 405);
  auto allow = response.get_all<HeaderId::Allow>();
  ASSERT_TRUE(allow);
  ASSERT_EQ(allow->size(), kAllowedMethods.size());
  for (std::string_view token : *allow) {
    const Method method = method_from_token(token);
    EXPECT_TRUE(is_allowed_method(method)) << token;
    if (method == Method::Ack) continue;
    EXPECT_NE(check_request(request(token), kTag).status(), 405) << token;
  }
}

TEST(UasChecks, ARequestUriWeCannotServeGets416) {
  answered(check_request(request("INVITE", {}, {}, "http://www.example.com/bob"), kTag), 416);
  EXPECT_TRUE(check_request(request("INVITE", {}, {}, "tel:+15551234567"), kTag).proceeds());
  EXPECT_TRUE(check_request(request("INVITE", {}, {}, "sips:bob@192.0.2.4"), kTag).proceeds());
}

TEST(UasChecks, MaxForwardsZeroGets483) {
  std::string text =
      "INVITE sip:bob@192.0.2.4 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.101;branch=z9hG4bKmf0\n"
      "Max-Forwards: 0\n"
      "From: <sip:alice@atlanta.example.com>;tag=a1\n"
      "To: <sip:bob@biloxi.example.com>\n"
      "Call-ID: mf0@192.0.2.101\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:alice@192.0.2.101>\n"
      "\n";
  answered(check_request(sip_message(text), kTag), 483);
}

TEST(UasChecks, MaxForwardsZeroOnOptionsIsStillAnswered) {
  std::string text =
      "OPTIONS sip:bob@192.0.2.4 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.101;branch=z9hG4bKmf0\n"
      "Max-Forwards: 0\n"
      "From: <sip:alice@atlanta.example.com>;tag=a1\n"
      "To: <sip:bob@biloxi.example.com>\n"
      "Call-ID: mf0@192.0.2.101\n"
      "CSeq: 1 OPTIONS\n"
      "\n";
  answered(check_request(sip_message(text), kTag), 200);
}

TEST(UasChecks, MaxForwardsOneOrAbsentProceeds) {
  std::string text =
      "INVITE sip:bob@192.0.2.4 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.101;branch=z9hG4bKmf0\n"
      "From: <sip:alice@atlanta.example.com>;tag=a1\n"
      "To: <sip:bob@biloxi.example.com>\n"
      "Call-ID: mf0@192.0.2.101\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:alice@192.0.2.101>\n"
      "\n";
  EXPECT_TRUE(check_request(sip_message(text), kTag).proceeds());
  text.insert(text.find("From:"), "Max-Forwards: 1\n");
  EXPECT_TRUE(check_request(sip_message(text), kTag).proceeds());
}

TEST(UasChecks, UnknownRequiredExtensionsGet420ListingEachOfThem) {
  const Message response =
      answered(check_request(request("INVITE", "Require: 100rel\nRequire: timer, precondition\n"), kTag), 420);
  EXPECT_EQ(response.values(HeaderId::Unsupported), (HeaderValues{"100rel", "precondition"}));
}

TEST(UasChecks, RequiredSessionTimersAreSupported) {
  EXPECT_TRUE(check_request(request("INVITE", "Require: timer\nSession-Expires: 1800\n"), kTag).proceeds());
}

TEST(UasChecks, RequireNeverRefusesAckOrCancel) {
  EXPECT_TRUE(check_request(request("ACK", "Require: 100rel\n"), kTag).proceeds());
  EXPECT_TRUE(check_request(request("CANCEL", "Require: 100rel\n"), kTag).proceeds());
}

TEST(UasChecks, AMalformedRequireGets400) {
  const RequestDecision d = check_request(request("INVITE", "Require: 100rel timer\n"), kTag);
  EXPECT_EQ(d.status(), 400);
}

TEST(UasChecks, AnInviteBodyOtherThanSdpGets415WithAccept) {
  const Message response = answered(check_request(request("INVITE", "Content-Type: text/plain\n", "hello"), kTag), 415);
  EXPECT_EQ(*response.first_value(HeaderId::Accept), "application/sdp");
}

TEST(UasChecks, AnInfoWithADtmfBodyOrNoBodyProceeds) {
  EXPECT_TRUE(
      check_request(request("INFO", "Content-Type: application/dtmf-relay\n", "Signal=5\r\n"), kTag).proceeds());
  EXPECT_TRUE(check_request(request("INFO", "Content-Type: Application/DTMF\n", "5"), kTag).proceeds());
  EXPECT_TRUE(check_request(request("INFO"), kTag).proceeds());
}

TEST(UasChecks, AnInfoBodyOtherThanDtmfGets415WithTheDtmfTypesInAccept) {
  // RFC 6086 §9 legacy INFO: DTMF is the only body we read in an INFO, and
  // an SDP there means nothing to us.
  const Message response =
      answered(check_request(request("INFO", "Content-Type: application/sdp\n", "v=0\r\n"), kTag), 415);
  EXPECT_EQ(*response.first_value(HeaderId::Accept), "application/dtmf-relay, application/dtmf");
}

TEST(UasChecks, MultipartBodiesAreNotReadYet) {
  answered(check_request(request("INVITE", "Content-Type: multipart/mixed;boundary=b1\n", "--b1--\r\n"), kTag), 415);
}

TEST(UasChecks, ContentTypeComparesCaseInsensitivelyAndIgnoresParameters) {
  EXPECT_TRUE(
      check_request(request("INVITE", "Content-Type: Application/SDP;charset=utf-8\n", "v=0\r\n"), kTag).proceeds());
}

TEST(UasChecks, AnEncodedBodyGets415WithAcceptEncoding) {
  const Message response = answered(
      check_request(request("INVITE", "Content-Type: application/sdp\nContent-Encoding: gzip\n", "xx"), kTag), 415);
  EXPECT_EQ(*response.first_value(HeaderId::AcceptEncoding), "identity");
}

TEST(UasChecks, TheIdentityEncodingIsFine) {
  EXPECT_TRUE(
      check_request(request("INVITE", "Content-Type: application/sdp\nContent-Encoding: identity\n", "v=0\r\n"), kTag)
          .proceeds());
}

TEST(UasChecks, ABodyWithoutContentTypeGets400) {
  const Message response = answered(check_request(request("INVITE", {}, "v=0\r\n"), kTag), 400);
  EXPECT_EQ(response.reason(), "Missing Content-Type header");
}

TEST(UasChecks, BodiesOfMethodsWeDoNotReadAreNotRefused) {
  EXPECT_TRUE(check_request(request("BYE", "Content-Type: application/x-custom\n", "stats"), kTag).proceeds());
}

TEST(UasChecks, AckAlwaysProceedsWhateverItCarries) {
  EXPECT_TRUE(check_request(request("ACK", "Content-Type: text/plain\n", "hi"), kTag).proceeds());
}

TEST(UasChecks, OptionsGets200WithOurCapabilities) {
  const Message response = answered(check_request(request("OPTIONS"), kTag), 200);
  EXPECT_EQ(*response.first_value(HeaderId::Allow), kAllowHeader);
  EXPECT_EQ(*response.first_value(HeaderId::Accept), "application/sdp");
  EXPECT_EQ(*response.first_value(HeaderId::AcceptEncoding), "identity");
  EXPECT_EQ(*response.first_value(HeaderId::AcceptLanguage), "en");
  EXPECT_TRUE(response.has(HeaderId::Supported));
  EXPECT_EQ(response.values(HeaderId::Supported).size(), kSupportedOptionTags.size());
}

TEST(UasChecks, ARequestInADialogKeepsItsToTag) {
  std::string text =
      "OPTIONS sip:bob@192.0.2.4 SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.101;branch=z9hG4bKin\n"
      "From: <sip:alice@atlanta.example.com>;tag=a1\n"
      "To: <sip:bob@biloxi.example.com>;tag=existing\n"
      "Call-ID: in@192.0.2.101\n"
      "CSeq: 7 OPTIONS\n"
      "\n";
  const RequestDecision d = check_request(sip_message(text), kTag);
  ASSERT_TRUE(d.response);
  EXPECT_EQ(round_trip(*d.response).to()->tag(), "existing");
}

TEST(UasChecks, NoDialogGets481) {
  const Message response = round_trip(make_no_dialog_response(request("BYE")));
  EXPECT_EQ(response.status(), 481);
  EXPECT_EQ(response.reason(), "Call/Transaction Does Not Exist");
}

TEST(UasChecks, OverloadGets503WithRetryAfter) {
  const Message response = round_trip(make_overload_response(request("INVITE"), 30, kTag));
  EXPECT_EQ(response.status(), 503);
  EXPECT_EQ(response.get<HeaderId::RetryAfter>()->delay, 30U);
  EXPECT_EQ(response.to()->tag(), kTag);
  EXPECT_EQ(*response.call_id(), "5550001@192.0.2.101");
}

}  // namespace
}  // namespace voxgate::sip
