#include "sip/message/cseq.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

CSeq cseq_ok(std::string_view text) {
  auto parsed = parse_cseq(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : CSeq{};
}

RAck rack_ok(std::string_view text) {
  auto parsed = parse_rack(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : RAck{};
}

TEST(CSeq, ParsesNumberAndKnownMethod) {
  const CSeq c = cseq_ok("4711 INVITE");
  EXPECT_EQ(c.sequence, 4711u);
  EXPECT_EQ(c.method, Method::Invite);
  EXPECT_EQ(c.method_text, "INVITE");
}

// parse_cseq reads "digits SP token" on a fast path and everything else on
// the general one: the forms on either side of that boundary read the same.
TEST(CSeq, CommonFormAndItsNeighboursReadAlike) {
  EXPECT_EQ(cseq_ok("123456789 BYE").sequence, 123456789u);    // nine digits: the fast path
  EXPECT_EQ(cseq_ok("4294967295 BYE").sequence, 4294967295u);  // ten: the general path
  EXPECT_EQ(cseq_ok("007 ACK").sequence, 7u);
  EXPECT_EQ(cseq_ok("0 ACK").sequence, 0u);
  for (std::string_view text : {"1 INVITE", "1  INVITE", "1\tINVITE", "1 INVITE ", " 1 INVITE", "1 \r\n INVITE"}) {
    const CSeq c = cseq_ok(text);
    EXPECT_EQ(c.sequence, 1u) << text;
    EXPECT_EQ(c.method, Method::Invite) << text;
    EXPECT_EQ(c.method_text, "INVITE") << text;
  }
  for (std::string_view text : {"4294967296 BYE", "1 INV@ITE", "1 ", "1", "12a BYE", "1INVITE", "-1 BYE"}) {
    EXPECT_FALSE(parse_cseq(text).has_value()) << text;
  }
}

TEST(CSeq, KeepsExtensionMethodText) {
  const CSeq c = cseq_ok("1 NEWMETHOD");
  EXPECT_EQ(c.method, Method::Extension);
  EXPECT_EQ(c.method_text, "NEWMETHOD");
}

TEST(CSeq, MethodIsCaseSensitive) {
  const CSeq c = cseq_ok("1 invite");
  EXPECT_EQ(c.method, Method::Extension);
  EXPECT_EQ(c.method_text, "invite");
}

TEST(CSeq, AcceptsLwsAroundAndBetweenParts) {
  const CSeq c = cseq_ok("  101 \r\n\t ACK  ");
  EXPECT_EQ(c.sequence, 101u);
  EXPECT_EQ(c.method, Method::Ack);
}

TEST(CSeq, AcceptsFull32BitRangeAndLeadingZeros) {
  EXPECT_EQ(cseq_ok("0 OPTIONS").sequence, 0u);
  EXPECT_EQ(cseq_ok("4294967295 BYE").sequence, 4294967295u);
  EXPECT_EQ(cseq_ok("00000000000000000042 BYE").sequence, 42u);
}

TEST(CSeq, RejectsNumbersAbove32Bits) {
  // RFC 4475 §3.1.2.4 (scalar02): CSeq 36893488147419103232.
  EXPECT_FALSE(parse_cseq("4294967296 INVITE").has_value());
  EXPECT_FALSE(parse_cseq("36893488147419103232 INVITE").has_value());
}

TEST(CSeq, RejectsMalformedValues) {
  for (std::string_view text : {"", "INVITE", "1", "1 ", "-1 INVITE", "1INVITE", "1 INVITE extra", "1 INV@TE",
                                "one INVITE", "1.5 INVITE", "1 INVITE,2 BYE", "+1 INVITE"}) {
    auto parsed = parse_cseq(text);
    EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
    if (!parsed) {
      EXPECT_FALSE(parsed.error().reason.empty());
    }
  }
}

TEST(RAck, ParsesResponseNumberAndCSeq) {
  // RFC 3262 §7.2.
  const RAck r = rack_ok("776656 1 INVITE");
  EXPECT_EQ(r.rseq, 776656u);
  EXPECT_EQ(r.cseq.sequence, 1u);
  EXPECT_EQ(r.cseq.method, Method::Invite);
  EXPECT_EQ(r.cseq.method_text, "INVITE");
}

TEST(RAck, AcceptsLwsAndBounds) {
  const RAck r = rack_ok(" 4294967295\t4294967295   UPDATE ");
  EXPECT_EQ(r.rseq, 4294967295u);
  EXPECT_EQ(r.cseq.sequence, 4294967295u);
  EXPECT_EQ(r.cseq.method, Method::Update);
  EXPECT_EQ(rack_ok("1 0 INVITE").rseq, 1u);
}

TEST(RAck, RejectsResponseNumberZeroOrAbove32Bits) {
  EXPECT_FALSE(parse_rack("0 1 INVITE").has_value());
  EXPECT_FALSE(parse_rack("4294967296 1 INVITE").has_value());
  EXPECT_FALSE(parse_rack("1 4294967296 INVITE").has_value());
}

TEST(RAck, RejectsMalformedValues) {
  for (std::string_view text :
       {"", "1", "1 INVITE", "1 2", "1 2 ", "x 2 INVITE", "1 x INVITE", "1 2 INVITE 3", "12INVITE", "1 2INVITE"}) {
    EXPECT_FALSE(parse_rack(text).has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
