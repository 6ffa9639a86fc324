// RFC 5118 §4: the IPv6 torture messages, one test each (both §4.5 and both
// §4.10 variants). IPv6 references keep their brackets in Uri::host and
// Via::host; host_address() is the bare address.

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "conformance/classify.hpp"
#include "sip/message/message.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::conformance {
namespace {

using sip::HeaderId;
using sip::HostKind;
using sip::Message;
using sip::Method;
using sip::ParseErrorCode;

Verdict rfc5118_case(std::string_view name) {
  return classify_file("rfc5118", name);
}

// §4.1 ipv6-good: IPv6 references in the Request-URI, Via and Contact.
TEST(Rfc5118, Ipv6ReferencesInRequestUriViaAndContactParse) {
  const Verdict v = rfc5118_case("ipv6-good");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.method(), Method::Register);
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_FALSE(ruri.has_user());
  EXPECT_EQ(ruri.host, "[2001:db8::10]");
  EXPECT_EQ(ruri.host_kind, HostKind::IPv6);
  EXPECT_EQ(ruri.host_address(), "2001:db8::10");
  EXPECT_FALSE(ruri.port);

  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "[2001:db8::9:1]");
  EXPECT_EQ(via.host_kind, HostKind::IPv6);
  EXPECT_FALSE(via.port);
  EXPECT_EQ(via.branch(), "z9hG4bKas3-111");

  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  EXPECT_EQ(contacts[0].address.display_name_text(), "Caller");
  EXPECT_EQ(contacts[0].address.uri.user, "caller");
  EXPECT_EQ(contacts[0].address.uri.host, "[2001:db8::1]");
  EXPECT_EQ(contacts[0].address.uri.host_kind, HostKind::IPv6);

  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "SSG9559905523997077@hlau_4100");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 98176U);
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.tag(), "81x2");
}

// §4.2 ipv6-bad: an IPv6 address without "[ ]" in the Request-URI: 400.
TEST(Rfc5118, UndelimitedIpv6AddressInRequestUriIsAnsweredWith400) {
  const Verdict v = rfc5118_case("ipv6-bad");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MalformedRequestUri));
  EXPECT_EQ(v.message->request_uri_text(), "sip:2001:db8::10");
  EXPECT_TRUE(answer_is_buildable(v));
}

// §4.3 port-ambiguous: "[2001:db8::10:5070]" is well formed, and ":5070" is
// the address's last group, not a port: the sender's intent cannot be read
// out of it, and no port is invented.
TEST(Rfc5118, DigitsInsideIpv6BracketsArePartOfTheAddressNotAPort) {
  const Verdict v = rfc5118_case("port-ambiguous");
  ASSERT_TRUE(accepted(v));
  ASSERT_PARSED(ruri, v.message->request_uri());
  EXPECT_EQ(ruri.host, "[2001:db8::10:5070]");
  EXPECT_EQ(ruri.host_kind, HostKind::IPv6);
  EXPECT_EQ(ruri.host_address(), "2001:db8::10:5070");
  EXPECT_FALSE(ruri.port);
}

// §4.4 port-unambiguous: the port after "]" is the port.
TEST(Rfc5118, PortAfterIpv6BracketsIsThePort) {
  const Verdict v = rfc5118_case("port-unambiguous");
  ASSERT_TRUE(accepted(v));
  ASSERT_PARSED(ruri, v.message->request_uri());
  EXPECT_EQ(ruri.host, "[2001:db8::10]");
  EXPECT_EQ(ruri.host_kind, HostKind::IPv6);
  EXPECT_EQ(ruri.port, 5070);
  ASSERT_PARSED(contacts, v.message->contacts());
  EXPECT_EQ(contacts.at(0).address.uri.host, "[2001:db8::1]");
}

// §4.5 via-received-param-with-delim: RFC 3261's grammar has no brackets in
// "received", but robust implementations must accept them.
TEST(Rfc5118, BracketedIpv6ReceivedParameterIsAccepted) {
  const Verdict v = rfc5118_case("via-received-param-with-delim");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.method(), Method::Bye);
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "[2001:db8::9:1]");
  EXPECT_EQ(via.received(), "[2001:db8::9:255]");
  EXPECT_EQ(via.branch(), "z9hG4bKas3-111");
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.tag(), "bd76ya");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 321U);
  EXPECT_EQ(cseq.method, Method::Bye);
}

