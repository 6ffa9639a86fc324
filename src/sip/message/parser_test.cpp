#include "sip/message/parser.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "sip/message/parse_error.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::sip {
namespace {

constexpr std::string_view kHeaders =
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n";

std::string request(std::string_view extra_headers = {}, std::string_view body = {},
                    std::string_view start = "INVITE sip:bob@biloxi.com SIP/2.0\r\n") {
  return std::string(start) + std::string(kHeaders) + std::string(extra_headers) + "\r\n" + std::string(body);
}

std::string response(std::string_view extra_headers = {}, std::string_view body = {},
                     std::string_view start = "SIP/2.0 200 OK\r\n") {
  return request(extra_headers, body, start);
}

ParseOptions stream() {
  ParseOptions o;
  o.framing = Framing::Stream;
  return o;
}

using test::is_printable;

// Parses `text`, expects a failure with `code` and `status`, and returns it.
ParseFailure expect_failure(std::string_view text, ParseErrorCode code, std::uint16_t status,
                            const ParseOptions& options = {}) {
  auto parsed = parse_message(text, options);
  if (parsed) {
    ADD_FAILURE() << "parsed, expected " << to_string(code);
    return ParseFailure{};
  }
  const ParseFailure& f = parsed.error();
  EXPECT_EQ(f.error.code, code) << to_string(f.error.code) << ": " << f.error.reason;
  EXPECT_EQ(f.error.status, status) << f.error.reason;
  EXPECT_EQ(f.error.respond(), status != 0);
  EXPECT_FALSE(f.error.reason.empty());
  EXPECT_TRUE(is_printable(f.error.reason)) << f.error.reason;
  // A request that can be answered carries what could be parsed of it.
  EXPECT_EQ(f.request.has_value(), status != 0);
  return parsed.error();
}

// ---- well-formed messages ----

TEST(Parser, ParsesRequestWithBody) {
  const std::string text = request("Content-Type: application/sdp\r\nContent-Length: 4\r\n", "v=0\n");
  auto m = parse_message(text);
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method(), Method::Invite);
  EXPECT_EQ(m->request_uri_text(), "sip:bob@biloxi.com");
  EXPECT_EQ(m->fields().size(), 8u);
  EXPECT_EQ(m->body(), "v=0\n");
  EXPECT_EQ(m->serialize(), text);
}

TEST(Parser, ParsesResponseStatusAndReason) {
  auto m = parse_message(response("Content-Length: 0\r\n", {}, "SIP/2.0 180 Ringing\r\n"));
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_TRUE(m->is_response());
  EXPECT_EQ(m->status(), 180);
  EXPECT_EQ(m->reason(), "Ringing");
}

TEST(Parser, AcceptsReasonPhrasesWithSpacesUtf8OrNothing) {
  auto spaced = parse_message(response({}, {}, "SIP/2.0 481 Call/Transaction Does Not Exist\r\n"));
  ASSERT_TRUE(spaced.has_value());
  EXPECT_EQ(spaced->reason(), "Call/Transaction Does Not Exist");
  // RFC 4475 §3.1.1.12 (unreason) and §3.1.1.13 (noreason).
  auto utf8 = parse_message(response({}, {}, "SIP/2.0 200 = 2**3 * 5**2 \xd0\xbd\xd0\xbe\r\n"));
  ASSERT_TRUE(utf8.has_value());
  EXPECT_EQ(utf8->reason(), "= 2**3 * 5**2 \xd0\xbd\xd0\xbe");
  auto empty = parse_message(response({}, {}, "SIP/2.0 100 \r\n"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->reason(), "");
  auto none = parse_message(response({}, {}, "SIP/2.0 100\r\n"));
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->status(), 100);
  EXPECT_EQ(none->reason(), "");
}

TEST(Parser, AcceptsStatusCodes100To699) {
  for (std::string_view line : {"SIP/2.0 100 x\r\n", "SIP/2.0 699 x\r\n", "SIP/2.0 299 x\r\n"}) {
    EXPECT_TRUE(parse_message(response({}, {}, line)).has_value()) << line;
  }
}

