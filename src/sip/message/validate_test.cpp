#include "sip/message/validate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sip/message/parser.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::sip {
namespace {

struct Line {
  std::string_view name;
  std::string_view text;  // the whole header line
};

constexpr Line kMandatory[] = {
    {"Via", "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"},
    {"From", "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"},
    {"To", "To: Bob <sip:bob@biloxi.com>\r\n"},
    {"Call-ID", "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"},
    {"CSeq", "CSeq: 314159 INVITE\r\n"},
};

// An INVITE with every mandatory header except `skip`, then `extra`.
std::string invite(std::string_view extra = {}, std::string_view skip = {},
                   std::string_view start = "INVITE sip:bob@biloxi.com SIP/2.0\r\n") {
  std::string text(start);
  for (const Line& line : kMandatory) {
    if (line.name != skip) text += line.text;
  }
  text += "Max-Forwards: 70\r\n";
  text += extra;
  text += "\r\n";
  return text;
}

std::string ok_response(std::string_view extra = {}, std::string_view skip = {}) {
  return invite(extra, skip, "SIP/2.0 200 OK\r\n");
}

using test::parse_ok;

void expect_rejected(std::string_view text, ParseErrorCode code, std::uint16_t status,
                     std::string_view reason_part = {}) {
  const Message m = parse_ok(text);
  auto r = validate_message(m);
  ASSERT_FALSE(r.has_value()) << "accepted:\n" << text;
  EXPECT_EQ(r.error().code, code) << to_string(r.error().code) << ": " << r.error().reason;
  EXPECT_EQ(r.error().status, status);
  EXPECT_EQ(r.error().respond(), status != 0);
  if (!reason_part.empty()) {
    EXPECT_NE(r.error().reason.find(reason_part), std::string::npos) << r.error().reason;
  }
}

TEST(Validate, AcceptsACompleteRequest) {
  auto r = validate_message(parse_ok(invite("Contact: <sip:alice@pc33.atlanta.com>\r\nExpires: 3600\r\n")));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, AcceptsACompleteResponse) {
  auto r = validate_message(parse_ok(ok_response()));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, AcceptsCompactFormsOfTheMandatoryHeaders) {
  auto r =
      validate_message(parse_ok("BYE sip:bob@192.0.2.4 SIP/2.0\r\n"
                                "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds10\r\n"
                                "f: <sip:alice@atlanta.com>;tag=1\r\n"
                                "t: <sip:bob@biloxi.com>;tag=2\r\n"
                                "i: a84b4c76e66710\r\n"
                                "CSeq: 231 BYE\r\n"
                                "l: 0\r\n"
                                "\r\n"));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, MissingEachMandatoryHeaderIsA400) {
  // §8.1.1; RFC 4475 §3.3.1 (insuf).
  for (const Line& line : kMandatory) {
    SCOPED_TRACE(line.name);
    expect_rejected(invite({}, line.name), ParseErrorCode::MissingHeader, 400,
                    "Missing " + std::string(line.name) + " header");
  }
}

TEST(Validate, MissingMandatoryHeaderInAResponseIsDropped) {
  for (const Line& line : kMandatory) {
    SCOPED_TRACE(line.name);
    expect_rejected(ok_response({}, line.name), ParseErrorCode::MissingHeader, 0);
  }
}

TEST(Validate, DuplicateSingletonHeadersAreA400) {
  // RFC 4475 §3.3.8 (multi01).
  const std::pair<std::string_view, std::string_view> duplicates[] = {
      {"From", "From: <sip:mallory@example.com>;tag=2\r\n"},
      {"To", "t: <sip:carol@example.com>\r\n"},
      {"Call-ID", "i: other@host\r\n"},
      {"CSeq", "CSeq: 314159 INVITE\r\n"},
      {"Max-Forwards", "Max-Forwards: 70\r\n"},
      {"Content-Type", "Content-Type: application/sdp\r\nc: text/plain\r\n"},
  };
  for (const auto& [name, extra] : duplicates) {
    SCOPED_TRACE(name);
    expect_rejected(invite(extra), ParseErrorCode::DuplicateHeader, 400, "Multiple " + std::string(name) + " headers");
  }
}

TEST(Validate, DuplicateContentLengthIsRejected) {
  // The parser catches a parsed duplicate first; a built message can still have one.
  Message m = parse_ok(invite());
  m.add_header(HeaderId::ContentLength, "0");
  m.add_header(HeaderId::ContentLength, "0");
  auto r = validate_message(m);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ParseErrorCode::DuplicateHeader);
  EXPECT_EQ(r.error().status, 400);
}

TEST(Validate, DuplicateSingletonInAResponseIsDropped) {
  expect_rejected(ok_response("Call-ID: second@host\r\n"), ParseErrorCode::DuplicateHeader, 0);
}

TEST(Validate, RepeatedListHeadersAreFine) {
  auto r =
      validate_message(parse_ok(invite("Via: SIP/2.0/UDP second.example.com;branch=z9hG4bK2\r\n"
                                       "Contact: <sip:a@example.com>\r\nContact: <sip:b@example.com>\r\n"
                                       "Supported: timer\r\nSupported: 100rel\r\n")));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, CSeqMethodMustMatchTheRequestMethod) {
  // RFC 4475 §3.1.2.17 (mismatch01).
  expect_rejected(invite({}, {}, "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"), ParseErrorCode::CSeqMethodMismatch, 400);
  // Methods are case-sensitive (§7.1).
  std::string lower = invite({}, "CSeq");
  lower.insert(lower.find("Max-Forwards"), "CSeq: 314159 invite\r\n");
  expect_rejected(lower, ParseErrorCode::CSeqMethodMismatch, 400);
}