// §4.5 via-received-param-no-delim: the grammar's own form, without brackets.
TEST(Rfc5118, UnbracketedIpv6ReceivedParameterIsAccepted) {
  const Verdict v = rfc5118_case("via-received-param-no-delim");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.method(), Method::Options);
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "[2001:db8::9:1]");
  EXPECT_EQ(via.received(), "2001:db8::9:255");
  EXPECT_EQ(via.branch(), "z9hG4bKas3");
  ASSERT_PARSED(contacts, m.contacts());
  EXPECT_EQ(contacts.at(0).address.uri.host, "[2001:db8::9:1]");
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "SSG95523997077@hlau_4100");
}

// §4.6 ipv6-in-sdp: IPv6 signalling with an SDP body whose IPv6 addresses
// have no brackets; the body is carried byte for byte.
TEST(Rfc5118, Ipv6AddressesInTheSdpBodyAreCarriedUntouched) {
  const Verdict v = rfc5118_case("ipv6-in-sdp");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.method(), Method::Invite);
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.user, "user");
  EXPECT_EQ(ruri.host, "[2001:db8::10]");
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.host, "[2001:db8::10]");
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "[2001:db8::20]");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(m.body().size(), content_length);
  EXPECT_EQ(m.body().size(), 251U);
  EXPECT_NE(m.body().find("o=assistant 971731711378798081 0 IN IP6 2001:db8::20\r\n"), std::string_view::npos);
  EXPECT_NE(m.body().find("\r\nc=IN IP6 2001:db8::20\r\n"), std::string_view::npos);
  EXPECT_TRUE(m.body().ends_with("a=rtpmap:107 H263-1998/90000\r\n"));
}

// §4.7 mult-ip-in-header: a Via list mixing IPv6 references (one with a
// port) and IPv4 addresses, and an IPv4 received on an IPv6 sent-by.
TEST(Rfc5118, ViaListMixingIpv4AndIpv6Parses) {
  const Verdict v = rfc5118_case("mult-ip-in-header");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.method(), Method::Bye);
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.host_kind, HostKind::Hostname);
  ASSERT_PARSED(vias, m.get_all<HeaderId::Via>());
  ASSERT_EQ(vias.size(), 3U);
  EXPECT_EQ(vias[0].transport, "UDP");
  EXPECT_EQ(vias[0].host, "[2001:db8::9:1]");
  EXPECT_EQ(vias[0].host_kind, HostKind::IPv6);
  EXPECT_EQ(vias[0].port, 6050);
  EXPECT_EQ(vias[0].branch(), "z9hG4bKas3-111");
  EXPECT_EQ(vias[1].host, "192.0.2.1");
  EXPECT_EQ(vias[1].host_kind, HostKind::IPv4);
  EXPECT_EQ(vias[1].branch(), "z9hG4bKjhja8781hjuaij65144");
  EXPECT_EQ(vias[2].transport, "TCP");
  EXPECT_EQ(vias[2].host, "[2001:db8::9:255]");
  EXPECT_EQ(vias[2].host_kind, HostKind::IPv6);
  EXPECT_EQ(vias[2].branch(), "z9hG4bK451jj");
  EXPECT_EQ(vias[2].received(), "192.0.2.200");
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.tag(), "9817--94");
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "997077@lau_4100");
}

// §4.8 mult-ip-in-sdp: one media line on IPv4, one on IPv6; carried untouched.
TEST(Rfc5118, SdpWithIpv4AndIpv6ConnectionLinesIsCarriedUntouched) {
  const Verdict v = rfc5118_case("mult-ip-in-sdp");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(contacts, m.contacts());
  EXPECT_EQ(contacts.at(0).address.uri.host, "[2001:db8::9:1]");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(m.body().size(), content_length);
  EXPECT_EQ(m.body().size(), 189U);
  const std::size_t v4 = m.body().find("\r\nc=IN IP4 192.0.2.1\r\n");
  const std::size_t v6 = m.body().find("\r\nc=IN IP6 2001:db8::1\r\n");
  ASSERT_NE(v4, std::string_view::npos);
  ASSERT_NE(v6, std::string_view::npos);
  EXPECT_LT(v4, v6);
  EXPECT_NE(m.body().find("\r\ns=\r\n"), std::string_view::npos);
}