TEST(Parser, KeepsExtensionAndLowercaseMethodTokens) {
  auto ext = parse_message(request({}, {}, "NEWMETHOD sip:bob@biloxi.com SIP/2.0\r\n"));
  ASSERT_TRUE(ext.has_value());
  EXPECT_EQ(ext->method(), Method::Extension);
  EXPECT_EQ(ext->method_text(), "NEWMETHOD");
  auto lower = parse_message(request({}, {}, "invite sip:bob@biloxi.com SIP/2.0\r\n"));
  ASSERT_TRUE(lower.has_value());
  EXPECT_EQ(lower->method(), Method::Extension);
  EXPECT_EQ(lower->method_text(), "invite");
}

TEST(Parser, AcceptsLowercaseSipVersion) {
  EXPECT_TRUE(parse_message(request({}, {}, "OPTIONS sip:x.example.com sip/2.0\r\n")).has_value());
  EXPECT_TRUE(parse_message(response({}, {}, "sip/2.0 200 OK\r\n")).has_value());
}

TEST(Parser, AcceptsNonSipRequestUrisForA416Above) {
  auto m = parse_message(request({}, {}, "OPTIONS mailto:bob@biloxi.com SIP/2.0\r\n"));
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->request_uri()->scheme, UriScheme::Other);
  EXPECT_TRUE(parse_message(request({}, {}, "INVITE tel:+12015550123 SIP/2.0\r\n")).has_value());
}

TEST(Parser, IgnoresLeadingCrlfs) {
  // §7.5: CRLFs before the start line are ignored.
  const std::string text = request("Content-Length: 0\r\n");
  auto m = parse_message("\r\n\r\n\n\r\n" + text);
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->method(), Method::Invite);
  EXPECT_EQ(m->serialize(), text);
}

TEST(Parser, AcceptsBareLfLineEndings) {
  auto m = parse_message(
      "INVITE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1\n"
      "Subject: folded\n with LF\n"
      "Call-ID: lf@host\r\n"
      "Content-Length: 3\n"
      "\n"
      "abc");
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->fields().size(), 4u);
  EXPECT_EQ(m->top_via()->branch(), "z9hG4bK1");
  EXPECT_EQ(m->first_value(HeaderId::Subject), "folded\n with LF");
  EXPECT_EQ(m->call_id(), "lf@host");
  EXPECT_EQ(m->body(), "abc");
}

TEST(Parser, AcceptsLwsBeforeTheColonAndEmptyValues) {
  auto m = parse_message(request("Subject \t: spaced\r\nX-Empty:\r\nOrganization:   \r\n"));
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->first_value(HeaderId::Subject), "spaced");
  EXPECT_EQ(m->first_value("X-Empty"), "");
  EXPECT_EQ(m->first_value(HeaderId::Organization), "");
}

TEST(Parser, AcceptsHeaderSectionEndingAtTheEndOfADatagram) {
  auto m = parse_message("OPTIONS sip:x.example.com SIP/2.0\r\nCall-ID: c\r\n");
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->call_id(), "c");
  EXPECT_EQ(m->body(), "");
}

TEST(Parser, TakesOwnershipOfAString) {
  std::string text = request("Content-Length: 2\r\n", "hi");
  auto m = parse_message(std::move(text));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->body(), "hi");
  auto from_cstr = parse_message("ACK sip:a.example.com SIP/2.0\r\n\r\n");
  ASSERT_TRUE(from_cstr.has_value());
  EXPECT_EQ(from_cstr->method(), Method::Ack);
}

// ---- framing ----

TEST(Parser, DatagramWithoutContentLengthTakesTheRestAsBody) {
  // §18.3: Content-Length is optional on datagrams.
  auto m = parse_message(request({}, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"));
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->body(), "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");
}

TEST(Parser, StreamWithoutContentLengthIsA400) {
  const ParseFailure f = expect_failure(request(), ParseErrorCode::MissingContentLength, 400, stream());
  ASSERT_TRUE(f.request.has_value());
  EXPECT_EQ(f.request->call_id(), "a84b4c76e66710@pc33.atlanta.com");
}

TEST(Parser, StreamResponseWithoutContentLengthIsDropped) {
  expect_failure(response(), ParseErrorCode::MissingContentLength, 0, stream());
}

TEST(Parser, StreamWithContentLengthParses) {
  auto m = parse_message(request("Content-Length: 5\r\n", "hello"), stream());
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->body(), "hello");
  auto compact = parse_message(request("l: 0\r\n"), stream());
  ASSERT_TRUE(compact.has_value()) << compact.error().error.reason;
}

