#include "sip/message/auth_headers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

AuthValue parse_auth(std::string_view text) {
  auto parsed = parse_auth_value(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : AuthValue{};
}

TEST(AuthValue, ParsesDigestChallenge) {
  // RFC 3261 §20.44 / §22.4.
  const AuthValue a = parse_auth(
      "Digest realm=\"atlanta.com\", domain=\"sip:ss1.carrier.com\", qop=\"auth\", "
      "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5");
  EXPECT_EQ(a.scheme, "Digest");
  EXPECT_TRUE(a.is_digest());
  EXPECT_TRUE(a.token68.empty());
  ASSERT_EQ(a.params.size(), 7u);
  EXPECT_EQ(a.param("realm"), "atlanta.com");
  EXPECT_EQ(a.param("domain"), "sip:ss1.carrier.com");
  EXPECT_EQ(a.param("qop"), "auth");
  EXPECT_EQ(a.param("nonce"), "f84f1cec41e6cbe5aea9c8e88d359");
  EXPECT_EQ(a.param("opaque"), "");
  EXPECT_EQ(a.param("stale"), "FALSE");
  EXPECT_EQ(a.param("algorithm"), "MD5");
  EXPECT_TRUE(a.params.find("realm")->quoted);
  EXPECT_FALSE(a.params.find("stale")->quoted);
  EXPECT_FALSE(a.param("cnonce").has_value());
}

TEST(AuthValue, ParsesDigestCredentials) {
  // RFC 3261 §20.7.
  const AuthValue a = parse_auth(
      "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
      "uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
      "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  EXPECT_TRUE(a.is_digest());
  EXPECT_EQ(a.params.size(), 9u);
  EXPECT_EQ(a.param("username"), "bob");
  EXPECT_EQ(a.param("uri"), "sip:bob@biloxi.com");
  EXPECT_EQ(a.param("nc"), "00000001");
  EXPECT_EQ(a.param("response"), "6629fae49393a05397450978507c4ef1");
}

TEST(AuthValue, KeepsCommasInsideQuotedValues) {
  const AuthValue a = parse_auth(R"(Digest realm="a, b", qop="auth,auth-int", nonce="x,y")");
  ASSERT_EQ(a.params.size(), 3u);
  EXPECT_EQ(a.param("realm"), "a, b");
  EXPECT_EQ(a.param("qop"), "auth,auth-int");
  EXPECT_EQ(a.param("nonce"), "x,y");
}

TEST(AuthValue, ResolvesQuotedPairsInParamButKeepsRawValue) {
  const AuthValue a = parse_auth(R"(Digest realm="say \"hi\" \\o/", nonce="n")");
  EXPECT_EQ(a.param("realm"), R"(say "hi" \o/)");
  EXPECT_EQ(a.params.get("realm"), R"(say \"hi\" \\o/)");
}

TEST(AuthValue, SchemeAndParamNamesAreCaseInsensitive) {
  const AuthValue a = parse_auth("digest REALM=\"x\"");
  EXPECT_TRUE(a.is_digest());
  EXPECT_EQ(a.scheme, "digest");
  EXPECT_EQ(a.param("realm"), "x");
}

TEST(AuthValue, AcceptsLwsAndFoldingAroundSeparators) {
  const AuthValue a = parse_auth("  Digest   realm = \"x\" ,nonce=\"y\",\r\n opaque=\"z\"  ");
  ASSERT_EQ(a.params.size(), 3u);
  EXPECT_EQ(a.param("realm"), "x");
  EXPECT_EQ(a.param("nonce"), "y");
  EXPECT_EQ(a.param("opaque"), "z");
}

TEST(AuthValue, AcceptsSchemeWithoutParameters) {
  const AuthValue a = parse_auth("Digest");
  EXPECT_TRUE(a.is_digest());
  EXPECT_TRUE(a.params.empty());
  EXPECT_TRUE(a.token68.empty());
}

TEST(AuthValue, ParsesToken68Credentials) {
  // RFC 7235 §2.1: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" /
  // "+" / "/" ) *"=".
  const AuthValue bearer = parse_auth("Bearer abc.def==");
  EXPECT_EQ(bearer.scheme, "Bearer");
  EXPECT_FALSE(bearer.is_digest());
  EXPECT_TRUE(bearer.params.empty());
  EXPECT_EQ(bearer.token68, "abc.def==");

  EXPECT_EQ(parse_auth("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").token68, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(parse_auth("Bearer mF_9.B5f-4.1JqM").token68, "mF_9.B5f-4.1JqM");
  EXPECT_EQ(parse_auth("Bearer a/b+c~d=").token68, "a/b+c~d=");
  EXPECT_EQ(parse_auth("Bearer abc").token68, "abc");
  EXPECT_EQ(parse_auth("Bearer abc   ").token68, "abc");
}

TEST(AuthValue, ParsesUnknownSchemeWithParameters) {
  // RFC 7235 §4.1 example; RFC 4475 §3.3.7 expects unknown schemes to parse.
  const AuthValue a = parse_auth(R"(NewAuth realm="apps", type=1, title="Login to \"apps\"")");
  EXPECT_EQ(a.scheme, "NewAuth");
  EXPECT_FALSE(a.is_digest());
  ASSERT_EQ(a.params.size(), 3u);
  EXPECT_EQ(a.param("realm"), "apps");
  EXPECT_EQ(a.param("type"), "1");
  EXPECT_EQ(a.param("title"), "Login to \"apps\"");
}

TEST(AuthValue, RejectsMalformedValues) {
  for (std::string_view text : {"", "   ", R"(Digest realm="x)", R"(Digest realm="x" nonce="y")",
                                R"(Digest realm="x",,nonce="y")", R"(Digest,realm="x")", "Bearer abc def",
                                "Bearer a=b=c", "Bearer =abc", "Bearer =", "Bearer ==", R"(Digest realm="x", nonce=)",
                                R"("Digest" realm=x)", R"(Digest realm="x", nonce="y" junk)"}) {
    auto parsed = parse_auth_value(text);
    EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
