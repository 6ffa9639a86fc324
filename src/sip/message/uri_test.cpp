#include "sip/message/uri.hpp"

#include "base/ascii.hpp"
#include "sip/message/detail/host_scan.hpp"
#include "support/sip_parse.hpp"
#include "support/test_random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace voxgate::sip {
namespace {

Uri uri_ok(std::string_view text) {
  auto parsed = parse_uri(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : Uri{};
}

void expect_uri_rejected(std::string_view text) {
  auto parsed = parse_uri(text);
  EXPECT_FALSE(parsed.has_value()) << text << " was accepted";
  if (!parsed) {
    EXPECT_FALSE(parsed.error().reason.empty()) << text;
  }
}

using test::is_printable;

// Both directions, since equivalence must be symmetric.
::testing::AssertionResult equivalent(std::string_view a, std::string_view b) {
  auto ua = parse_uri(a);
  auto ub = parse_uri(b);
  if (!ua || !ub) return ::testing::AssertionFailure() << "did not parse: " << a << " / " << b;
  const bool ab = uri_equivalent(*ua, *ub);
  const bool ba = uri_equivalent(*ub, *ua);
  if (ab != ba) return ::testing::AssertionFailure() << "asymmetric: " << a << " / " << b;
  if (!ab) return ::testing::AssertionFailure() << a << " is not equivalent to " << b;
  return ::testing::AssertionSuccess() << a << " is equivalent to " << b;
}

// ---- schemes ----

TEST(Uri, ParsesEveryPartOfASipUri) {
  const Uri uri = uri_ok("sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
  EXPECT_EQ(uri.scheme, UriScheme::Sip);
  EXPECT_TRUE(uri.is_sip());
  EXPECT_EQ(uri.scheme_name, "sip");
  EXPECT_EQ(uri.user, "alice");
  EXPECT_TRUE(uri.has_user());
  EXPECT_TRUE(uri.has_password);
  EXPECT_EQ(uri.password, "secretword");
  EXPECT_EQ(uri.host, "atlanta.com");
  EXPECT_EQ(uri.host_kind, HostKind::Hostname);
  ASSERT_TRUE(uri.port.has_value());
  EXPECT_EQ(*uri.port, 5061);
  EXPECT_EQ(uri.transport(), "tcp");
  EXPECT_TRUE(uri.loose_route());
  EXPECT_EQ(uri.headers, "subject=project%20x&priority=urgent");
  EXPECT_EQ(uri.text, "sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
}

TEST(Uri, ParsesMinimalSipUriWithoutUserPortOrParams) {
  const Uri uri = uri_ok("sip:atlanta.com");
  EXPECT_EQ(uri.scheme, UriScheme::Sip);
  EXPECT_FALSE(uri.has_user());
  EXPECT_FALSE(uri.has_password);
  EXPECT_EQ(uri.host, "atlanta.com");
  EXPECT_FALSE(uri.port.has_value());
  EXPECT_TRUE(uri.params.empty());
  EXPECT_TRUE(uri.headers.empty());
  EXPECT_FALSE(uri.transport().has_value());
  EXPECT_FALSE(uri.maddr().has_value());
  EXPECT_FALSE(uri.loose_route());
}

TEST(Uri, ParsesSipsUri) {
  const Uri uri = uri_ok("sips:1212@gateway.com");
  EXPECT_EQ(uri.scheme, UriScheme::Sips);
  EXPECT_TRUE(uri.is_sip());
  EXPECT_EQ(uri.user, "1212");
  EXPECT_EQ(uri.host, "gateway.com");
}

TEST(Uri, SchemeIsCaseInsensitiveAndKeptAsWritten) {
  const Uri upper = uri_ok("SIP:alice@atlanta.com");
  EXPECT_EQ(upper.scheme, UriScheme::Sip);
  EXPECT_EQ(upper.scheme_name, "SIP");
  EXPECT_EQ(uri_ok("SiPs:alice@atlanta.com").scheme, UriScheme::Sips);
  EXPECT_EQ(uri_ok("TEL:+12015550123").scheme, UriScheme::Tel);
}

TEST(Uri, ParsesGlobalTelUriWithParameters) {
  const Uri uri = uri_ok("tel:+1-201-555-0123;ext=1234;phone-context=example.com");
  EXPECT_EQ(uri.scheme, UriScheme::Tel);
  EXPECT_FALSE(uri.is_sip());
  EXPECT_EQ(uri.user, "+1-201-555-0123");
  EXPECT_EQ(uri.params.get("ext"), "1234");
  EXPECT_EQ(uri.params.get("phone-context"), "example.com");
  EXPECT_TRUE(uri.host.empty());
}

TEST(Uri, ParsesLocalTelUriWithVisualSeparators) {
  EXPECT_EQ(uri_ok("tel:7042;phone-context=example.com").user, "7042");
  EXPECT_EQ(uri_ok("tel:(0)30.1234-56;phone-context=+49").user, "(0)30.1234-56");
  EXPECT_EQ(uri_ok("tel:*67#").user, "*67#");
}

TEST(Uri, RejectsTelUriWithoutNumber) {
  expect_uri_rejected("tel:");
  expect_uri_rejected("tel:+");
  expect_uri_rejected("tel:;phone-context=example.com");
  expect_uri_rejected("tel:+1 201");
  expect_uri_rejected("tel:+1201@example.com");
}

TEST(Uri, ParsesOtherSchemesAsOpaqueText) {
  const Uri mailto = uri_ok("mailto:alice@example.com");
  EXPECT_EQ(mailto.scheme, UriScheme::Other);
  EXPECT_FALSE(mailto.is_sip());
  EXPECT_EQ(mailto.scheme_name, "mailto");
  EXPECT_EQ(mailto.opaque, "alice@example.com");
  EXPECT_TRUE(mailto.host.empty());

  const Uri urn = uri_ok("urn:service:sos");
  EXPECT_EQ(urn.scheme, UriScheme::Other);
  EXPECT_EQ(urn.opaque, "service:sos");

  const Uri http = uri_ok("http://www.example.com/a?b=c#d");
  EXPECT_EQ(http.scheme_name, "http");
  EXPECT_EQ(http.opaque, "//www.example.com/a?b=c#d");

  EXPECT_EQ(uri_ok("x-custom+v1.0:thing").scheme_name, "x-custom+v1.0");
}

TEST(Uri, RejectsOtherSchemesWithEmptyOrInvalidText) {
  expect_uri_rejected("im:");
  expect_uri_rejected("mailto:a b@example.com");
  expect_uri_rejected("mailto:<alice@example.com>");
  expect_uri_rejected("mailto:\"alice\"@example.com");
}

TEST(Uri, RejectsTextWithoutValidScheme) {
  expect_uri_rejected("");
  expect_uri_rejected("alice@atlanta.com");
  expect_uri_rejected(":alice@atlanta.com");
  expect_uri_rejected("1sip:alice@atlanta.com");
  expect_uri_rejected("s_p:alice@atlanta.com");
  expect_uri_rejected("<sip:alice@atlanta.com>");
}

// ---- userinfo ----

TEST(Uri, KeepsSemicolonsAndQuestionMarksInUserPart) {
  // §19.1.1: "sip:alice;day=tuesday@atlanta.com" has user "alice;day=tuesday"
  // and no URI parameters.
  const Uri uri = uri_ok("sip:alice;day=tuesday@atlanta.com");
  EXPECT_EQ(uri.user, "alice;day=tuesday");
  EXPECT_EQ(uri.host, "atlanta.com");
  EXPECT_TRUE(uri.params.empty());

  const Uri q = uri_ok("sip:a?b=c/d@atlanta.com");
  EXPECT_EQ(q.user, "a?b=c/d");
  EXPECT_TRUE(q.headers.empty());
}

TEST(Uri, AcceptsEveryUserUnreservedAndMarkCharacterInUserPart) {
  const Uri uri = uri_ok("sip:-_.!~*'()&=+$,;?/@example.com");
  EXPECT_EQ(uri.user, "-_.!~*'()&=+$,;?/");
}

TEST(Uri, ParsesTelephoneSubscriberWithPasswordLikeSuffix) {
  // §19.1.1 example: the ":1234" is a password as far as the grammar goes.
  const Uri uri = uri_ok("sip:+1-212-555-1212:1234@gateway.com;user=phone");
  EXPECT_EQ(uri.user, "+1-212-555-1212");
  EXPECT_TRUE(uri.has_password);
  EXPECT_EQ(uri.password, "1234");
  EXPECT_EQ(uri.params.get("user"), "phone");
}

TEST(Uri, AcceptsEmptyPassword) {
  const Uri uri = uri_ok("sip:alice:@atlanta.com");
  EXPECT_TRUE(uri.has_password);
  EXPECT_TRUE(uri.password.empty());
}

TEST(Uri, AcceptsPasswordCharacters) {
  EXPECT_EQ(uri_ok("sip:alice:a&=+$,b-_.!~*'()@atlanta.com").password, "a&=+$,b-_.!~*'()");
}

TEST(Uri, RejectsEmptyUserPart) {
  expect_uri_rejected("sip:@atlanta.com");
  expect_uri_rejected("sip::secret@atlanta.com");
}

TEST(Uri, RejectsInvalidCharactersInUserinfo) {
  expect_uri_rejected("sip:al ice@atlanta.com");
  expect_uri_rejected("sip:al\"ice@atlanta.com");
  expect_uri_rejected("sip:alice:pa:ss@atlanta.com");
  expect_uri_rejected("sip:alice@atlanta.com@gateway.com");
  expect_uri_rejected("sip:al<ice@atlanta.com");
}

// ---- escapes ----

TEST(Uri, KeepsValidEscapesAsWrittenInUserPart) {
  const Uri uri = uri_ok("sip:%61lice%20b@atlanta.com");
  EXPECT_EQ(uri.user, "%61lice%20b");
  EXPECT_EQ(unescape(uri.user), "alice b");
  EXPECT_EQ(uri_ok("sip:alice:p%41ss@atlanta.com").password, "p%41ss");
  EXPECT_EQ(uri_ok("sip:atlanta.com;x=%7e").params.get("x"), "%7e");
  EXPECT_EQ(uri_ok("sip:atlanta.com?to=sip:bob%40biloxi.com").headers, "to=sip:bob%40biloxi.com");
}

TEST(Uri, RejectsInvalidEscapes) {
  expect_uri_rejected("sip:%6glice@atlanta.com");
  expect_uri_rejected("sip:alice%4@atlanta.com");
  expect_uri_rejected("sip:alice%@atlanta.com");
  expect_uri_rejected("sip:alice:pa%zzss@atlanta.com");
  expect_uri_rejected("sip:atlanta.com;x=%g1");
  expect_uri_rejected("sip:atlanta.com;%=1");
  expect_uri_rejected("sip:atlanta.com?to=a%2");
  expect_uri_rejected("sip:atlanta.com?t%o=a");
}

TEST(Uri, UnescapeResolvesValidEscapesAndKeepsInvalidOnes) {
  EXPECT_EQ(unescape("%41%62c"), "Abc");
  EXPECT_EQ(unescape("%4a%4A"), "JJ");
  EXPECT_EQ(unescape("plain"), "plain");
  EXPECT_EQ(unescape(""), "");
  EXPECT_EQ(unescape("100%"), "100%");
  EXPECT_EQ(unescape("%4"), "%4");
  EXPECT_EQ(unescape("a%zzb"), "a%zzb");
  EXPECT_EQ(unescape("%%41"), "%A");
  EXPECT_EQ(unescape("%25"), "%");
  EXPECT_EQ(unescape("%2541"), "%41");  // one pass only
  const std::string nul = unescape("a%00b");
  EXPECT_EQ(nul, std::string("a\0b", 3));
  EXPECT_EQ(unescape("%ff"), std::string(1, '\xff'));
}

// ---- hosts ----

TEST(Uri, ParsesIpv4Host) {
  const Uri uri = uri_ok("sip:alice@192.0.2.4:5060");
  EXPECT_EQ(uri.host, "192.0.2.4");
  EXPECT_EQ(uri.host_kind, HostKind::IPv4);
  EXPECT_EQ(uri.host_address(), "192.0.2.4");
  EXPECT_EQ(uri.port, 5060);
  EXPECT_EQ(uri_ok("sip:0.0.0.0").host_kind, HostKind::IPv4);
  EXPECT_EQ(uri_ok("sip:255.255.255.255").host_kind, HostKind::IPv4);
}

TEST(Uri, RejectsIpv4WithPartOver255) {
  expect_uri_rejected("sip:alice@256.0.0.1");
  expect_uri_rejected("sip:alice@192.0.329.18");
  expect_uri_rejected("sip:alice@1923.0.2.4");
}

TEST(Uri, Ipv4AddressAcceptsOnlyFourPartsOf0To255) {
  EXPECT_TRUE(is_ipv4_address("1.2.3.4"));
  EXPECT_TRUE(is_ipv4_address("255.255.255.255"));
  EXPECT_TRUE(is_ipv4_address("0.0.0.0"));
  EXPECT_FALSE(is_ipv4_address("256.1.1.1"));
  EXPECT_FALSE(is_ipv4_address("1.2.3.256"));
  EXPECT_FALSE(is_ipv4_address("1.2.3.999"));
  EXPECT_FALSE(is_ipv4_address("1.2.3"));
  EXPECT_FALSE(is_ipv4_address("1.2.3.4.5"));
  EXPECT_FALSE(is_ipv4_address("1..2.3"));
  EXPECT_FALSE(is_ipv4_address("1.2.3.4."));
  EXPECT_FALSE(is_ipv4_address(".1.2.3.4"));
  EXPECT_FALSE(is_ipv4_address("1.2.3.a"));
  EXPECT_FALSE(is_ipv4_address("1234.1.1.1"));
  EXPECT_FALSE(is_ipv4_address(""));
  EXPECT_FALSE(is_ipv4_address("[1.2.3.4]"));
}

TEST(Uri, ParsesIpv6ReferenceWithPort) {
  const Uri uri = uri_ok("sip:alice@[2001:db8::10]:5070;transport=udp");
  EXPECT_EQ(uri.host, "[2001:db8::10]");
  EXPECT_EQ(uri.host_kind, HostKind::IPv6);
  EXPECT_EQ(uri.host_address(), "2001:db8::10");
  EXPECT_EQ(uri.port, 5070);
  EXPECT_EQ(uri.transport(), "udp");
}

TEST(Uri, ParsesIpv6ReferenceWithoutPort) {
  // RFC 5118 §4.4: the ":5070" inside the brackets is part of the address.
  const Uri uri = uri_ok("sip:[2001:db8::10:5070]");
  EXPECT_EQ(uri.host_kind, HostKind::IPv6);
  EXPECT_EQ(uri.host_address(), "2001:db8::10:5070");
  EXPECT_FALSE(uri.port.has_value());
}

TEST(Uri, AcceptsIpv4MappedIpv6Reference) {
  // RFC 5118 §4.9.
  const Uri uri = uri_ok("sip:[::ffff:192.0.2.1]");
  EXPECT_EQ(uri.host_kind, HostKind::IPv6);
  EXPECT_EQ(uri.host_address(), "::ffff:192.0.2.1");
  EXPECT_EQ(uri_ok("sip:[2001:db8::192.0.2.1]").host_kind, HostKind::IPv6);
  EXPECT_EQ(uri_ok("sip:[::1]").host_kind, HostKind::IPv6);
}

TEST(Uri, ToleratesRfc3261AbnfThreeColonReferenceOnlyBeforeAnIpv4Address) {
  // RFC 5118 §4.10: RFC 3261's (RFC 2373's) ABNF derives
  // "[2001:db8:::192.0.2.1]", and "an implementation must tolerate both"
  // it and the correct "[2001:db8::192.0.2.1]". Nothing else with ":::".
  const Uri bug = uri_ok("sip:user@[2001:db8:::192.0.2.1]");
  EXPECT_EQ(bug.host_kind, HostKind::IPv6);
  EXPECT_EQ(bug.host, "[2001:db8:::192.0.2.1]");  // tolerated, not rewritten
  EXPECT_EQ(uri_ok("sip:user@[2001:db8::192.0.2.1]").host_kind, HostKind::IPv6);
  expect_uri_rejected("sip:[2001:db8:::1]");
  expect_uri_rejected("sip:[2001:db8:::192.0.2.256]");
  expect_uri_rejected("sip:[2001:db8:::192.0.2]");
  expect_uri_rejected("sip:[2001:db8::1:::192.0.2.1]");
  expect_uri_rejected("sip:[2001:::db8:::192.0.2.1]");
  expect_uri_rejected("sip:[2001:db8::::192.0.2.1]");
}

TEST(Uri, RejectsInvalidIpv6References) {
  expect_uri_rejected("sip:[2001:db8:0:0:0:0:0:0:1]");
  expect_uri_rejected("sip:[2001:db8::1");
  expect_uri_rejected("sip:[]");
  expect_uri_rejected("sip:[192.0.2.1]");
  expect_uri_rejected("sip:[2001:db8::g]");
  expect_uri_rejected("sip:[::1]x");
  expect_uri_rejected("sip:2001:db8::1");
}

TEST(Uri, Ipv6AddressFollowsRfc4291TextForm) {
  EXPECT_TRUE(is_ipv6_address("::"));
  EXPECT_TRUE(is_ipv6_address("::1"));
  EXPECT_TRUE(is_ipv6_address("2001:db8::1"));
  EXPECT_TRUE(is_ipv6_address("2001:DB8:0:0:8:800:200C:417A"));
  EXPECT_TRUE(is_ipv6_address("::ffff:192.0.2.1"));
  EXPECT_TRUE(is_ipv6_address("2001:db8:::192.0.2.1"));  // RFC 5118 §4.10, tolerated
  EXPECT_FALSE(is_ipv6_address("2001:db8:::1"));
  EXPECT_FALSE(is_ipv6_address("2001::db8::1"));
  EXPECT_FALSE(is_ipv6_address("12345::1"));
  EXPECT_FALSE(is_ipv6_address("[::1]"));
  EXPECT_FALSE(is_ipv6_address(""));
  EXPECT_FALSE(is_ipv6_address("1.2.3.4"));
  EXPECT_FALSE(is_ipv6_address(std::string(100, '1')));
}

// "sip:" is recognised by a 4-byte compare that folds the letters' case:
// every spelling of the scheme is SIP, and near misses are not.
TEST(Uri, RecognisesTheSipSchemeInAnyLetterCase) {
  for (std::string_view text : {"sip:a@h.example.com", "SIP:a@h.example.com", "sIp:a@h.example.com"}) {
    const Uri uri = uri_ok(text);
    EXPECT_EQ(uri.scheme, UriScheme::Sip) << text;
    EXPECT_EQ(uri.scheme_name, text.substr(0, 3)) << text;
    EXPECT_EQ(uri.host, "h.example.com") << text;
  }
  EXPECT_EQ(uri_ok("sjp:a@h.example.com").scheme, UriScheme::Other);
  EXPECT_EQ(uri_ok("sips:a@h.example.com").scheme, UriScheme::Sips);
  EXPECT_FALSE(parse_uri("sip\x1a@h.example.com").has_value());  // 0x1a | 0x20 is ':'
}

TEST(Uri, ParsesHostnames) {
  EXPECT_EQ(uri_ok("sip:atlanta.com").host_kind, HostKind::Hostname);
  EXPECT_EQ(uri_ok("sip:a-b.example.com").host_kind, HostKind::Hostname);
  EXPECT_EQ(uri_ok("sip:example.com.").host, "example.com.");
  EXPECT_EQ(uri_ok("sip:1.example.com").host_kind, HostKind::Hostname);
  EXPECT_EQ(uri_ok("sip:localhost").host_kind, HostKind::Hostname);
  EXPECT_EQ(uri_ok("sip:x").host_kind, HostKind::Hostname);
  EXPECT_EQ(uri_ok("sip:ALICE@AtLanTa.CoM").host, "AtLanTa.CoM");
}

TEST(Uri, TopLabelMustStartWithALetter) {
  expect_uri_rejected("sip:example.1com");
  expect_uri_rejected("sip:alice@123");
  expect_uri_rejected("sip:alice@1.2.3");
  EXPECT_EQ(classify_host("example.1com"), HostKind::None);
  EXPECT_EQ(classify_host("example.c1"), HostKind::Hostname);
}

TEST(Uri, RejectsMalformedHostnames) {
  expect_uri_rejected("sip:-atlanta.com");
  expect_uri_rejected("sip:atlanta-.com");
  expect_uri_rejected("sip:atlanta..com");
  expect_uri_rejected("sip:.atlanta.com");
  expect_uri_rejected("sip:atlanta.com..");
  expect_uri_rejected("sip:host_name.com");
  expect_uri_rejected("sip:alice@");
  expect_uri_rejected("sip:");
  expect_uri_rejected("sip:;transport=udp");
}

TEST(Uri, ClassifiesHostsAsWritten) {
  EXPECT_EQ(classify_host("192.0.2.1"), HostKind::IPv4);
  EXPECT_EQ(classify_host("[2001:db8::1]"), HostKind::IPv6);
  EXPECT_EQ(classify_host("2001:db8::1"), HostKind::None);  // brackets required
  EXPECT_EQ(classify_host("example.com"), HostKind::Hostname);
  EXPECT_EQ(classify_host(""), HostKind::None);
  EXPECT_EQ(classify_host("[]"), HostKind::None);
  EXPECT_EQ(classify_host("a b"), HostKind::None);
}

// ---- ports ----

TEST(Uri, AcceptsPortsFrom0To65535) {
  EXPECT_EQ(uri_ok("sip:atlanta.com:0").port, 0);
  EXPECT_EQ(uri_ok("sip:atlanta.com:1").port, 1);
  EXPECT_EQ(uri_ok("sip:atlanta.com:5060").port, 5060);
  EXPECT_EQ(uri_ok("sip:atlanta.com:65535").port, 65535);
  EXPECT_EQ(uri_ok("sip:192.0.2.1:65535").port, 65535);
}

TEST(Uri, RejectsPortsOutOfRangeOrEmpty) {
  expect_uri_rejected("sip:atlanta.com:65536");
  expect_uri_rejected("sip:atlanta.com:99999");
  expect_uri_rejected("sip:atlanta.com:123456");
  expect_uri_rejected("sip:atlanta.com:");
  expect_uri_rejected("sip:atlanta.com:;transport=tcp");
  expect_uri_rejected("sip:atlanta.com:-1");
  expect_uri_rejected("sip:atlanta.com:5o60");
  expect_uri_rejected("sip:[::1]:");
}

// ---- parameters and headers ----

TEST(Uri, ParsesUriParametersWithAndWithoutValues) {
  const Uri uri = uri_ok("sip:atlanta.com;lr;Transport=TCP;maddr=239.255.255.1;ttl=15;user=phone;method=INVITE");
  ASSERT_EQ(uri.params.size(), 6u);
  EXPECT_EQ(uri.params[0].name, "lr");
  EXPECT_FALSE(uri.params[0].has_value);
  EXPECT_TRUE(uri.params[0].value.empty());
  EXPECT_EQ(uri.params[1].name, "Transport");
  EXPECT_TRUE(uri.params[1].has_value);
  EXPECT_TRUE(uri.loose_route());
  EXPECT_EQ(uri.transport(), "TCP");  // names compare case-insensitively
  EXPECT_EQ(uri.maddr(), "239.255.255.1");
  EXPECT_EQ(uri.params.get("TTL"), "15");
  EXPECT_EQ(uri.params.get("lr"), "");
  EXPECT_FALSE(uri.params.get("comp").has_value());
}

TEST(Uri, ParamValuesMayHoldParamCharacters) {
  EXPECT_EQ(uri_ok("sip:atlanta.com;x=[a]/b:c&d+e$f").params.get("x"), "[a]/b:c&d+e$f");
}

TEST(Uri, RejectsEmptyParameterNamesOrValues) {
  expect_uri_rejected("sip:atlanta.com;");
  expect_uri_rejected("sip:atlanta.com;=tcp");
  expect_uri_rejected("sip:atlanta.com;transport=");
  expect_uri_rejected("sip:atlanta.com;;lr");
  expect_uri_rejected("sip:atlanta.com;a b");
}

TEST(Uri, KeepsHeadersAfterQuestionMarkAsWritten) {
  const Uri uri = uri_ok("sips:alice@atlanta.com?subject=project%20x&priority=urgent");
  EXPECT_EQ(uri.headers, "subject=project%20x&priority=urgent");
  const Uri with_params = uri_ok("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com");
  EXPECT_EQ(with_params.params.get("method"), "REGISTER");
  EXPECT_EQ(with_params.headers, "to=alice%40atlanta.com");
  EXPECT_EQ(uri_ok("sip:atlanta.com?body=").headers, "body=");
}

TEST(Uri, RejectsMalformedHeaders) {
  expect_uri_rejected("sip:atlanta.com?");
  expect_uri_rejected("sip:atlanta.com?subject");
  expect_uri_rejected("sip:atlanta.com?=x");
  expect_uri_rejected("sip:atlanta.com?a=b&");
  expect_uri_rejected("sip:atlanta.com?a=b c");
  expect_uri_rejected("sip:atlanta.com?a=b;lr");
}

TEST(Uri, RejectsTrailingGarbageWithPrintableReason) {
  for (std::string_view text : {std::string_view("sip:atlanta.com\x01"), std::string_view("sip:atlanta.com>"),
                                std::string_view("sip:atlanta.com \x7f"), std::string_view("sip:\x80\x81@\xfe\xff"),
                                std::string_view("sip:alice@atl\x00nta.com", 21), std::string_view("\x01\x02:x"),
                                std::string_view("mailto:a\x1b[31m"), std::string_view("sip:[\x01]")}) {
    auto parsed = parse_uri(text);
    ASSERT_FALSE(parsed.has_value()) << "accepted garbage";
    EXPECT_FALSE(parsed.error().reason.empty());
    EXPECT_TRUE(is_printable(parsed.error().reason)) << parsed.error().reason;
  }
}

TEST(Uri, NamesTheOffendingCharacterInTheReason) {
  auto parsed = parse_uri("sip:atlanta.com>");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().reason.find("'>'"), std::string::npos) << parsed.error().reason;
  auto control = parse_uri("sip:atlanta.com\x01");
  ASSERT_FALSE(control);
  EXPECT_NE(control.error().reason.find("0x01"), std::string::npos) << control.error().reason;
}

// ---- §19.1.4 comparison ----

TEST(UriEquivalent, Rfc3261EscapedUserAndHostCaseAndParamCaseAreEquivalent) {
  EXPECT_TRUE(equivalent("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
}

TEST(UriEquivalent, Ipv6HostsCompareAsAddressesPerRfc5954) {
  EXPECT_TRUE(equivalent("sip:bob@[2001:db8::9:1]", "sip:bob@[2001:DB8:0::9:1]"));
  EXPECT_TRUE(equivalent("sip:[::ffff:192.0.2.1]", "sip:[::FFFF:c000:201]"));
  EXPECT_TRUE(equivalent("sip:[2001:db8:::192.0.2.1]", "sip:[2001:db8::192.0.2.1]"));
  EXPECT_FALSE(equivalent("sip:bob@[2001:db8::9:1]", "sip:bob@[2001:db8::9:2]"));
}

TEST(UriEquivalent, Rfc3261ParameterOnlyInOneUriIsIgnored) {
  EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
}

TEST(UriEquivalent, Rfc3261ParameterOrderDoesNotMatter) {
  EXPECT_TRUE(equivalent("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                         "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
}

TEST(UriEquivalent, Rfc3261HeaderOrderDoesNotMatter) {
  EXPECT_TRUE(equivalent("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                         "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST(UriEquivalent, Rfc3261DifferentUserCaseIsNotEquivalent) {
  EXPECT_FALSE(equivalent("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
}

TEST(UriEquivalent, Rfc3261ExplicitDefaultPortIsNotEquivalentToNoPort) {
  EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
}

TEST(UriEquivalent, Rfc3261ExplicitTransportIsNotEquivalentToNoTransport) {
  EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
}

TEST(UriEquivalent, Rfc3261DifferentPortAndTransportIsNotEquivalent) {
  EXPECT_FALSE(equivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
}

TEST(UriEquivalent, Rfc3261HeaderOnlyInOneUriIsNotEquivalent) {
  EXPECT_FALSE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
}

TEST(UriEquivalent, Rfc3261HostnameIsNotEquivalentToItsAddress) {
  EXPECT_FALSE(equivalent("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
}

TEST(UriEquivalent, Rfc3261EquivalenceIsNotTransitive) {
  EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(equivalent("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
}

TEST(UriEquivalent, SipAndSipsAreNeverEquivalent) {
  EXPECT_FALSE(equivalent("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
}

TEST(UriEquivalent, PasswordIsCaseSensitiveAndMustMatch) {
  EXPECT_TRUE(equivalent("sip:alice:secret@atlanta.com", "sip:alice:%73ecret@atlanta.com"));
  EXPECT_FALSE(equivalent("sip:alice:secret@atlanta.com", "sip:alice:SECRET@atlanta.com"));
  EXPECT_FALSE(equivalent("sip:alice:secret@atlanta.com", "sip:alice@atlanta.com"));
  EXPECT_FALSE(equivalent("sip:alice:@atlanta.com", "sip:alice@atlanta.com"));
}

TEST(UriEquivalent, UserOnlyInOneUriIsNotEquivalent) {
  EXPECT_FALSE(equivalent("sip:alice@atlanta.com", "sip:atlanta.com"));
}

TEST(UriEquivalent, SignificantParametersMustMatchWhenInEitherUri) {
  for (std::string_view param :
       {";user=phone", ";ttl=15", ";method=INVITE", ";maddr=239.255.255.1", ";transport=tcp"}) {
    const std::string with = "sip:alice@atlanta.com" + std::string(param);
    EXPECT_FALSE(equivalent("sip:alice@atlanta.com", with)) << param;
    EXPECT_TRUE(equivalent(with, with)) << param;
  }
  EXPECT_FALSE(equivalent("sip:alice@atlanta.com;user=phone", "sip:alice@atlanta.com;user=ip"));
  EXPECT_FALSE(equivalent("sip:alice@atlanta.com;ttl=15", "sip:alice@atlanta.com;ttl=16"));
}

TEST(UriEquivalent, CommonParameterValuesMustMatch) {
  EXPECT_FALSE(equivalent("sip:carol@chicago.com;newparam=6", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com;newparam=ABC", "sip:carol@chicago.com;NEWPARAM=abc"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com;x=%41", "sip:carol@chicago.com;x=a"));
  EXPECT_TRUE(equivalent("sip:carol@chicago.com;lr", "sip:carol@chicago.com"));
}

TEST(UriEquivalent, HeaderValuesMustMatchAndNamesAreCaseInsensitive) {
  EXPECT_FALSE(
      equivalent("sip:carol@chicago.com?Subject=next%20meeting", "sip:carol@chicago.com?Subject=another%20meeting"));
  EXPECT_TRUE(
      equivalent("sip:carol@chicago.com?Subject=next%20meeting", "sip:carol@chicago.com?subject=next%20meeting"));
}

TEST(UriEquivalent, Ipv6HostsCompareCaseInsensitively) {
  EXPECT_TRUE(equivalent("sip:[2001:DB8::1]:5060", "sip:[2001:db8::1]:5060"));
  EXPECT_FALSE(equivalent("sip:[2001:db8::1]", "sip:[2001:db8::1]:5060"));
}

TEST(UriEquivalent, OtherSchemesCompareSchemeCaseInsensitivelyAndTextExactly) {
  EXPECT_TRUE(equivalent("mailto:alice@example.com", "MAILTO:alice@example.com"));
  EXPECT_FALSE(equivalent("mailto:alice@example.com", "mailto:Alice@example.com"));
  EXPECT_FALSE(equivalent("mailto:alice@example.com", "im:alice@example.com"));
  EXPECT_FALSE(equivalent("mailto:alice@example.com", "sip:alice@example.com"));
}

TEST(UriEquivalent, TelNumbersCompareWithoutVisualSeparators) {
  // RFC 3966 §4: numbers are equal after removing visual separators.
  EXPECT_TRUE(equivalent("tel:+1-201-555-0123", "tel:+12015550123"));
  EXPECT_TRUE(equivalent("tel:+1(201)555.0123", "TEL:+1-201-555-0123"));
  EXPECT_TRUE(equivalent("tel:7042;phone-context=example.com", "tel:7042;PHONE-CONTEXT=Example.COM"));
  EXPECT_TRUE(equivalent("tel:7042;phone-context=+1-201", "tel:7042;phone-context=+1201"));
  EXPECT_TRUE(equivalent("tel:+1201;ext=12-34;isub=a", "tel:+1201;isub=A;ext=1234"));
}

TEST(UriEquivalent, TelUrisDifferingInNumberOrParametersAreNotEquivalent) {
  // RFC 3966 §4: global vs local numbers differ; a parameter found in only
  // one URI makes them unequal.
  EXPECT_FALSE(equivalent("tel:+12015550123", "tel:12015550123;phone-context=+1"));
  EXPECT_FALSE(equivalent("tel:+12015550123", "tel:+12015550124"));
  EXPECT_FALSE(equivalent("tel:+12015550123", "tel:+12015550123;ext=1"));
  EXPECT_FALSE(equivalent("tel:7042;phone-context=example.com", "tel:7042;phone-context=example.org"));
  EXPECT_FALSE(equivalent("tel:7042;phone-context=example.com", "tel:7042;phone-context=examplecom"));
  EXPECT_FALSE(equivalent("tel:+12015550123", "sip:+12015550123@example.com;user=phone"));
}

}  // namespace
}  // namespace voxgate::sip

namespace voxgate::sip {
namespace {

// The host grammar of RFC 3261 §25.1 read literally, as an independent
// reference for scan_host's scalar and SSE2 paths.
HostKind reference_host_kind(std::string_view host) {
  if (host.empty()) return HostKind::None;
  const bool numeric = host.find_first_not_of("0123456789.") == std::string_view::npos;
  if (numeric) return is_ipv4_address(host) ? HostKind::IPv4 : HostKind::None;
  std::string_view name = host;
  if (name.back() == '.') name.remove_suffix(1);
  std::vector<std::string_view> labels;
  for (std::size_t start = 0;;) {
    const std::size_t dot = name.find('.', start);
    labels.push_back(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  for (std::string_view label : labels) {
    if (label.empty() || label.front() == '-' || label.back() == '-') return HostKind::None;
    for (char c : label) {
      if (!ascii::is_alnum(c) && c != '-') return HostKind::None;
    }
  }
  return ascii::is_alpha(labels.back().front()) ? HostKind::Hostname : HostKind::None;
}

TEST(ScanHost, AgreesWithTheGrammarOnRandomHostsOfEveryLength) {
  // Characters that matter to the rules, and the delimiters that end a host.
  constexpr std::string_view kAlphabet = "aZ09.-.-..:;>@_\x80";
  test::TestRandom next(12345);
  for (int round = 0; round < 200000; ++round) {
    std::string text;
    const std::size_t length = next() % 48;  // across the 16- and 32-byte blocks
    for (std::size_t i = 0; i < length; ++i) text += kAlphabet[next() % kAlphabet.size()];
    const HostScan scan = scan_host(text);
    // The host ends at the first character that cannot be in one.
    const std::size_t expected_end = std::min(
        text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"), text.size());
    const HostKind expected = reference_host_kind(std::string_view(text).substr(0, expected_end));
    ASSERT_EQ(scan.kind, expected) << "host text: " << text;
    if (expected != HostKind::None) {
      ASSERT_EQ(scan.length, expected_end) << "host text: " << text;
    }
  }
}

// A host that runs to the end of the view, at every length around the 16-
// and 32-byte blocks: the bytes after the view (host characters here) must
// not count, whether the view is copied or read with an overlapping load.
TEST(ScanHost, StopsAtTheEndOfTheViewAtEveryLength) {
  std::string buffer(64, 'a');
  for (std::size_t i = 5; i < buffer.size(); i += 6) buffer[i] = '.';
  for (std::size_t length = 1; length <= 40; ++length) {
    std::string_view host = std::string_view(buffer).substr(0, length);
    if (host.back() == '.') continue;  // "aaaaa." is valid too, but keep the expectation simple
    const HostScan scan = scan_host(host);
    EXPECT_EQ(scan.length, length) << "length " << length;
    EXPECT_EQ(scan.kind, HostKind::Hostname) << "length " << length;
    const HostScan in_uri = scan_host(std::string(host) + ":5060");
    EXPECT_EQ(in_uri.length, length) << "length " << length;
    EXPECT_EQ(in_uri.kind, HostKind::Hostname) << "length " << length;
  }
}

// scan_host() runs one of three paths, chosen by the CPU: each is held here
// to the others on the same random hosts (the AVX2 one where the CPU has it).
// The SSE2 and AVX2 paths share their rules and must agree exactly, the
// length of a malformed host included; the scalar scan may stop earlier in
// a malformed host, so only its kind and a valid host's length are compared.
TEST(ScanHost, ScalarSse2AndAvx2PathsAgree) {
  constexpr std::string_view kAlphabet = "aZ09.-.-..:;>@_\x80";
  test::TestRandom next(54321);
  for (int round = 0; round < 100000; ++round) {
    std::string text;
    const std::size_t length = next() % 48;
    for (std::size_t i = 0; i < length; ++i) text += kAlphabet[next() % kAlphabet.size()];
    const HostScan scalar = detail::scan_host_scalar(text);
#if defined(__SSE2__)
    HostScan sse2;
    if (detail::scan_host_sse2(text, sse2)) {
      ASSERT_EQ(sse2.kind, scalar.kind) << "host text: " << text;
      if (scalar.kind != HostKind::None) {
        ASSERT_EQ(sse2.length, scalar.length) << "host text: " << text;
      }
    }
#if defined(VOXGATE_SIP_AVX2_DISPATCH)
    if (detail::cpu_has_avx2) {
      HostScan avx2;
      const bool avx2_decided = detail::scan_host_avx2(text, avx2);
      ASSERT_EQ(avx2_decided, detail::scan_host_sse2(text, sse2)) << "host text: " << text;
      if (avx2_decided) {
        ASSERT_EQ(avx2.kind, sse2.kind) << "host text: " << text;
        ASSERT_EQ(avx2.length, sse2.length) << "host text: " << text;
      }
    }
#endif
#endif
  }
}

TEST(ScanHost, FindsHostsLongerThanOneSimdBlock) {
  const std::string long_name = "a" + std::string(40, 'b') + ".example.com";
  const HostScan scan = scan_host(long_name + ":5060");
  EXPECT_EQ(scan.kind, HostKind::Hostname);
  EXPECT_EQ(scan.length, long_name.size());
  EXPECT_EQ(scan_host("pc33.atlanta.example.com;transport=udp").length, 24U);
  EXPECT_EQ(scan_host("[2001:db8::1]:5060").kind, HostKind::IPv6);
  EXPECT_EQ(scan_host("[2001:db8::1]:5060").length, 13U);
}

}  // namespace
}  // namespace voxgate::sip