TEST(Parser, ContentLengthLargerThanTheDatagramIsA400ForARequest) {
  // §18.3; RFC 4475 clerr.
  const ParseFailure f =
      expect_failure(request("Content-Length: 9999\r\n", "short"), ParseErrorCode::BodyTruncated, 400);
  ASSERT_TRUE(f.request.has_value());
  EXPECT_EQ(f.request->top_via()->branch(), "z9hG4bK776asdhds");
}

TEST(Parser, ContentLengthLargerThanTheDatagramDropsAResponse) {
  expect_failure(response("Content-Length: 6\r\n", "short"), ParseErrorCode::BodyTruncated, 0);
}

TEST(Parser, IgnoresExtraDatagramBytesAfterTheBody) {
  // RFC 4475 §3.1.1.8 (dblreq) and §18.3.
  const std::string text = request("Content-Length: 3\r\n", "abc");
  auto m = parse_message(text + "EXTRA BYTES\r\n\r\nINVITE sip:x SIP/2.0\r\n");
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->body(), "abc");
  EXPECT_EQ(m->serialize(), text);
  auto zero = parse_message(request("Content-Length: 0\r\n", "junk"));
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero->body(), "");
}

TEST(Parser, ContentLengthWithLwsOrFoldingIsAccepted) {
  auto m = parse_message(request("Content-Length:\r\n  3 \r\n", "abc"), stream());
  ASSERT_TRUE(m.has_value()) << m.error().error.reason;
  EXPECT_EQ(m->body(), "abc");
}

TEST(Parser, BadContentLengthIsA400) {
  for (std::string_view value : {"abc", "-1", "1.5", "2147483648", "99999999999999999999", "", "3 3"}) {
    const std::string text = request("Content-Length: " + std::string(value) + "\r\n", "abc");
    expect_failure(text, ParseErrorCode::BadContentLength, 400);
    expect_failure(text, ParseErrorCode::BadContentLength, 400, stream());
  }
  expect_failure(response("Content-Length: x\r\n"), ParseErrorCode::BadContentLength, 0);
}

TEST(Parser, MultipleContentLengthIsA400) {
  // RFC 4475 §3.3.9 (mcl01).
  expect_failure(request("Content-Length: 3\r\nl: 3\r\n", "abc"), ParseErrorCode::MultipleContentLength, 400);
  expect_failure(request("Content-Length: 0\r\nContent-Length: 3\r\n", "abc"), ParseErrorCode::MultipleContentLength,
                 400);
  expect_failure(response("Content-Length: 0\r\nContent-Length: 0\r\n"), ParseErrorCode::MultipleContentLength, 0);
}

// ---- start-line errors ----

TEST(Parser, EmptyInputIsDropped) {
  expect_failure("", ParseErrorCode::Empty, 0);
  expect_failure("\r\n\r\n", ParseErrorCode::Empty, 0);
  expect_failure("\n", ParseErrorCode::Empty, 0);
}

TEST(Parser, NonSipStartLinesAreDropped) {
  for (std::string_view text :
       {"HELLO\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "INVITE sip:x\r\n\r\n", "INVITE sip:x HTTP/2.0\r\n\r\n",
        "INVITE sip:x SIP/2\r\n\r\n", "INVITE sip:x SIP/.0\r\n\r\n", "SIPX/2.0 200 OK\r\n\r\n",
        "SIP/2.x 200 OK\r\n\r\n", "SIP/ 200 OK\r\n\r\n", "\x01\x02\x03 \xff\xfe SIP/\x80\r\n\r\n"}) {
    expect_failure(text, ParseErrorCode::NotSip, 0);
  }
}

TEST(Parser, MalformedRequestLinesAreA400WithThePartialRequest) {
  // RFC 4475 §3.1.2.7-§3.1.2.11.
  for (std::string_view start :
       {"INVITE  sip:bob@biloxi.com SIP/2.0\r\n", "INVITE sip:bob@biloxi.com  SIP/2.0\r\n",
        "INVITE sip:bob@biloxi.com SIP/2.0 \r\n", "INVITE sip:bob@biloxi.com SIP/2.0\t\r\n",
        "INVITE sip:bob@biloxi.com extra SIP/2.0\r\n", "INV@TE sip:bob@biloxi.com SIP/2.0\r\n"}) {
    const ParseFailure f = expect_failure(request({}, {}, start), ParseErrorCode::MalformedStartLine, 400);
    if (f.request) {
      EXPECT_EQ(f.request->call_id(), "a84b4c76e66710@pc33.atlanta.com") << start;
    }
  }
}