TEST(Validate, CSeqOfAnExtensionMethodMatchesByText) {
  std::string text = invite({}, "CSeq", "NEWMETHOD sip:bob@biloxi.com SIP/2.0\r\n");
  text.insert(text.find("Max-Forwards"), "CSeq: 8 NEWMETHOD\r\n");
  auto r = validate_message(parse_ok(text));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, ResponsesAreNotCheckedForCSeqMethod) {
  // A response carries the CSeq of the request it answers, whatever it was.
  std::string text = ok_response({}, "CSeq");
  text.insert(text.find("Max-Forwards"), "CSeq: 2 BYE\r\n");
  auto r = validate_message(parse_ok(text));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, BadMaxForwardsIsA400) {
  // RFC 4475 §3.1.2.4 (scalar02): Max-Forwards above 255.
  std::string text = invite();
  text.replace(text.find("Max-Forwards: 70"), 16, "Max-Forwards: 300");
  expect_rejected(text, ParseErrorCode::BadHeaderValue, 400, "Max-Forwards");
  std::string word = invite();
  word.replace(word.find("Max-Forwards: 70"), 16, "Max-Forwards: many");
  expect_rejected(word, ParseErrorCode::BadHeaderValue, 400, "Max-Forwards");
}

TEST(Validate, MaxForwardsIsNotCheckedInResponses) {
  std::string text = ok_response();
  text.replace(text.find("Max-Forwards: 70"), 16, "Max-Forwards: 300");
  auto r = validate_message(parse_ok(text));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, MalformedMandatoryHeadersAreA400) {
  const std::pair<std::string_view, std::string_view> bad[] = {
      {"Via", "Via: SIP/2.0/UDP pc33.atlanta.com:99999\r\n"},
      {"From", "From: <sip:alice@atlanta.com\r\n"},
      {"To", "To: sip:bob@biloxi.com?x=y\r\n"},
      {"Call-ID", "Call-ID: has space\r\n"},
      {"CSeq", "CSeq: 4294967296 INVITE\r\n"},
  };
  for (const auto& [name, line] : bad) {
    SCOPED_TRACE(name);
    std::string text = invite({}, name);
    text.insert(text.find("Max-Forwards"), line);
    expect_rejected(text, ParseErrorCode::BadHeaderValue, 400, name);
  }
}

TEST(Validate, MalformedMandatoryHeaderInAResponseIsDropped) {
  std::string text = ok_response({}, "CSeq");
  text.insert(text.find("Max-Forwards"), "CSeq: x INVITE\r\n");
  expect_rejected(text, ParseErrorCode::BadHeaderValue, 0);
}

TEST(Validate, EveryViaValueMustParse) {
  expect_rejected(invite("Via: SIP/2.0/UDP ok.example.com;branch=z9hG4bK2, SIP/2.0 broken\r\n"),
                  ParseErrorCode::BadHeaderValue, 400, "Via");
}

TEST(Validate, AViaFieldWithoutAValueIsA400EvenBesideAGoodOne) {
  for (const std::string_view first : {"Via:\r\n", "Via: , SIP/2.0/UDP ok.example.com;branch=z9hG4bK2\r\n"}) {
    SCOPED_TRACE(first);
    std::string text = invite();
    text.insert(text.find("Via: "), first);
    expect_rejected(text, ParseErrorCode::BadHeaderValue, 400, "Via");
  }
}

TEST(Validate, EveryContactValueMustParse) {
  expect_rejected(invite("Contact: <sip:a@example.com>, <sip:b@example.com\r\n"), ParseErrorCode::BadHeaderValue, 400,
                  "Contact");
  expect_rejected(invite("Contact: <sip:a@example.com>;expires=4294967296\r\n"), ParseErrorCode::BadHeaderValue, 400,
                  "Contact");
  auto star = validate_message(parse_ok(invite("Contact: *\r\nExpires: 0\r\n")));
  EXPECT_TRUE(star.has_value()) << star.error().reason;
}

TEST(Validate, BadContentTypeOrExpiresIsA400) {
  expect_rejected(invite("Content-Type: application\r\n"), ParseErrorCode::BadHeaderValue, 400, "Content-Type");
  expect_rejected(invite("Expires: 4294967296\r\n"), ParseErrorCode::BadHeaderValue, 400, "Expires");
}

TEST(Validate, OtherMalformedHeadersAreLeftForOnDemandParsing) {
  // Typed values are parsed on demand: a broken header nobody must read
  // does not make the message invalid.
  auto r = validate_message(parse_ok(invite("Session-Expires: soon\r\nDate: yesterday\r\nRSeq: x\r\n")));
  EXPECT_TRUE(r.has_value()) << r.error().reason;
}

TEST(Validate, MissingHeaderIsReportedBeforeDuplicatesAndValues) {
  expect_rejected(invite("From: <sip:x@example.com>;tag=9\r\nCSeq: 1 INVITE\r\n", "Call-ID"),
                  ParseErrorCode::MissingHeader, 400, "Call-ID");
}

}  // namespace
}  // namespace voxgate::sip
