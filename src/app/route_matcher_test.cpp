#include "app/route_matcher.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/sip_parse.hpp"

namespace voxgate::app {
namespace {

// An INVITE as the session manager hands it to the policy.
class IncomingInvite {
 public:
  explicit IncomingInvite(std::string request_uri = "sip:echo@gw.example.com:5060", std::string source = "127.0.0.1",
                          std::string extra_headers = {})
      : request_uri_(std::move(request_uri)),
        source_(std::move(source)),
        invite_(test::parse_ok(fmt::format("INVITE {} SIP/2.0\r\n"
                                           "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1\r\n"
                                           "From: Alice <sip:alice@Example.COM:5070>;tag=1\r\n"
                                           "To: <{}>\r\n"
                                           "Call-ID: c1\r\n"
                                           "CSeq: 1 INVITE\r\n"
                                           "{}"
                                           "Content-Length: 0\r\n\r\n",
                                           request_uri_, request_uri_, extra_headers))) {}

  [[nodiscard]] session::IncomingCall incoming() const {
    return session::IncomingCall{session::SessionId(1),
                                 session::Party{"sip:alice@Example.COM:5070", "Alice"},
                                 session::Party{request_uri_, ""},
                                 request_uri_,
                                 source_,
                                 invite_};
  }

 private:
  std::string request_uri_;
  std::string source_;
  sip::Message invite_;
};

RouteConfig named_route(std::string name, RouteMatch match = {}) {
  RouteConfig out;
  out.name = std::move(name);
  out.match = std::move(match);
  return out;
}

AddressBlock block(std::string_view text) {
  auto parsed = parse_address_block(text);
  EXPECT_TRUE(parsed) << text;
  return parsed ? *parsed : AddressBlock{};
}

bool matches(const RouteMatch& match, const IncomingInvite& call) {
  return route_matches(match, call.incoming());
}

TEST(Glob, StarMatchesAnyRunIncludingNone) {
  EXPECT_TRUE(glob_match("echo", "echo"));
  EXPECT_FALSE(glob_match("echo", "echo2"));
  EXPECT_FALSE(glob_match("echo", "ech"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("echo*", "echo"));
  EXPECT_TRUE(glob_match("echo*", "echo-2"));
  EXPECT_TRUE(glob_match("*@example.com", "sip:bob@example.com"));
  EXPECT_FALSE(glob_match("*@example.com", "sip:bob@example.com:5060"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYbZc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYYbZ"));
  EXPECT_TRUE(glob_match("**x", "x"));
  EXPECT_FALSE(glob_match("", "x"));
  EXPECT_TRUE(glob_match("", ""));
}

TEST(Glob, CaseOnlyWhenAsked) {
  EXPECT_FALSE(glob_match("Echo", "echo"));
  EXPECT_TRUE(glob_match("Echo", "echo", true));
  EXPECT_TRUE(glob_match("*.EXAMPLE.com", "gw.example.COM", true));
}

TEST(AddressIn, Ipv4Blocks) {
  EXPECT_TRUE(address_in(block("127.0.0.0/8"), "127.1.2.3"));
  EXPECT_FALSE(address_in(block("127.0.0.0/8"), "128.0.0.1"));
  EXPECT_TRUE(address_in(block("192.0.2.128/25"), "192.0.2.200"));
  EXPECT_FALSE(address_in(block("192.0.2.128/25"), "192.0.2.127"));
  EXPECT_TRUE(address_in(block("192.0.2.4"), "192.0.2.4"));
  EXPECT_FALSE(address_in(block("192.0.2.4"), "192.0.2.5"));
  EXPECT_TRUE(address_in(block("0.0.0.0/0"), "203.0.113.9"));
  EXPECT_FALSE(address_in(block("0.0.0.0/0"), "::1"));
  // An IPv4-mapped source is its IPv4 address.
  EXPECT_TRUE(address_in(block("10.0.0.0/8"), "::ffff:10.9.8.7"));
  EXPECT_FALSE(address_in(block("10.0.0.0/8"), "not an address"));
  EXPECT_FALSE(address_in(block("10.0.0.0/8"), ""));
}

TEST(AddressIn, Ipv6Blocks) {
  EXPECT_TRUE(address_in(block("2001:db8::/32"), "2001:db8:1::5"));
  EXPECT_FALSE(address_in(block("2001:db8::/32"), "2001:db9::5"));
  EXPECT_TRUE(address_in(block("2001:db8:ff00::/40"), "2001:db8:ff12::1"));
  EXPECT_FALSE(address_in(block("2001:db8:ff00::/40"), "2001:db8:fe12::1"));
  EXPECT_TRUE(address_in(block("::1"), "::1"));
  EXPECT_FALSE(address_in(block("::1"), "127.0.0.1"));
  EXPECT_TRUE(address_in(block("::/0"), "fe80::1"));
  EXPECT_FALSE(address_in(block("::/0"), "10.0.0.1"));
}

TEST(RouteMatches, NoConditionsMatchesEveryCall) {
  EXPECT_TRUE(matches(RouteMatch{}, IncomingInvite()));
}

TEST(RouteMatches, UserIsTheUnescapedRequestUriUserCaseSensitively) {
  RouteMatch match;
  match.user = "echo";
  EXPECT_TRUE(matches(match, IncomingInvite("sip:echo@gw.example.com")));
  EXPECT_TRUE(matches(match, IncomingInvite("sip:%65cho@gw.example.com")));
  EXPECT_FALSE(matches(match, IncomingInvite("sip:Echo@gw.example.com")));
  EXPECT_FALSE(matches(match, IncomingInvite("sip:gw.example.com")));
  match.user = "+1555*";
  EXPECT_TRUE(matches(match, IncomingInvite("tel:+15550100")));
  match.user = "";
  EXPECT_TRUE(matches(match, IncomingInvite("sip:gw.example.com")));
}

TEST(RouteMatches, HostIgnoresCaseAndIpv6Brackets) {
  RouteMatch match;
  match.host = "*.example.com";
  EXPECT_TRUE(matches(match, IncomingInvite("sip:echo@GW.Example.com:5060")));
  EXPECT_FALSE(matches(match, IncomingInvite("sip:echo@example.org")));
  match.host = "2001:db8::*";
  EXPECT_TRUE(matches(match, IncomingInvite("sip:echo@[2001:db8::5]:5060")));
}

TEST(RouteMatches, FromIsTheWholeUriIgnoringCase) {
  RouteMatch match;
  match.from = "sip:*@example.com*";
  EXPECT_TRUE(matches(match, IncomingInvite()));
  match.from = "sip:alice@example.com";
  EXPECT_FALSE(matches(match, IncomingInvite()));  // the port is part of it
  match.from = "sip:bob@*";
  EXPECT_FALSE(matches(match, IncomingInvite()));
}

TEST(RouteMatches, SourceIsAnyOfTheBlocks) {
  RouteMatch match;
  match.sources = {block("10.0.0.0/8"), block("2001:db8::/32")};
  EXPECT_TRUE(matches(match, IncomingInvite("sip:x@h", "10.1.2.3")));
  EXPECT_TRUE(matches(match, IncomingInvite("sip:x@h", "2001:db8::9")));
  EXPECT_FALSE(matches(match, IncomingInvite("sip:x@h", "127.0.0.1")));
}

TEST(RouteMatches, HeaderNamesIgnoreCaseAndCompactFormsValuesAreGlobs) {
  const IncomingInvite call("sip:x@h", "127.0.0.1", "x-tenant: acme-eu\r\nSubject: urgent\r\nX-Tenant: other\r\n");
  RouteMatch match;
  match.headers = {{"X-Tenant", "acme*"}};
  EXPECT_TRUE(matches(match, call));
  match.headers = {{"X-TENANT", "other"}};
  EXPECT_TRUE(matches(match, call));  // any field of the name
  match.headers = {{"X-Tenant", "ACME*"}};
  EXPECT_FALSE(matches(match, call));  // values keep their case
  match.headers = {{"s", "urgent"}};
  EXPECT_TRUE(matches(match, call));  // Subject by its compact form
  match.headers = {{"X-Missing", "*"}};
  EXPECT_FALSE(matches(match, call));  // "*" asks for the header to be there
  match.headers = {{"X-Tenant", "acme*"}, {"Subject", "routine"}};
  EXPECT_FALSE(matches(match, call));  // every condition must hold
}

TEST(RouteMatches, EveryConditionMustHold) {
  RouteMatch match;
  match.user = "echo";
  match.sources = {block("10.0.0.0/8")};
  EXPECT_FALSE(matches(match, IncomingInvite("sip:echo@h", "127.0.0.1")));
  EXPECT_TRUE(matches(match, IncomingInvite("sip:echo@h", "10.0.0.1")));
}

TEST(MatchRoute, TheFirstMatchingRouteWinsInOrder) {
  RouteMatch echo;
  echo.user = "echo";
  RouteMatch anything;
  const std::vector<RouteConfig> routes{named_route("tone",
                                                    [] {
                                                      RouteMatch m;
                                                      m.user = "tone";
                                                      return m;
                                                    }()),
                                        named_route("echo", echo), named_route("catch-all", anything),
                                        named_route("echo-again", echo)};
  EXPECT_EQ(match_route(routes, IncomingInvite("sip:echo@h").incoming())->name, "echo");
  EXPECT_EQ(match_route(routes, IncomingInvite("sip:tone@h").incoming())->name, "tone");
  EXPECT_EQ(match_route(routes, IncomingInvite("sip:other@h").incoming())->name, "catch-all");
}

TEST(MatchRoute, NoMatchIsNull) {
  RouteMatch echo;
  echo.user = "echo";
  const std::vector<RouteConfig> routes{named_route("echo", echo)};
  EXPECT_EQ(match_route(routes, IncomingInvite("sip:nobody@h").incoming()), nullptr);
  EXPECT_EQ(match_route({}, IncomingInvite().incoming()), nullptr);
}

}  // namespace
}  // namespace voxgate::app