TEST(Parser, MalformedStatusLinesAreDropped) {
  // RFC 4475 §3.1.2.19 (bigcode).
  for (std::string_view start :
       {"SIP/2.0 20 OK\r\n", "SIP/2.0 2000 OK\r\n", "SIP/2.0 099 Low\r\n", "SIP/2.0 700 High\r\n", "SIP/2.0 OK 200\r\n",
        "SIP/2.0\r\n", "SIP/2.0 \r\n", "SIP/2.0 200 O\x01K\r\n", "SIP/2.0 200 OK\x7f\r\n"}) {
    expect_failure(response({}, {}, start), ParseErrorCode::MalformedStartLine, 0);
  }
}

TEST(Parser, UnsupportedVersionIsA505ForRequests) {
  // RFC 4475 §3.3.14 (badvers).
  const ParseFailure f = expect_failure(request({}, {}, "OPTIONS sip:t.watson@example.org SIP/7.0\r\n"),
                                        ParseErrorCode::UnsupportedVersion, 505);
  ASSERT_TRUE(f.request.has_value());
  EXPECT_EQ(f.request->method(), Method::Options);
  EXPECT_EQ(f.request->top_via()->host, "pc33.atlanta.com");
}

TEST(Parser, UnsupportedVersionInAResponseIsDropped) {
  expect_failure(response({}, {}, "SIP/3.0 200 OK\r\n"), ParseErrorCode::UnsupportedVersion, 0);
}

TEST(Parser, MalformedRequestUriIsA400) {
  for (std::string_view start : {"INVITE sip:bob@biloxi.com:99999 SIP/2.0\r\n", "INVITE bob@biloxi.com SIP/2.0\r\n",
                                 "INVITE sip:[2001:db8:::1] SIP/2.0\r\n", "INVITE sip:bob@biloxi.com> SIP/2.0\r\n"}) {
    expect_failure(request({}, {}, start), ParseErrorCode::MalformedRequestUri, 400);
  }
}

TEST(Parser, RequestUriWithHeadersIsA400) {
  // §19.1.1: headers are not allowed in a Request-URI (RFC 4475 escruri).
  const ParseFailure f = expect_failure(request({}, {}, "INVITE sip:bob@biloxi.com?Subject=hi SIP/2.0\r\n"),
                                        ParseErrorCode::MalformedRequestUri, 400);
  EXPECT_NE(f.error.reason.find("headers"), std::string::npos) << f.error.reason;
}

TEST(Parser, StartLineLongerThanTheLineLimitIsDropped) {
  ParseOptions o;
  o.limits.max_line_bytes = 64;
  const std::string start = "INVITE sip:" + std::string(80, 'a') + "@biloxi.com SIP/2.0\r\n";
  expect_failure(request({}, {}, start), ParseErrorCode::MalformedStartLine, 0, o);
}

// ---- header errors ----

TEST(Parser, MalformedHeaderLineIsA400AndParsingGoesOn) {
  for (std::string_view line : {"NoColonHere\r\n", ": no name\r\n", "Bad Name: x\r\n", "Via@: x\r\n",
                                "\x01\x02: binary\r\n", "(paren): x\r\n"}) {
    const ParseFailure f = expect_failure(request({}, {}, "INVITE sip:bob@biloxi.com SIP/2.0\r\n" + std::string(line)),
                                          ParseErrorCode::MalformedHeader, 400);
    ASSERT_TRUE(f.request.has_value());
    // Headers after the bad one are still there for the response.
    EXPECT_EQ(f.request->cseq()->sequence, 314159u);
  }
  expect_failure(request({}, {}, "INVITE sip:bob@biloxi.com SIP/2.0\r\nJunk\x80\r\n"), ParseErrorCode::MalformedHeader,
                 400);
}

TEST(Parser, MalformedHeaderInAResponseIsDropped) {
  expect_failure(response("garbage line\r\n"), ParseErrorCode::MalformedHeader, 0);
}