// §4.9 ipv4-mapped-ipv6: "::ffff:192.0.2.2" in two Vias (one with a port
// after "]"), the Contact and the SDP.
TEST(Rfc5118, Ipv4MappedIpv6AddressesParse) {
  const Verdict v = rfc5118_case("ipv4-mapped-ipv6");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(vias, m.get_all<HeaderId::Via>());
  ASSERT_EQ(vias.size(), 2U);
  EXPECT_EQ(vias[0].host, "[::ffff:192.0.2.10]");
  EXPECT_EQ(vias[0].host_kind, HostKind::IPv6);
  EXPECT_EQ(vias[0].port, 19823);
  EXPECT_EQ(vias[0].branch(), "z9hG4bKbh19");
  EXPECT_EQ(vias[1].host, "[::ffff:192.0.2.2]");
  EXPECT_EQ(vias[1].host_kind, HostKind::IPv6);
  EXPECT_FALSE(vias[1].port);
  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  EXPECT_EQ(contacts[0].address.display_name_text(), "T. desk phone");
  EXPECT_EQ(contacts[0].address.uri.user, "ted");
  EXPECT_EQ(contacts[0].address.uri.host, "[::ffff:192.0.2.2]");
  EXPECT_EQ(contacts[0].address.uri.host_kind, HostKind::IPv6);
  EXPECT_EQ(contacts[0].address.uri.host_address(), "::ffff:192.0.2.2");
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.host_kind, HostKind::Hostname);
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(m.body().size(), content_length);
  EXPECT_EQ(m.body().size(), 245U);
  EXPECT_NE(m.body().find("\r\nc=IN IP6 ::ffff:192.0.2.2\r\n"), std::string_view::npos);
}

// §4.10 ipv6-bug-abnf-3-colons: RFC 3261's IPv6address production (taken
// from RFC 2373) derives "2001:db8:::192.0.2.1" — a hexpart ending in "::",
// then ":" IPv4address. RFC 4291 does not allow it, but following the
// robustness principle an implementation must tolerate both constructs, so
// the request is accepted and the reference is an IPv6 host. The tolerance
// covers that one derivation only.
TEST(Rfc5118, ThreeColonIpv6ReferenceDerivedFromRfc3261AbnfIsTolerated) {
  const Verdict v = rfc5118_case("ipv6-bug-abnf-3-colons");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.user, "user");
  EXPECT_EQ(ruri.host, "[2001:db8:::192.0.2.1]");
  EXPECT_EQ(ruri.host_kind, HostKind::IPv6);
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.host, "[2001:db8:::192.0.2.1]");
  EXPECT_EQ(to.uri.host_kind, HostKind::IPv6);
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "lab1.east.example.com");

  EXPECT_TRUE(sip::is_ipv6_address("2001:db8:::192.0.2.1"));
  EXPECT_TRUE(sip::is_ipv6_address(":::192.0.2.1"));
  EXPECT_FALSE(sip::is_ipv6_address("2001:db8:::10"));                    // no embedded IPv4 address
  EXPECT_FALSE(sip::is_ipv6_address("2001:db8::::192.0.2.1"));            // four colons is no derivation
  EXPECT_FALSE(sip::is_ipv6_address("2001::db8:::192.0.2.1"));            // two "::" once read as "::"
  EXPECT_FALSE(sip::is_ipv6_address("2001:db8:::192.0.2"));               // not an IPv4 address
  EXPECT_EQ(sip::classify_host("2001:db8:::192.0.2.1"), HostKind::None);  // only inside "[ ]"
}

// §4.10 ipv6-correct-abnf-2-colons: the RFC 4291 form of the same address.
TEST(Rfc5118, TwoColonIpv6ReferenceWithEmbeddedIpv4AddressParses) {
  const Verdict v = rfc5118_case("ipv6-correct-abnf-2-colons");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.method(), Method::Options);
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.host, "[2001:db8::192.0.2.1]");
  EXPECT_EQ(ruri.host_kind, HostKind::IPv6);
  EXPECT_EQ(ruri.host_address(), "2001:db8::192.0.2.1");
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.host, "[2001:db8::192.0.2.1]");
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.uri.host_kind, HostKind::Hostname);
  EXPECT_EQ(from.tag(), "810x2");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 689U);
  EXPECT_FALSE(m.first_value(HeaderId::Contact));
}

}  // namespace
}  // namespace voxgate::conformance
