#include "sip/message/builder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "sip/message/parser.hpp"
#include "sip/message/validate.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::sip {
namespace {

constexpr std::string_view kRequest =
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1;received=192.0.2.3\r\n"
    "Max-Forwards: 70\r\n"
    "v: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1 ,\r\n"
    "   SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From:   Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "i: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Timestamp: 54.23 0.5\r\n"
    "Contact: <sip:alice@pc33.atlanta.com>\r\n"
    "Subject: lunch\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

using test::parse_ok;

// The response, serialized and parsed back, as a peer would see it.
Message round_trip(const Message& m) {
  return parse_ok(m.serialize());
}

// ---- default_reason ----

TEST(DefaultReason, GivesRfc3261Phrases) {
  EXPECT_EQ(default_reason(100), "Trying");
  EXPECT_EQ(default_reason(180), "Ringing");
  EXPECT_EQ(default_reason(183), "Session Progress");
  EXPECT_EQ(default_reason(200), "OK");
  EXPECT_EQ(default_reason(302), "Moved Temporarily");
  EXPECT_EQ(default_reason(400), "Bad Request");
  EXPECT_EQ(default_reason(401), "Unauthorized");
  EXPECT_EQ(default_reason(404), "Not Found");
  EXPECT_EQ(default_reason(407), "Proxy Authentication Required");
  EXPECT_EQ(default_reason(408), "Request Timeout");
  EXPECT_EQ(default_reason(416), "Unsupported URI Scheme");
  EXPECT_EQ(default_reason(420), "Bad Extension");
  EXPECT_EQ(default_reason(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(default_reason(482), "Loop Detected");
  EXPECT_EQ(default_reason(483), "Too Many Hops");
  EXPECT_EQ(default_reason(486), "Busy Here");
  EXPECT_EQ(default_reason(487), "Request Terminated");
  EXPECT_EQ(default_reason(500), "Server Internal Error");
  EXPECT_EQ(default_reason(503), "Service Unavailable");
  EXPECT_EQ(default_reason(504), "Server Time-out");
  EXPECT_EQ(default_reason(505), "Version Not Supported");
  EXPECT_EQ(default_reason(513), "Message Too Large");
  EXPECT_EQ(default_reason(600), "Busy Everywhere");
  EXPECT_EQ(default_reason(603), "Decline");
}

TEST(DefaultReason, GivesExtensionPhrases) {
  EXPECT_EQ(default_reason(202), "Accepted");
  EXPECT_EQ(default_reason(422), "Session Interval Too Small");
  EXPECT_EQ(default_reason(489), "Bad Event");
  EXPECT_EQ(default_reason(580), "Precondition Failure");
  EXPECT_EQ(default_reason(199), "Early Dialog Terminated");
}

TEST(DefaultReason, IsEmptyForUnknownCodes) {
  for (std::uint16_t code : {0, 99, 101, 198, 299, 418, 499, 599, 699, 700, 1000}) {
    EXPECT_EQ(default_reason(code), std::string_view()) << code;
  }
}

// ---- MessageBuilder ----

TEST(MessageBuilder, BuildsRequestWithHeadersInOrderAndContentLength) {
  MessageBuilder b = MessageBuilder::request(Method::Options, "sip:carol@chicago.com");
  b.header(HeaderId::Via, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877")
      .header(HeaderId::MaxForwards, "70")
      .header("X-Custom", "1");
  const Message m = std::move(b).build();
  EXPECT_EQ(m.method(), Method::Options);
  EXPECT_EQ(m.serialize(),
            "OPTIONS sip:carol@chicago.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\r\n"
            "Max-Forwards: 70\r\n"
            "X-Custom: 1\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(MessageBuilder, ChainsFromTheFactoryToBuild) {
  const Message m = MessageBuilder::request(Method::Options, "sip:bob@biloxi.com")
                        .header(HeaderId::CallId, "chain@host")
                        .body("text/plain", "hi")
                        .build();
  EXPECT_EQ(m.call_id().value(), "chain@host");
  EXPECT_EQ(m.body(), "hi");
  EXPECT_EQ(m.first_value(HeaderId::ContentLength), "2");
}

TEST(MessageBuilder, RefusesTheExtensionPlaceholderAsAMethod) {
  EXPECT_THROW((void)MessageBuilder::request(Method::Extension, "sip:x.example.com"), std::logic_error);
}

TEST(MessageBuilder, RefusesAHeaderWithoutAName) {
  auto b = MessageBuilder::response(200);
  EXPECT_THROW(b.header(HeaderId::Other, "value"), std::logic_error);
  EXPECT_THROW(b.header(std::string_view{}, "value"), std::logic_error);
}

TEST(MessageBuilder, BuildsExtensionMethodRequest) {
  const Message m = MessageBuilder::request("NEWMETHOD", "sip:x.example.com").build();
  EXPECT_EQ(m.method(), Method::Extension);
  EXPECT_EQ(m.method_text(), "NEWMETHOD");
  EXPECT_EQ(m.first_value(HeaderId::ContentLength), "0");
}

TEST(MessageBuilder, ResponseUsesDefaultOrGivenReason) {
  EXPECT_EQ(MessageBuilder::response(486).build().reason(), "Busy Here");
  EXPECT_EQ(MessageBuilder::response(200, "Fine").build().reason(), "Fine");
  const Message unknown = MessageBuilder::response(299).build();
  EXPECT_EQ(unknown.reason(), "");
  EXPECT_EQ(unknown.serialize(), "SIP/2.0 299 \r\nContent-Length: 0\r\n\r\n");
}

TEST(MessageBuilder, BodySetsContentTypeAndContentLengthOnce) {
  MessageBuilder b = MessageBuilder::request(Method::Message, "sip:bob@biloxi.com");
  b.header(HeaderId::CallId, "x@y").body("text/plain", "Watson, come here.");
  const Message m = std::move(b).build();
  EXPECT_EQ(m.body(), "Watson, come here.");
  EXPECT_EQ(m.count(HeaderId::ContentLength), 1u);
  EXPECT_EQ(m.get<HeaderId::ContentLength>(), 18u);
  EXPECT_TRUE(m.get<HeaderId::ContentType>()->is("text", "plain"));
  const Message back = round_trip(m);
  EXPECT_EQ(back.body(), "Watson, come here.");
  EXPECT_EQ(back.call_id(), "x@y");
}

TEST(MessageBuilder, BuiltMessageParsesOnAStream) {
  MessageBuilder b = MessageBuilder::response(200);
  b.header(HeaderId::CallId, "c");
  const Message m = std::move(b).build();
  ParseOptions o;
  o.framing = Framing::Stream;
  auto back = parse_message(m.serialize(), o);
  ASSERT_TRUE(back.has_value()) << back.error().error.reason;
  EXPECT_EQ(back->status(), 200);
}

// ---- make_response (§8.2.6) ----

TEST(MakeResponse, CopiesEveryViaInOrderAndFromCallIdCSeqVerbatim) {
  const Message request = parse_ok(kRequest);
  const Message r = make_response(request, 486).build();
  EXPECT_TRUE(r.is_response());
  EXPECT_EQ(r.status(), 486);
  EXPECT_EQ(r.reason(), "Busy Here");
  ASSERT_EQ(r.count(HeaderId::Via), 2u);
  const HeaderValues request_vias = request.values(HeaderId::Via);
  const HeaderValues response_vias = r.values(HeaderId::Via);
  ASSERT_EQ(response_vias.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(response_vias[i], request_vias[i]) << i;
  EXPECT_EQ(r.first_value(HeaderId::Via), request.first_value(HeaderId::Via));
  EXPECT_EQ(r.first_value(HeaderId::From), "Alice <sip:alice@atlanta.com>;tag=1928301774");
  EXPECT_EQ(r.first_value(HeaderId::CallId), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(r.first_value(HeaderId::CSeq), "314159 INVITE");
}

TEST(MakeResponse, CopiesNoOtherHeadersOrBody) {
  const Message r = make_response(parse_ok(kRequest), 200, {}, "a6c85cf").build();
  EXPECT_FALSE(r.has(HeaderId::MaxForwards));
  EXPECT_FALSE(r.has(HeaderId::Contact));
  EXPECT_FALSE(r.has(HeaderId::Subject));
  EXPECT_FALSE(r.has(HeaderId::ContentType));
  EXPECT_FALSE(r.has(HeaderId::Timestamp));
  EXPECT_EQ(r.body(), "");
  EXPECT_EQ(r.first_value(HeaderId::ContentLength), "0");
}

TEST(MakeResponse, AddsToTagWhenAbsentAndStatusAbove100) {
  const Message request = parse_ok(kRequest);
  for (std::uint16_t status : {101, 180, 200, 404, 699}) {
    const Message r = make_response(request, status, {}, "a6c85cf").build();
    EXPECT_EQ(r.first_value(HeaderId::To), "Bob <sip:bob@biloxi.com>;tag=a6c85cf") << status;
    EXPECT_EQ(r.to()->tag(), "a6c85cf") << status;
  }
}

TEST(MakeResponse, NeverAddsToTagTo100) {
  const Message r = make_response(parse_ok(kRequest), 100, {}, "a6c85cf").build();
  EXPECT_EQ(r.first_value(HeaderId::To), "Bob <sip:bob@biloxi.com>");
  EXPECT_FALSE(r.to()->tag().has_value());
}

TEST(MakeResponse, KeepsAnExistingToTag) {
  std::string text(kRequest);
  text.replace(text.find("To: Bob <sip:bob@biloxi.com>"), 28, "To: Bob <sip:bob@biloxi.com>;tag=existing");
  const Message r = make_response(parse_ok(text), 200, {}, "new").build();
  EXPECT_EQ(r.first_value(HeaderId::To), "Bob <sip:bob@biloxi.com>;tag=existing");
  EXPECT_EQ(r.count(HeaderId::To), 1u);
}

TEST(MakeResponse, AddsNoTagWhenNoneIsGiven) {
  const Message r = make_response(parse_ok(kRequest), 200).build();
  EXPECT_EQ(r.first_value(HeaderId::To), "Bob <sip:bob@biloxi.com>");
}

TEST(MakeResponse, CopiesTimestampOnlyInto100) {
  // §8.2.6.1.
  const Message trying = make_response(parse_ok(kRequest), 100).build();
  EXPECT_EQ(trying.reason(), "Trying");
  EXPECT_EQ(trying.first_value(HeaderId::Timestamp), "54.23 0.5");
  EXPECT_FALSE(make_response(parse_ok(kRequest), 180).build().has(HeaderId::Timestamp));
  EXPECT_FALSE(make_response(parse_ok(kRequest), 200).build().has(HeaderId::Timestamp));
}

TEST(MakeResponse, UsesGivenReasonPhrase) {
  const Message r = make_response(parse_ok(kRequest), 603, "Not Today").build();
  EXPECT_EQ(r.reason(), "Not Today");
}

TEST(MakeResponse, AlwaysCarriesContentLength) {
  for (std::uint16_t status : {100, 180, 200, 400, 500}) {
    const Message r = make_response(parse_ok(kRequest), status).build();
    EXPECT_EQ(r.count(HeaderId::ContentLength), 1u) << status;
    EXPECT_EQ(r.get<HeaderId::ContentLength>(), 0u) << status;
  }
}

TEST(MakeResponse, CarriesABodyWithContentType) {
  const std::string sdp = "v=0\r\no=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\n";
  MessageBuilder b = make_response(parse_ok(kRequest), 200, {}, "a6c85cf");
  b.header(HeaderId::Contact, "<sip:bob@192.0.2.4>").body("application/sdp", sdp);
  const Message r = std::move(b).build();
  EXPECT_EQ(r.body(), sdp);
  EXPECT_EQ(r.get<HeaderId::ContentLength>(), sdp.size());
  EXPECT_TRUE(r.get<HeaderId::ContentType>()->is("application", "sdp"));
  EXPECT_EQ(r.count(HeaderId::ContentLength), 1u);
  const Message back = round_trip(r);
  EXPECT_EQ(back.body(), sdp);
  EXPECT_EQ(back.contacts()->front().address.uri.host, "192.0.2.4");
}

TEST(MakeResponse, ResponseIsValidAndMatchesTheRequestTransaction) {
  const Message request = parse_ok(kRequest);
  const Message r = round_trip(make_response(request, 180, {}, "t1").build());
  auto valid = validate_message(r);
  EXPECT_TRUE(valid.has_value()) << valid.error().reason;
  EXPECT_EQ(r.top_via()->branch(), request.top_via()->branch());
  EXPECT_EQ(r.cseq()->sequence, request.cseq()->sequence);
  EXPECT_EQ(r.cseq()->method, Method::Invite);
  EXPECT_EQ(r.from()->tag(), "1928301774");
}

TEST(MakeResponse, LeavesAMalformedToVerbatimWithoutTag) {
  std::string text(kRequest);
  text.replace(text.find("To: Bob <sip:bob@biloxi.com>"), 28, "To: <sip:bob@biloxi.com");
  const Message r = make_response(parse_ok(text), 400, {}, "t").build();
  EXPECT_EQ(r.first_value(HeaderId::To), "<sip:bob@biloxi.com");
}

TEST(MakeResponse, WorksOnThePartialRequestOfAParseFailure) {
  std::string text(kRequest);
  text.replace(text.find("Content-Length: 4"), 17, "Content-Length: x");
  auto parsed = parse_message(text);
  ASSERT_FALSE(parsed.has_value());
  const ParseFailure& failure = parsed.error();
  ASSERT_TRUE(failure.error.respond());
  ASSERT_TRUE(failure.request.has_value());
  const Message r = make_response(*failure.request, failure.error.status, failure.error.reason, "t9").build();
  EXPECT_EQ(r.status(), 400);
  EXPECT_EQ(r.reason(), failure.error.reason);
  EXPECT_EQ(r.values(HeaderId::Via).size(), 3u);
  EXPECT_EQ(r.call_id(), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(r.to()->tag(), "t9");
  auto valid = validate_message(round_trip(r));
  EXPECT_TRUE(valid.has_value()) << valid.error().reason;
}

TEST(MakeResponse, AnswersA505WithTheRequestItCouldNotRead) {
  std::string text(kRequest);
  text.replace(text.find("SIP/2.0\r\n"), 7, "SIP/3.0");
  auto parsed = parse_message(text);
  ASSERT_FALSE(parsed.has_value());
  ASSERT_EQ(parsed.error().error.status, 505);
  ASSERT_TRUE(parsed.error().request.has_value());
  const Message r = make_response(*parsed.error().request, 505).build();
  EXPECT_EQ(r.reason(), "Version Not Supported");
  EXPECT_EQ(r.first_value(HeaderId::CSeq), "314159 INVITE");
}

}  // namespace
}  // namespace voxgate::sip