TEST(Parser, HeaderLineOverTheLimitIsA400) {
  ParseOptions o;
  o.limits.max_line_bytes = 100;
  const ParseFailure f =
      expect_failure(request("Subject: " + std::string(200, 'x') + "\r\n"), ParseErrorCode::HeaderLineTooLong, 400, o);
  ASSERT_TRUE(f.request.has_value());
  EXPECT_EQ(f.request->call_id(), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_FALSE(f.request->has(HeaderId::Subject));
  // Exactly at the limit is fine.
  const std::string exact = "Subject: " + std::string(91, 'x') + "\r\n";
  ASSERT_EQ(exact.size(), 102u);
  EXPECT_TRUE(parse_message(request(exact), o).has_value());
}

TEST(Parser, FoldedContinuationCountsTowardsTheLineLimit) {
  ParseOptions o;
  o.limits.max_line_bytes = 100;
  const std::string folded = "Subject: " + std::string(60, 'x') + "\r\n " + std::string(60, 'y') + "\r\n";
  expect_failure(request(folded), ParseErrorCode::HeaderLineTooLong, 400, o);
}

TEST(Parser, MoreHeadersThanTheLimitIsA400) {
  ParseOptions o;
  o.limits.max_headers = 6;
  EXPECT_TRUE(parse_message(request(), o).has_value());  // exactly 6
  const ParseFailure f = expect_failure(request("Subject: one too many\r\n"), ParseErrorCode::TooManyHeaders, 400, o);
  ASSERT_TRUE(f.request.has_value());
  EXPECT_EQ(f.request->fields().size(), 6u);
  expect_failure(response("Subject: one too many\r\n"), ParseErrorCode::TooManyHeaders, 0, o);
}

// ---- size limit ----

TEST(Parser, RequestOverTheSizeLimitIsA513) {
  ParseOptions o;
  o.limits.max_message_bytes = 400;
  const std::string text = request("Content-Length: 600\r\n", std::string(600, 'b'));
  const ParseFailure f = expect_failure(text, ParseErrorCode::MessageTooLarge, 513, o);
  ASSERT_TRUE(f.request.has_value());
  EXPECT_EQ(f.request->top_via()->branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(f.request->cseq()->sequence, 314159u);
}

TEST(Parser, ResponseOverTheSizeLimitIsDropped) {
  ParseOptions o;
  o.limits.max_message_bytes = 400;
  expect_failure(response("Content-Length: 600\r\n", std::string(600, 'b')), ParseErrorCode::MessageTooLarge, 0, o);
}

TEST(Parser, MessageExactlyAtTheSizeLimitParses) {
  const std::string text = request("Content-Length: 10\r\n", "0123456789");
  ParseOptions o;
  o.limits.max_message_bytes = text.size();
  EXPECT_TRUE(parse_message(text, o).has_value());
  o.limits.max_message_bytes = text.size() - 1;
  expect_failure(text, ParseErrorCode::MessageTooLarge, 513, o);
}

TEST(Parser, SizeLimitCuttingAHeaderLineIsStillA513) {
  // Wherever the limit falls, the answer is 513, not a complaint about the
  // header line the cut happens to truncate.
  const std::string text = request("Subject: " + std::string(300, 's') + "\r\nX-Last: v\r\n");
  const std::size_t subject_at = text.find("Subject");
  for (std::size_t cut = subject_at; cut < text.size() - 1; cut += 7) {
    ParseOptions o;
    o.limits.max_message_bytes = cut;
    const ParseFailure f = expect_failure(text, ParseErrorCode::MessageTooLarge, 513, o);
    if (f.request) {
      EXPECT_EQ(f.request->call_id(), "a84b4c76e66710@pc33.atlanta.com") << cut;
    }
  }
}

// ---- every code ----

TEST(Parser, EveryParseErrorCodeHasADistinctName) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ParseErrorCode::CSeqMethodMismatch); ++i) {
    const std::string_view name = to_string(static_cast<ParseErrorCode>(i));
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_EQ(to_string(ParseErrorCode::MessageTooLarge), "message-too-large");
  EXPECT_EQ(to_string(ParseErrorCode::CSeqMethodMismatch), "cseq-method-mismatch");
}

TEST(Parser, ParseErrorRespondsOnlyWithAStatus) {
  EXPECT_FALSE(ParseError{}.respond());
  EXPECT_TRUE((ParseError{ParseErrorCode::MalformedHeader, 400, "x"}.respond()));
}

}  // namespace
}  // namespace voxgate::sip
