#include "sip/message/reason.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

// ---- Reason (RFC 3326 §2) ----

TEST(Reason, ParsesSipCauseAndQuotedText) {
  auto r = parse_reason("SIP ;cause=580 ;text=\"Precondition Failure\"");
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->protocol, "SIP");
  EXPECT_EQ(r->cause, 580);
  EXPECT_EQ(r->text(), "Precondition Failure");
}

TEST(Reason, ParsesQ850Cause) {
  auto r = parse_reason("Q.850;cause=16;text=\"Terminated\"");
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->protocol, "Q.850");
  EXPECT_EQ(r->cause, 16);
  EXPECT_EQ(r->text(), "Terminated");
}

TEST(Reason, ResolvesQuotedPairsInText) {
  auto r = parse_reason(R"(SIP;cause=200;text="Call completed \"elsewhere\"")");
  ASSERT_TRUE(r.has_value()) << r.error().reason;
  EXPECT_EQ(r->text(), "Call completed \"elsewhere\"");
}

TEST(Reason, TextMayBeATokenOrAbsent) {
  auto token = parse_reason("SIP;text=Busy");
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->text(), "Busy");
  EXPECT_FALSE(token->cause.has_value());

  auto bare = parse_reason("preemption");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->protocol, "preemption");
  EXPECT_EQ(bare->text(), "");
  EXPECT_TRUE(bare->params.empty());
}

TEST(Reason, AcceptsCauseBounds) {
  EXPECT_EQ(parse_reason("SIP;cause=0")->cause, 0);
  EXPECT_EQ(parse_reason("X;cause=65535")->cause, 65535);
}

TEST(Reason, RejectsInvalidCause) {
  for (std::string_view text : {"SIP;cause=abc", "SIP;cause=65536", "SIP;cause=-1", "SIP;cause", "SIP;cause=\"\""}) {
    EXPECT_FALSE(parse_reason(text).has_value()) << "accepted: " << text;
  }
}

TEST(Reason, RejectsMalformedValues) {
  for (std::string_view text : {"", ";cause=1", "SIP cause=1", "SIP;", "SIP;text=\"open", "SIP;cause=1 x"}) {
    EXPECT_FALSE(parse_reason(text).has_value()) << "accepted: " << text;
  }
}

// ---- Warning (RFC 3261 §20.43) ----

TEST(Warning, ParsesCodeAgentAndText) {
  auto w = parse_warning("307 isi.edu \"Session parameter 'foo' not understood\"");
  ASSERT_TRUE(w.has_value()) << w.error().reason;
  EXPECT_EQ(w->code, 307);
  EXPECT_EQ(w->agent, "isi.edu");
  EXPECT_EQ(w->text, "Session parameter 'foo' not understood");
}

TEST(Warning, AcceptsHostPortAgentsAndKeepsEscapesAsWritten) {
  auto w = parse_warning(R"(  399 192.0.2.1:5060 "say \"hi\""  )");
  ASSERT_TRUE(w.has_value()) << w.error().reason;
  EXPECT_EQ(w->code, 399);
  EXPECT_EQ(w->agent, "192.0.2.1:5060");
  EXPECT_EQ(w->text, R"(say \"hi\")");
  auto v6 = parse_warning("370 [2001:db8::1]:5060 \"Insufficient bandwidth\"");
  ASSERT_TRUE(v6.has_value()) << v6.error().reason;
  EXPECT_EQ(v6->agent, "[2001:db8::1]:5060");
}

TEST(Warning, AcceptsEmptyText) {
  auto w = parse_warning("399 gw \"\"");
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->text.empty());
}

TEST(Warning, RejectsMalformedValues) {
  for (std::string_view text :
       {"", "30 isi.edu \"x\"", "3000 isi.edu \"x\"", "abc isi.edu \"x\"", "307", "307 isi.edu", "307 \"x\"",
        "307 isi.edu x", "307 isi.edu \"x", "307 isi.edu \"x\" y", "307isi.edu \"x\""}) {
    EXPECT_FALSE(parse_warning(text).has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
