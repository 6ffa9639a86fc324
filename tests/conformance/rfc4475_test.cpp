// RFC 4475 §3: every torture message, one test each. Valid messages must be
// accepted with the right field values; invalid ones must get exactly the
// answer (400 / 505) or the silent drop the RFC asks for. Where the decision
// belongs to the UAS core (416, 420, 415, 406, 401, 483...), the message layer
// accepts and the test pins the fields that decision will be made from.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "conformance/classify.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/message.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::conformance {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;
using sip::HeaderId;
using sip::HostKind;
using sip::Message;
using sip::Method;
using sip::ParseErrorCode;
using sip::UriScheme;

Verdict load(std::string_view name) {
  return classify_file("rfc4475", name);
}

std::vector<std::string> field_names(const Message& m) {
  std::vector<std::string> out;
  for (const sip::HeaderField& f : m.fields()) out.emplace_back(m.name(f));
  return out;
}

bool mentions(const Verdict& v, std::string_view what) {
  return v.reason.find(what) != std::string::npos;
}

// ---------------------------------------------------------------- §3.1.1 valid messages

// §3.1.1.1 wsinv: folding everywhere, LWS around every separator, escaped
// quotes, an empty Subject, mixed compact/long names in odd case, unknown
// headers and parameters, leading zeros. All elements must accept it.
TEST(Rfc4475, TortuousInviteWithLwsAndFoldingParsesWithRightValues) {
  const Verdict v = load("wsinv");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_EQ(m.method(), Method::Invite);
  EXPECT_EQ(m.method_text(), "INVITE");
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.scheme, UriScheme::Sip);
  EXPECT_EQ(ruri.user, "vivekg");
  EXPECT_EQ(ruri.host, "chair-dnrc.example.com");
  EXPECT_EQ(ruri.host_kind, HostKind::Hostname);
  EXPECT_FALSE(ruri.port);
  ASSERT_EQ(ruri.params.size(), 1U);
  EXPECT_EQ(ruri.params[0].name, "unknownparam");
  EXPECT_FALSE(ruri.params[0].has_value);

  // Field names as written, in order; the folded values start after the fold.
  EXPECT_EQ(field_names(m), (std::vector<std::string>{"TO", "from", "MaX-fOrWaRdS", "Call-ID", "Content-Length", "cseq",
                                                      "Via", "s", "NewFangledHeader", "UnknownHeaderWithUnusualValue",
                                                      "Content-Type", "Route", "v", "m"}));

  ASSERT_PARSED(to, m.to());
  EXPECT_TRUE(to.display_name.empty());
  EXPECT_FALSE(to.bracketed);
  EXPECT_EQ(to.uri.user, "vivekg");
  EXPECT_EQ(to.uri.host, "chair-dnrc.example.com");
  EXPECT_TRUE(to.uri.params.empty());
  EXPECT_EQ(to.params.size(), 1U);
  EXPECT_EQ(to.tag(), "1918181833n");

  ASSERT_PARSED(from, m.from());
  EXPECT_TRUE(from.display_name_quoted);
  EXPECT_EQ(from.display_name, R"(J Rosenberg \\\")");
  EXPECT_EQ(from.display_name_text(), R"(J Rosenberg \")");
  EXPECT_EQ(from.uri.user, "jdrosen");
  EXPECT_EQ(from.uri.host, "example.com");
  EXPECT_EQ(from.params.size(), 1U);
  EXPECT_EQ(from.tag(), "98asjd8");

  ASSERT_PARSED(max_forwards, m.get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 68);
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "wsinv.ndaksdj@192.0.2.1");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 9U);
  EXPECT_EQ(cseq.method, Method::Invite);
  EXPECT_EQ(cseq.method_text, "INVITE");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(content_length, 150U);
  EXPECT_EQ(m.body().size(), 150U);
  EXPECT_TRUE(m.body().starts_with("v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.3\r\n"));

  // Two Via fields, three values: one folded over three lines, one list.
  EXPECT_EQ(m.count(HeaderId::Via), 2U);
  ASSERT_PARSED(vias, m.get_all<HeaderId::Via>());
  ASSERT_EQ(vias.size(), 3U);
  EXPECT_EQ(vias[0].protocol_name, "SIP");
  EXPECT_EQ(vias[0].protocol_version, "2.0");
  EXPECT_EQ(vias[0].transport, "UDP");
  EXPECT_EQ(vias[0].host, "192.0.2.2");
  EXPECT_EQ(vias[0].host_kind, HostKind::IPv4);
  EXPECT_FALSE(vias[0].port);
  EXPECT_EQ(vias[0].params.size(), 1U);
  EXPECT_EQ(vias[0].branch(), "390skdjuw");
  EXPECT_FALSE(vias[0].has_rfc3261_branch());
  EXPECT_EQ(vias[1].transport, "TCP");
  EXPECT_EQ(vias[1].host, "spindle.example.com");
  EXPECT_EQ(vias[1].params.size(), 1U);
  EXPECT_EQ(vias[1].branch(), "z9hG4bK9ikj8");
  EXPECT_TRUE(vias[1].has_rfc3261_branch());
  EXPECT_EQ(vias[2].transport, "UDP");
  EXPECT_EQ(vias[2].host, "192.168.255.111");
  EXPECT_EQ(vias[2].branch(), "z9hG4bK30239");
  EXPECT_TRUE(vias[2].has_rfc3261_branch());

  // "s :" is an empty Subject.
  ASSERT_TRUE(m.has(HeaderId::Subject));
  EXPECT_EQ(m.first_value(HeaderId::Subject), "");

  // Unknown headers are kept byte for byte, folding included, and are never
  // read as generic-param lists.
  EXPECT_EQ(m.first_value("NewFangledHeader"), "newfangled value\r\n continued newfangled value");
  EXPECT_EQ(m.first_value("newfangledheader"), "newfangled value\r\n continued newfangled value");
  EXPECT_EQ(m.first_value("UnknownHeaderWithUnusualValue"), ";;,,;;,;");
  EXPECT_EQ(m.fields()[9].id, HeaderId::Other);

  ASSERT_PARSED(content_type, m.get<HeaderId::ContentType>());
  EXPECT_TRUE(content_type.is("application", "sdp"));
  EXPECT_TRUE(content_type.params.empty());

  ASSERT_PARSED(routes, m.get_all<HeaderId::Route>());
  ASSERT_EQ(routes.size(), 1U);
  EXPECT_EQ(routes[0].uri.host, "services.example.com");
  EXPECT_TRUE(routes[0].uri.loose_route());
  ASSERT_EQ(routes[0].uri.params.size(), 3U);
  EXPECT_EQ(routes[0].uri.params.get("unknownwith"), "value");
  EXPECT_TRUE(routes[0].uri.params.has("unknown-no-value"));
  EXPECT_FALSE(routes[0].uri.params[2].has_value);

  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  const sip::NameAddr& contact = contacts[0].address;
  EXPECT_TRUE(contact.display_name_quoted);
  EXPECT_EQ(contact.display_name, R"(Quoted string \"\")");
  EXPECT_EQ(contact.display_name_text(), R"(Quoted string "")");
  EXPECT_EQ(contact.uri.user, "jdrosen");
  EXPECT_EQ(contact.uri.host, "example.com");
  EXPECT_TRUE(contact.uri.params.empty());
  ASSERT_EQ(contact.params.size(), 3U);
  EXPECT_EQ(contact.params.get("newparam"), "newvalue");
  EXPECT_TRUE(contact.params.has("secondparam"));
  EXPECT_FALSE(contact.params[1].has_value);
  EXPECT_EQ(contact.params.get("q"), "0.33");
  EXPECT_EQ(contacts[0].q(), 330);
}

// §3.1.1.2 intmeth: every non-alphanumeric token character in the method, a
// wild but legal Request-URI, quoted-pairs of BEL/NUL/DEL, a token display
// name, a UTF-8 parameter value, odd Call-ID characters and a UTF-8 unknown
// header. Endpoints answer the unknown method with 501 (UAS core).
TEST(Rfc4475, WideRangeOfValidCharactersParsesAsAnUnknownMethod) {
  const Verdict v = load("intmeth");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  const std::string method = "!interesting-Method0123456789_*+`.%indeed'~";
  const std::string unusual_user = "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*";

  EXPECT_EQ(m.method(), Method::Extension);
  EXPECT_EQ(m.method_text(), method);
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.scheme, UriScheme::Sip);
  EXPECT_EQ(ruri.user, unusual_user);
  EXPECT_TRUE(ruri.has_password);
  EXPECT_EQ(ruri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(ruri.host, "example.com");
  EXPECT_FALSE(ruri.port);
  EXPECT_TRUE(ruri.params.empty());
  EXPECT_TRUE(ruri.headers.empty());

  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.transport, "TCP");
  EXPECT_EQ(via.host, "host1.example.com");
  EXPECT_EQ(via.branch(), "z9hG4bK-.!%66*_+`'~");
  EXPECT_TRUE(via.has_rfc3261_branch());

  ASSERT_PARSED(to, m.to());
  EXPECT_TRUE(to.display_name_quoted);
  EXPECT_EQ(to.display_name, "BEL:\\\x07 NUL:\\\0 DEL:\\\x7f"s);
  EXPECT_EQ(to.display_name_text(), "BEL:\x07 NUL:\0 DEL:\x7f"s);
  EXPECT_EQ(to.display_name_text().size(), 17U);
  EXPECT_EQ(to.uri.user, unusual_user);
  EXPECT_FALSE(to.uri.has_password);
  EXPECT_EQ(to.uri.host, "example.com");
  EXPECT_TRUE(to.params.empty());

  ASSERT_PARSED(from, m.from());
  EXPECT_FALSE(from.display_name_quoted);
  EXPECT_EQ(from.display_name, "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(from.uri.user, "mundane");
  EXPECT_EQ(from.uri.host, "example.com");
  ASSERT_EQ(from.params.size(), 2U);
  EXPECT_EQ(from.params[0].name, "fromParam''~+*_!.-%");
  EXPECT_TRUE(from.params[0].quoted);
  EXPECT_EQ(from.params[0].value,
            "\xD1\x80\xD0\xB0\xD0\xB1\xD0\xBE\xD1\x82\xD0\xB0\xD1\x8E\xD1\x89\xD0\xB8\xD0\xB9");  // работающий
  EXPECT_EQ(from.tag(), "_token~1'+`*%!-.");

  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, R"(intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{)");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 139122385U);
  EXPECT_EQ(cseq.method, Method::Extension);
  EXPECT_EQ(cseq.method_text, method);
  ASSERT_PARSED(max_forwards, m.get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 255);

  // A BOM and three CJK characters, no space after the colon.
  EXPECT_EQ(m.first_value("extensionHeader-!.%*+_`'~"),
            "\xEF\xBB\xBF\xE5\xA4\xA7\xE5\x81\x9C\xE9\x9B\xBB");  // U+FEFF 大停電
  EXPECT_EQ(m.fields()[6].id, HeaderId::Other);
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(content_length, 0U);
  EXPECT_TRUE(m.body().empty());
}

// §3.1.1.3 esc01: % HEX HEX escapes in user parts and URI parameters are the
// characters they encode, unescaped once only ("value%41" is not "valueA").
TEST(Rfc4475, EscapesInUrisUnescapeOnceToTheEncodedCharacters) {
  const Verdict v = load("esc01");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_EQ(m.method(), Method::Invite);
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.user, "sips%3Auser%40example.com");
  EXPECT_EQ(sip::unescape(ruri.user), "sips:user@example.com");
  EXPECT_EQ(ruri.host, "example.net");
  EXPECT_TRUE(ruri.params.empty());

  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.user, "%75se%72");
  EXPECT_EQ(sip::unescape(to.uri.user), "user");
  EXPECT_EQ(to.uri.host, "example.com");
  EXPECT_TRUE(to.params.empty());

  ASSERT_PARSED(from, m.from());
  EXPECT_TRUE(from.bracketed);
  EXPECT_EQ(sip::unescape(from.uri.user), "I have spaces");
  EXPECT_EQ(from.uri.host, "example.net");
  EXPECT_EQ(from.tag(), "938");

  // Compact forms: "i" is Call-ID, "C" is Content-Type.
  EXPECT_EQ(m.name(m.fields()[3]), "i");
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "esc01.239409asdfakjkn23onasd0-3234");
  ASSERT_PARSED(content_type, m.get<HeaderId::ContentType>());
  EXPECT_TRUE(content_type.is("application", "sdp"));

  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  const sip::Uri& contact = contacts[0].address.uri;
  EXPECT_EQ(contact.user, "cal%6Cer");
  EXPECT_EQ(sip::unescape(contact.user), "caller");
  EXPECT_EQ(contact.host, "host5.example.net");
  ASSERT_EQ(contact.params.size(), 2U);
  EXPECT_EQ(contact.params[0].name, "%6C%72");
  EXPECT_EQ(sip::unescape(contact.params[0].name), "lr");
  EXPECT_FALSE(contact.params[0].has_value);
  // The escaped name is the parameter itself for every lookup (§19.1.4).
  EXPECT_TRUE(contact.loose_route());
  EXPECT_EQ(contact.params.get("NAME"), "v%61lue%25%34%31");
  EXPECT_EQ(sip::unescape(contact.params[1].name), "name");
  EXPECT_EQ(contact.params[1].value, "v%61lue%25%34%31");
  EXPECT_EQ(sip::unescape(contact.params[1].value), "value%41");

  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 234234U);
  ASSERT_PARSED(max_forwards, m.get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 87);
  EXPECT_EQ(m.body().size(), 150U);
}

// §3.1.1.4 escnull: %00 in user parts is a NUL that must not shorten the
// user; the two Contacts are two distinct URIs.
TEST(Rfc4475, EscapedNullsInUserPartsAreKeptWholeAndDistinct) {
  const Verdict v = load("escnull");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_EQ(m.method(), Method::Register);
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_FALSE(ruri.has_user());
  EXPECT_EQ(ruri.host, "example.com");

  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.user, "null-%00-null");
  EXPECT_EQ(sip::unescape(to.uri.user), "null-\0-null"s);
  EXPECT_EQ(sip::unescape(to.uri.user).size(), 11U);
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(sip::unescape(from.uri.user), "null-\0-null"s);
  EXPECT_EQ(from.tag(), "839923423");
  EXPECT_TRUE(sip::uri_equivalent(to.uri, from.uri));

  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 2U);
  EXPECT_EQ(contacts[0].address.uri.user, "%00");
  EXPECT_EQ(sip::unescape(contacts[0].address.uri.user), "\0"s);
  EXPECT_EQ(contacts[1].address.uri.user, "%00%00");
  EXPECT_EQ(sip::unescape(contacts[1].address.uri.user), "\0\0"s);
  EXPECT_FALSE(sip::uri_equivalent(contacts[0].address.uri, contacts[1].address.uri));

  // "L:0", upper-case compact Content-Length with no space.
  EXPECT_EQ(m.name(m.fields().back()), "L");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(content_length, 0U);
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 14398234U);
  EXPECT_EQ(cseq.method, Method::Register);
}

// §3.1.1.5 esc02: outside "escaped" productions % is an ordinary character:
// RE%47IST%45R is an unknown method (501 from the UAS core), not REGISTER;
// C%6Fntact is an unknown header, not a third Contact.
TEST(Rfc4475, PercentOutsideEscapedProductionsIsAnOrdinaryCharacter) {
  const Verdict v = load("esc02");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_EQ(m.method(), Method::Extension);
  EXPECT_EQ(m.method_text(), "RE%47IST%45R");
  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.host, "registrar.example.com");

  ASSERT_PARSED(to, m.to());
  EXPECT_TRUE(to.display_name_quoted);
  EXPECT_EQ(to.display_name_text(), "%Z%45");
  EXPECT_EQ(to.uri.user, "resource");
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.display_name_text(), "%Z%45");
  EXPECT_EQ(from.tag(), "f232jadfj23");

  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.transport, "TCP");
  EXPECT_EQ(via.branch(), "z9hG4bK209%fzsnel234");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 29344U);
  EXPECT_EQ(cseq.method, Method::Extension);
  EXPECT_EQ(cseq.method_text, "RE%47IST%45R");

  EXPECT_EQ(m.count(HeaderId::Contact), 2U);
  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 2U);
  EXPECT_EQ(contacts[0].address.uri.user, "alias1");
  EXPECT_EQ(contacts[0].address.uri.host, "host1.example.com");
  EXPECT_EQ(contacts[1].address.uri.user, "alias3");
  EXPECT_EQ(contacts[1].address.uri.host, "host3.example.com");
  EXPECT_EQ(m.fields()[7].id, HeaderId::Other);
  EXPECT_EQ(m.first_value("C%6Fntact"), "<sip:alias2@host2.example.com>");
}

// §3.1.1.6 lwsdisp: a token display name directly followed by '<' is an RFC
// 3261 grammar bug; elements accept it.
TEST(Rfc4475, TokenDisplayNameWithoutLwsBeforeAngleBracketIsAccepted) {
  const Verdict v = load("lwsdisp");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_EQ(m.method(), Method::Options);
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.display_name, "caller");
  EXPECT_FALSE(from.display_name_quoted);
  EXPECT_TRUE(from.bracketed);
  EXPECT_EQ(from.uri.user, "caller");
  EXPECT_EQ(from.uri.host, "example.com");
  EXPECT_EQ(from.tag(), "323");
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.user, "user");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 60U);
  EXPECT_EQ(cseq.method, Method::Options);
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "funky.example.com");
  EXPECT_EQ(via.branch(), "z9hG4bKkdjuw");
}

// §3.1.1.7 longreq: very long names and values, and 34 Via values spread over
// fields named in every case and spacing.
TEST(Rfc4475, VeryLongValuesAndManyViaFieldsParseCompletely) {
  const Verdict v = load("longreq");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  const std::string caller = repeat("amazinglylongcallername", 5);

  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.display_name_text(), "I have a user name of " + repeat("extreme", 10) + " proportion");
  EXPECT_EQ(to.uri.user, "user");
  EXPECT_EQ(to.uri.host, "example.com");
  EXPECT_EQ(to.uri.port, 6000);
  ASSERT_EQ(to.uri.params.size(), 3U);
  EXPECT_EQ(to.uri.params.get("unknownparam1"), "very" + repeat("long", 20) + "value");
  EXPECT_EQ(to.uri.params.get("longparam" + repeat("name", 25)), "shortvalue");
  EXPECT_EQ(to.uri.params[2].name, "very" + repeat("long", 25) + "ParameterNameWithNoValue");
  EXPECT_FALSE(to.uri.params[2].has_value);
  EXPECT_TRUE(to.params.empty());

  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(m.name(m.fields()[1]), "F");
  EXPECT_EQ(from.uri.user, caller);
  EXPECT_EQ(from.uri.host, "example.net");
  ASSERT_EQ(from.params.size(), 3U);
  // fmt rather than "1" + ... + "2424": g++ 12 -O3 misreports -Wrestrict there.
  EXPECT_EQ(from.tag(), fmt::format("1{}2424", repeat("298", 50)));
  EXPECT_EQ(from.params.get("unknownheaderparam" + repeat("name", 20)), "unknowheaderparam" + repeat("value", 15));
  EXPECT_EQ(from.params[2].name, "unknownValueless" + repeat("paramname", 10));
  EXPECT_FALSE(from.params[2].has_value);

  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "longreq.one" + repeat("really", 20) + "longcallid");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 3882340U);
  EXPECT_EQ(cseq.method, Method::Invite);

  const std::string long20 = repeat("long", 20);
  EXPECT_EQ(
      m.first_value("Unknown-" + repeat("Long", 20) + "-Name"),
      "unknown-" + long20 + "-value; unknown-" + long20 + "-parameter-name = unknown-" + long20 + "-parameter-value");

  // 34 Via fields, one value each, names in every spelling.
  const std::vector<std::string> names = field_names(m);
  const std::vector<std::string> via_names(names.begin() + 5, names.begin() + 39);
  std::vector<std::string> expected_via_names = {"Via", "v",   "V", "Via", "ViA", "VIa", "VIA", "via", "viA",
                                                 "vIa", "vIA", "V", "v",   "V",   "v",   "Via", "Via"};
  expected_via_names.resize(34, "Via");
  EXPECT_EQ(via_names, expected_via_names);
  EXPECT_EQ(m.count(HeaderId::Via), 34U);
  ASSERT_PARSED(vias, m.get_all<HeaderId::Via>());
  ASSERT_EQ(vias.size(), 34U);
  for (std::size_t i = 0; i < 33; ++i) {
    EXPECT_EQ(vias[i].transport, "TCP") << i;
    EXPECT_EQ(vias[i].host, fmt::format("sip{}.example.com", 33 - i)) << i;
    EXPECT_FALSE(vias[i].port) << i;
    EXPECT_TRUE(vias[i].params.empty()) << i;
  }
  EXPECT_EQ(vias[33].host, "host.example.com");
  EXPECT_EQ(vias[33].received(), "192.0.2.5");
  EXPECT_EQ(vias[33].branch(), "very" + repeat("long", 50) + "branchvalue");
  EXPECT_FALSE(vias[33].has_rfc3261_branch());

  ASSERT_PARSED(max_forwards, m.get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 70);
  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  EXPECT_EQ(contacts[0].address.uri.user, caller);
  EXPECT_EQ(contacts[0].address.uri.host, "host5.example.net");
  EXPECT_EQ(m.name(m.fields().back()), "l");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(content_length, 150U);
  EXPECT_EQ(m.body().size(), 150U);
}

// §3.1.1.8 dblreq: a datagram holding a REGISTER with Content-Length 0 and
// then octets that look like an INVITE. The octets are noise (RFC 3261
// §18.3): handled as the REGISTER alone, never forwarded.
TEST(Rfc4475, OctetsAfterTheBodyOfADatagramAreIgnored) {
  const std::string bytes = load_message("rfc4475", "dblreq");
  const Verdict v = classify(bytes);
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_EQ(m.method(), Method::Register);
  // Nothing of the INVITE leaked in: 8 fields, no "t" (its compact To).
  EXPECT_EQ(field_names(m),
            (std::vector<std::string>{"To", "From", "Max-Forwards", "I", "Contact", "CSeq", "Via", "Content-Length"}));
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.user, "j.user");
  EXPECT_EQ(to.uri.host, "example.com");
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.tag(), "43251j3j324");
  ASSERT_PARSED(max_forwards, m.get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 8);
  EXPECT_EQ(m.name(m.fields()[3]), "I");
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  EXPECT_FALSE(contacts[0].address.bracketed);
  EXPECT_EQ(contacts[0].address.uri.host, "host.example.com");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 8U);
  EXPECT_EQ(cseq.method, Method::Register);
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "192.0.2.125");
  EXPECT_EQ(via.branch(), "z9hG4bKkdjuw23492");
  EXPECT_TRUE(m.body().empty());

  const std::size_t register_end = bytes.find("\r\n\r\n") + 4;
  ASSERT_LT(register_end, bytes.size());
  EXPECT_TRUE(std::string_view(bytes).substr(register_end).starts_with("INVITE sip:joe@example.com SIP/2.0\r\n"));
  EXPECT_EQ(m.serialize(), bytes.substr(0, register_end));
}

// §3.1.1.9 semiuri: ";par=u%40example.net" before the '@' is part of the
// user, not a URI parameter.
TEST(Rfc4475, SemicolonInRequestUriUserPartBelongsToTheUser) {
  const Verdict v = load("semiuri");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  ASSERT_PARSED(ruri, m.request_uri());
  EXPECT_EQ(ruri.user, "user;par=u%40example.net");
  EXPECT_EQ(sip::unescape(ruri.user), "user;par=u@example.net");
  EXPECT_EQ(ruri.host, "example.com");
  EXPECT_TRUE(ruri.params.empty());

  // One folded Accept field, six media ranges.
  EXPECT_EQ(m.count(HeaderId::Accept), 1U);
  ASSERT_PARSED(accept, m.get_all<HeaderId::Accept>());
  ASSERT_EQ(accept.size(), 6U);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"application", "sdp"}, {"application", "pkcs7-mime"}, {"multipart", "mixed"}, {"multipart", "signed"},
      {"message", "sip"},     {"message", "sipfrag"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(accept[i].type, expected[i].first) << i;
    EXPECT_EQ(accept[i].subtype, expected[i].second) << i;
  }
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.user, "j_user");
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.uri.host, "example.org");
  EXPECT_EQ(from.tag(), "33242");
  ASSERT_PARSED(max_forwards, m.get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 3);
}

// §3.1.1.10 transports: every transport, including one nobody knows, is a
// well-formed Via.
TEST(Rfc4475, ViaTransportsIncludingAnUnknownOneAreAccepted) {
  const Verdict v = load("transports");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  ASSERT_PARSED(vias, m.get_all<HeaderId::Via>());
  ASSERT_EQ(vias.size(), 5U);
  const std::vector<std::string> transports = {"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"};
  const std::vector<std::string> branches = {"z9hG4bKkdjuw", "z9hG4bKklasjdhf", "z9hG4bK2980unddj", "z9hG4bKasd0f3en",
                                             "z9hG4bK0a9idfnee"};
  for (std::size_t i = 0; i < vias.size(); ++i) {
    EXPECT_EQ(vias[i].protocol_name, "SIP") << i;
    EXPECT_EQ(vias[i].protocol_version, "2.0") << i;
    EXPECT_EQ(vias[i].transport, transports[i]) << i;
    EXPECT_EQ(vias[i].host, fmt::format("t{}.example.com", i + 1)) << i;
    EXPECT_EQ(vias[i].branch(), branches[i]) << i;
  }
  // "Call-ID:  transports..." : both spaces are LWS, not value.
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "transports.kijh4akdnaqjkwendsasfdj");
  ASSERT_PARSED(accept, m.get_all<HeaderId::Accept>());
  ASSERT_EQ(accept.size(), 1U);
  EXPECT_TRUE(accept[0].is("application", "sdp"));
}

// §3.1.1.11 mpart01: a multipart body whose second part is binary, with NULs,
// bare CR and LF and an empty line inside it; only Content-Length frames it.
TEST(Rfc4475, MultipartBodyWithBinaryPartIsFramedByContentLength) {
  const Verdict v = load("mpart01");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_EQ(m.method(), Method::Message);
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "127.0.0.1");
  EXPECT_EQ(via.host_kind, HostKind::IPv4);
  EXPECT_EQ(via.port, 5070);
  EXPECT_EQ(via.branch(), "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-");
  EXPECT_TRUE(via.has_rport());
  EXPECT_FALSE(via.rport());

  ASSERT_PARSED(routes, m.get_all<HeaderId::Route>());
  ASSERT_EQ(routes.size(), 1U);
  EXPECT_FALSE(routes[0].uri.has_user());
  EXPECT_EQ(routes[0].uri.host, "127.0.0.1");
  EXPECT_EQ(routes[0].uri.port, 5080);
  EXPECT_EQ(m.first_value(HeaderId::Identity),
            "r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq37CD+813gvYjcBUaZngQmXc9WNZSDNGCz"
            "A+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0rt70Q5jiSfbqMJmQFteeivUhkMWYUA=");
  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  EXPECT_EQ(contacts[0].address.uri.user, "fluffy");
  EXPECT_EQ(contacts[0].address.uri.port, 5070);
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.tag(), "2fb0dcc9");
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.method, Method::Message);
  EXPECT_EQ(m.first_value("Content-Transfer-Encoding"), "binary");

  ASSERT_PARSED(content_type, m.get<HeaderId::ContentType>());
  EXPECT_TRUE(content_type.is("multipart", "mixed"));
  EXPECT_EQ(content_type.params.get("boundary"), "7a9cbec02ceef655");

  using namespace std::chrono;
  ASSERT_PARSED(date, m.get<HeaderId::Date>());
  EXPECT_EQ(date, sys_days{year{2005} / October / 15} + hours{4} + minutes{44} + seconds{56});
  ASSERT_PARSED(user_agent, m.get<HeaderId::UserAgent>());
  ASSERT_EQ(user_agent.size(), 2U);
  EXPECT_EQ(user_agent[0].name, "SIPimp.org");
  EXPECT_EQ(user_agent[0].version, "0.2.5");
  EXPECT_EQ(user_agent[1].comment, "curses");

  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(m.body().size(), content_length);
  EXPECT_EQ(m.body().size(), 477U);
  EXPECT_TRUE(m.body().starts_with("--7a9cbec02ceef655\r\nContent-Type: text/plain\r\n"));
  EXPECT_TRUE(m.body().ends_with("\r\n\r\n\0\0\r\n--7a9cbec02ceef655--\r\n"sv));
  EXPECT_NE(m.body().find('\0'), std::string_view::npos);
  // Every byte value appears in the binary part, in order.
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  EXPECT_NE(m.body().find(all_bytes), std::string_view::npos);
}

// §3.1.1.12 unreason: a reason phrase of unreserved characters and UTF-8.
TEST(Rfc4475, Utf8ReasonPhraseIsAcceptedVerbatim) {
  const Verdict v = load("unreason");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.status(), 200);
  EXPECT_EQ(m.reason(),
            "= 2**3 * 5**2 "
            "\xD0\xBD\xD0\xBE"  // но
            " "
            "\xD1\x81\xD1\x82\xD0\xBE"  // сто
            " "
            "\xD0\xB4\xD0\xB5\xD0\xB2\xD1\x8F\xD0\xBD\xD0\xBE\xD1\x81\xD1\x82\xD0\xBE"  // девяносто
            " "
            "\xD0\xB4\xD0\xB5\xD0\xB2\xD1\x8F\xD1\x82\xD1\x8C"  // девять
            " - "
            "\xD0\xBF\xD1\x80\xD0\xBE\xD1\x81\xD1\x82\xD0\xBE\xD0\xB5");  // простое
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "192.0.2.198");
  EXPECT_EQ(via.branch(), "z9hG4bK1324923");
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "unreason.1234ksdfak3j2erwedfsASdf");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.sequence, 35U);
  EXPECT_EQ(cseq.method, Method::Invite);
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.tag(), "11141343");
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.host, "example.edu");
  EXPECT_EQ(to.tag(), "2229");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(content_length, 154U);
  EXPECT_EQ(m.body().size(), 154U);
  ASSERT_PARSED(contacts, m.contacts());
  EXPECT_EQ(contacts.at(0).address.uri.host, "host198.example.com");
}

// §3.1.1.13 noreason: "SIP/2.0 100 " — the SP is there, the phrase is empty.
TEST(Rfc4475, EmptyReasonPhraseIsAccepted) {
  const Verdict v = load("noreason");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;

  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.status(), 100);
  EXPECT_EQ(m.reason(), "");
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "192.0.2.105");
  EXPECT_EQ(via.branch(), "z9hG4bK2398ndaoe");
  ASSERT_PARSED(call_id, m.call_id());
  EXPECT_EQ(call_id, "noreason.asndj203insdf99223ndf");
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.tag(), "39ansfi3");
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.tag(), "902jndnke3");
  ASSERT_PARSED(contacts, m.contacts());
  EXPECT_EQ(contacts.at(0).address.uri.host, "host105.example.com");
  EXPECT_TRUE(m.body().empty());
}

// ---------------------------------------------------------------- §3.1.2 invalid messages

// §3.1.2.1 badinv01: ";;,;,," in Via and ";;;;" in Contact are empty
// parameters and empty list elements: 400.
TEST(Rfc4475, ExtraneousSeparatorsInViaAndContactAreAnsweredWith400) {
  const Verdict v = load("badinv01");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(v, "Via"));
  EXPECT_FALSE(v.message->get_all<HeaderId::Contact>());
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.2 clerr: Content-Length larger than the datagram's body: 400
// (RFC 3261 §18.3). On a stream the framer would wait for the missing octets.
TEST(Rfc4475, ContentLengthLargerThanTheDatagramBodyIsAnsweredWith400) {
  const Verdict v = load("clerr");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BodyTruncated));
  EXPECT_TRUE(answer_is_buildable(v));
  EXPECT_EQ(v.message->first_value(HeaderId::ContentLength), "9999");
}

// §3.1.2.3 ncl: a negative Content-Length, and (as the RFC adds) a
// non-numeric one, are answered with 400; nothing is read as a length.
TEST(Rfc4475, NegativeOrNonNumericContentLengthIsAnsweredWith400) {
  const Verdict v = load("ncl");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BadContentLength));
  EXPECT_TRUE(answer_is_buildable(v));

  std::string five = load_message("rfc4475", "ncl");
  const std::size_t at = five.find("Content-Length: -999");
  ASSERT_NE(at, std::string::npos);
  five.replace(at, 20, "Content-Length: five");
  const Verdict w = classify(std::move(five));
  EXPECT_TRUE(responds(w, 400, ParseErrorCode::BadContentLength));
}

// §3.1.2.4 scalar02: CSeq > 2^32-1 makes it a 400; Max-Forwards > 255 and
// the expiry values > 2^32-1 are each out of range as well. The RFC lets an
// element ignore a bad Max-Forwards or default bad expiries when they are the
// only errors; voxgate answers 400 for each of them alone too, rather than
// guess at what the sender meant.
TEST(Rfc4475, OverlargeScalarsInARequestAreAnsweredWith400) {
  const std::string bytes = load_message("rfc4475", "scalar02");
  const Verdict v = classify(bytes);
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(v, "CSeq"));
  EXPECT_TRUE(answer_is_buildable(v));
  const Message& m = *v.message;
  EXPECT_FALSE(m.cseq());
  EXPECT_FALSE(m.find<HeaderId::MaxForwards>());
  EXPECT_FALSE(m.find<HeaderId::Expires>());
  EXPECT_FALSE(m.contacts());

  // Made valid one value at a time, the request is still a 400 for each
  // remaining overlarge value, and accepted once none is left.
  std::string fixed = bytes;
  const auto replace = [&fixed](std::string_view from, std::string_view to) {
    const std::size_t at = fixed.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    fixed.replace(at, from.size(), to);
  };
  replace("36893488147419103232 REGISTER", "1 REGISTER");
  const Verdict max_forwards = classify(fixed);
  EXPECT_TRUE(responds(max_forwards, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(max_forwards, "Max-Forwards")) << max_forwards;
  replace("Max-Forwards: 300", "Max-Forwards: 70");
  const Verdict contact_expires = classify(fixed);
  EXPECT_TRUE(responds(contact_expires, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(contact_expires, "Contact")) << contact_expires;
  replace(";expires=280297596632815", ";expires=3600");
  const Verdict expires = classify(fixed);
  EXPECT_TRUE(responds(expires, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(expires, "Expires")) << expires;
  replace("Expires: 1" + std::string(100, '0'), "Expires: 3600");
  EXPECT_TRUE(accepted(classify(fixed)));
}

// §3.1.2.5 scalarlg: a response with CSeq > 2^32-1 (and an overlarge
// Retry-After and a 4-digit warn-code) is dropped.
TEST(Rfc4475, OverlargeScalarsInAResponseAreDropped) {
  const Verdict v = load("scalarlg");
  ASSERT_TRUE(drops(v, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(v, "CSeq"));
  ASSERT_TRUE(v.message);
  EXPECT_TRUE(v.message->is_response());
  EXPECT_EQ(v.message->status(), 503);
  EXPECT_FALSE(v.message->find<HeaderId::RetryAfter>());
  EXPECT_FALSE(v.message->find<HeaderId::Warning>());
}

// §3.1.2.6 quotbal: an unterminated quoted display name in To: 400. No
// quote is inferred.
TEST(Rfc4475, UnterminatedQuotedDisplayNameIsAnsweredWith400) {
  const Verdict v = load("quotbal");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(v, "To"));
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.7 ltgtruri: "<sip:user@example.com>" as the Request-URI: 400. (The
// RFC allows ignoring the brackets; rejecting is what it calls reasonable
// always, and what keeps the bracketed form from being forwarded.)
TEST(Rfc4475, RequestUriInAngleBracketsIsAnsweredWith400) {
  const Verdict v = load("ltgtruri");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MalformedRequestUri));
  EXPECT_EQ(v.message->request_uri_text(), "<sip:user@example.com>");
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.8 lwsruri: LWS inside the Request-URI ("; lr") is an extra SP in the
// request line: 400.
TEST(Rfc4475, LwsInsideTheRequestUriIsAnsweredWith400) {
  const Verdict v = load("lwsruri");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MalformedStartLine));
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.9 lwsstart: two SPs between request-line elements. The RFC allows
// either rejecting or ignoring them; voxgate rejects with 400, as RFC 3261
// §7.1's "single SP" grammar and every strict peer do, so a malformed start
// line is never half-understood or forwarded.
TEST(Rfc4475, MultipleSpacesBetweenRequestLineElementsAreAnsweredWith400) {
  const Verdict v = load("lwsstart");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MalformedStartLine));
  EXPECT_TRUE(answer_is_buildable(v));
  ASSERT_PARSED(cseq, v.message->cseq());
  EXPECT_EQ(cseq.sequence, 1893884U);
}

// §3.1.2.10 trws: SPs after SIP-Version. Same choice as §3.1.2.9: 400.
TEST(Rfc4475, TrailingSpacesAfterTheRequestLineAreAnsweredWith400) {
  const Verdict v = load("trws");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MalformedStartLine));
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.11 escruri: escaped headers in a SIP Request-URI (forbidden by RFC
// 3261 §19.1.1): 400, so they can never leak into a forwarded request.
TEST(Rfc4475, EscapedHeadersInTheRequestUriAreAnsweredWith400) {
  const Verdict v = load("escruri");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MalformedRequestUri));
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.12 baddate: a Date in EST. The RFC says an element shouldn't reject
// the request for it unless Date matters to its processing, which is never
// the message layer's call: the request is accepted, and anyone who reads
// the Date gets the error.
TEST(Rfc4475, NonGmtDateIsAcceptedButDoesNotParseAsADate) {
  const Verdict v = load("baddate");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.first_value(HeaderId::Date), "Fri, 01 Jan 2010 16:00:00 EST");
  EXPECT_FALSE(m.find<HeaderId::Date>());
  EXPECT_EQ(m.body().size(), 150U);
}

// §3.1.2.13 regbadct: a Contact URI with an escaped header outside <>: 400
// (the brackets are not inferred).
TEST(Rfc4475, ContactUriWithHeadersOutsideAngleBracketsIsAnsweredWith400) {
  const Verdict v = load("regbadct");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(v, "Contact"));
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.14 badaspec: spaces inside <> around the To URI: 400.
TEST(Rfc4475, SpacesInsideTheAngleBracketsOfAnAddressAreAnsweredWith400) {
  const Verdict v = load("badaspec");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(v, "To"));
  ASSERT_PARSED(from, v.message->from());
  EXPECT_EQ(from.display_name_text(), "Bell, Alexander");
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.15 baddn: unquoted display names with a comma: 400 (no quotes
// inferred).
TEST(Rfc4475, UnquotedDisplayNameWithNonTokenCharactersIsAnsweredWith400) {
  const Verdict v = load("baddn");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::BadHeaderValue));
  EXPECT_TRUE(mentions(v, "From"));
  EXPECT_FALSE(v.message->to());
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.16 badvers: SIP/7.0 is answered with 505 Version Not Supported.
TEST(Rfc4475, UnsupportedSipVersionIsAnsweredWith505) {
  const Verdict v = load("badvers");
  ASSERT_TRUE(responds(v, 505, ParseErrorCode::UnsupportedVersion));
  EXPECT_EQ(v.message->method(), Method::Options);
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.17 mismatch01: CSeq method INVITE on an OPTIONS request: 400.
TEST(Rfc4475, CSeqMethodDifferentFromTheRequestMethodIsAnsweredWith400) {
  const Verdict v = load("mismatch01");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::CSeqMethodMismatch));
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.18 mismatch02: an unknown method whose CSeq names INVITE. The RFC
// prefers 501 and accepts 400. The message layer cannot know which extension
// methods the UAS core implements, and a request whose CSeq contradicts its
// method cannot be matched to a transaction safely either way, so it answers
// 400 here, before any method dispatch.
TEST(Rfc4475, UnknownMethodWithAMismatchedCSeqIsAnsweredWith400) {
  const Verdict v = load("mismatch02");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::CSeqMethodMismatch));
  EXPECT_EQ(v.message->method(), Method::Extension);
  EXPECT_EQ(v.message->method_text(), "NEWMETHOD");
  EXPECT_EQ(v.message->body().size(), 138U);
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.1.2.19 bigcode: a status code of 4294967301 (> 699): dropped.
TEST(Rfc4475, StatusCodeAbove699IsDropped) {
  const Verdict v = load("bigcode");
  EXPECT_TRUE(drops(v, ParseErrorCode::MalformedStartLine));
}

// ---------------------------------------------------------------- §3.2 transaction layer

// §3.2.1 badbranch: "z9hG4bK" alone claims an RFC 3261 branch and carries no
// id. The parser must not break: the message is accepted, and the branch is
// reported as not an RFC 3261 transaction id, so the transaction layer falls
// back to RFC 2543 matching (or rejects statelessly with 400, its choice).
TEST(Rfc4475, BareMagicCookieBranchParsesButIsNotAnRfc3261TransactionId) {
  const Verdict v = load("badbranch");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.branch(), "z9hG4bK");
  EXPECT_FALSE(via.has_rfc3261_branch());
  EXPECT_EQ(via.host, "192.0.2.1");
  ASSERT_PARSED(cseq, m.cseq());
  EXPECT_EQ(cseq.method, Method::Options);
  ASSERT_PARSED(max_forwards, m.get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 3);
}

// ---------------------------------------------------------------- §3.3 application layer

// §3.3.1 insuf: no Call-ID, From or To: 400, and the answer can still be
// built from the Via and CSeq that are there.
TEST(Rfc4475, MissingCallIdFromAndToAreAnsweredWith400) {
  const Verdict v = load("insuf");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MissingHeader));
  EXPECT_TRUE(answer_is_buildable(v));
  const Message answer = sip::make_response(*v.message, 400, v.reason).build();
  EXPECT_TRUE(answer.has(HeaderId::Via));
  EXPECT_TRUE(answer.has(HeaderId::CSeq));
}

// §3.3.2 unkscm: an unknown Request-URI scheme is well formed; the UAS core
// answers 416 Unsupported URI Scheme (and must not route on To).
TEST(Rfc4475, UnknownRequestUriSchemeIsAcceptedForTheUasCoreToAnswer416) {
  const Verdict v = load("unkscm");
  ASSERT_TRUE(accepted(v));
  ASSERT_PARSED(ruri, v.message->request_uri());
  EXPECT_EQ(ruri.scheme, UriScheme::Other);  // UAS core: 416
  EXPECT_EQ(ruri.scheme_name, "nobodyKnowsThisScheme");
  EXPECT_EQ(ruri.opaque, "totallyopaquecontent");
  ASSERT_PARSED(to, v.message->to());
  EXPECT_EQ(to.uri.scheme, UriScheme::Sip);
}

// §3.3.3 novelsc: a registered scheme that SIP does not use (soap.beep) in
// the Request-URI; the UAS core answers 416.
TEST(Rfc4475, AtypicalRequestUriSchemeIsAcceptedForTheUasCoreToAnswer416) {
  const Verdict v = load("novelsc");
  ASSERT_TRUE(accepted(v));
  ASSERT_PARSED(ruri, v.message->request_uri());
  EXPECT_EQ(ruri.scheme, UriScheme::Other);  // UAS core: 416
  EXPECT_EQ(ruri.scheme_name, "soap.beep");
  EXPECT_EQ(ruri.opaque, "//192.0.2.103:3002");
}

// §3.3.4 unksm2: non-SIP schemes in To, From and Contact are syntactically
// valid; a registrar answers 400 because To must be a SIP or SIPS AOR.
TEST(Rfc4475, UnknownSchemesInToFromAndContactAreAcceptedForTheRegistrarToAnswer400) {
  const Verdict v = load("unksm2");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.method(), Method::Register);
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.scheme, UriScheme::Other);  // registrar: 400, not a SIP AOR
  EXPECT_EQ(to.uri.scheme_name, "isbn");
  EXPECT_EQ(to.uri.opaque, "2983792873");
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.uri.scheme, UriScheme::Other);
  EXPECT_EQ(from.uri.scheme_name, "http");
  EXPECT_EQ(from.uri.opaque, "//www.example.com");
  EXPECT_EQ(from.tag(), "3234233");
  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  EXPECT_EQ(contacts[0].address.uri.scheme_name, "name");
  EXPECT_EQ(contacts[0].address.uri.opaque, "John_Smith");
}

// §3.3.5 bext01: Require and Proxy-Require list extensions nobody supports.
// A UAS answers 420 Bad Extension with Unsupported listing the Require tags
// (and ignores Proxy-Require, RFC 3261 §8.2.2.3): the UAS core's decision.
TEST(Rfc4475, UnknownRequiredExtensionsAreAcceptedForTheUasCoreToAnswer420) {
  const Verdict v = load("bext01");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_TRUE(m.has_option_tag(HeaderId::Require, "nothingSupportsThis"));  // UAS core: 420
  EXPECT_TRUE(m.has_option_tag(HeaderId::Require, "nothingSupportsThisEither"));
  EXPECT_TRUE(m.has_option_tag(HeaderId::Require, "NOTHINGSUPPORTSTHIS"));
  EXPECT_FALSE(m.has_option_tag(HeaderId::Require, "noProxiesSupportThis"));
  EXPECT_EQ(m.values(HeaderId::Require).size(), 2U);
  EXPECT_TRUE(m.has_option_tag(HeaderId::ProxyRequire, "noProxiesSupportThis"));
  EXPECT_TRUE(m.has_option_tag(HeaderId::ProxyRequire, "norDoAnyProxiesSupportThis"));
  ASSERT_PARSED(require, m.get_all<HeaderId::Require>());
  EXPECT_EQ(require, (std::vector<std::string_view>{"nothingSupportsThis", "nothingSupportsThisEither"}));
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.transport, "TLS");
  EXPECT_EQ(via.host, "fold-and-staple.example.com");
}

// §3.3.6 invut: a body of unknown type is well formed; a UA answers 415
// Unsupported Media Type (UAS core).
TEST(Rfc4475, UnknownBodyTypeIsAcceptedForTheUasCoreToAnswer415) {
  const Verdict v = load("invut");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(content_type, m.get<HeaderId::ContentType>());
  EXPECT_EQ(content_type.type, "application");  // UAS core: 415
  EXPECT_EQ(content_type.subtype, "unknownformat");
  EXPECT_EQ(m.body(), "<audio>\r\n <pcmu port=\"443\"/>\r\n</audio>\r\n");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(content_length, 40U);
}

// §3.3.7 regaut01: credentials in an unknown scheme are well formed; the
// registrar answers 401 with a challenge it supports (UAS core).
TEST(Rfc4475, UnknownAuthorizationSchemeIsAcceptedForTheRegistrarToAnswer401) {
  const Verdict v = load("regaut01");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(credentials, m.get<HeaderId::Authorization>());
  EXPECT_EQ(credentials.scheme, "NoOneKnowsThisScheme");  // registrar: 401
  EXPECT_FALSE(credentials.is_digest());
  EXPECT_EQ(credentials.param("opaque-data"), "here");
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.transport, "TCP");
  ASSERT_PARSED(content_length, m.get<HeaderId::ContentLength>());
  EXPECT_EQ(content_length, 0U);
}

// §3.3.8 multi01: two each of Call-ID, To, From, Max-Forwards and CSeq: 400.
TEST(Rfc4475, DuplicatedSingleValuedHeadersAreAnsweredWith400) {
  const Verdict v = load("multi01");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::DuplicateHeader));
  EXPECT_TRUE(answer_is_buildable(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.count(HeaderId::CallId), 2U);
  EXPECT_EQ(m.count(HeaderId::To), 2U);
  EXPECT_EQ(m.count(HeaderId::From), 2U);
  EXPECT_EQ(m.count(HeaderId::MaxForwards), 2U);
  EXPECT_EQ(m.count(HeaderId::CSeq), 2U);
}

// §3.3.9 mcl01: two different Content-Lengths leave no way to frame the
// body: 400 (and on a stream the connection could not be resynchronised).
TEST(Rfc4475, ConflictingContentLengthsAreAnsweredWith400) {
  const Verdict v = load("mcl01");
  ASSERT_TRUE(responds(v, 400, ParseErrorCode::MultipleContentLength));
  EXPECT_TRUE(answer_is_buildable(v));
}

// §3.3.10 bcast: a 200 whose second Via names 255.255.255.255 is well
// formed. A UAC core discards responses with more than one Via (RFC 3261
// §8.1.3.3) and never sends to the broadcast address; that is above this layer.
TEST(Rfc4475, ResponseWithABroadcastViaIsAcceptedForTheTransactionUser) {
  const Verdict v = load("bcast");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.status(), 200);
  EXPECT_EQ(m.reason(), "OK");
  ASSERT_PARSED(vias, m.get_all<HeaderId::Via>());
  ASSERT_EQ(vias.size(), 2U);  // UAC core: discard (§8.1.3.3)
  EXPECT_EQ(vias[0].host, "192.0.2.198");
  EXPECT_EQ(vias[1].host, "255.255.255.255");
  EXPECT_EQ(vias[1].host_kind, HostKind::IPv4);
  EXPECT_EQ(vias[1].branch(), "z9hG4bK1saber23");
  EXPECT_EQ(m.body().size(), 154U);
}

// §3.3.11 zeromf: Max-Forwards 0 is legal. An endpoint processes the request
// as usual; a proxy would answer 483 Too Many Hops. The UAS core decides.
TEST(Rfc4475, ZeroMaxForwardsIsAcceptedForTheUasCoreToDecide) {
  const Verdict v = load("zeromf");
  ASSERT_TRUE(accepted(v));
  ASSERT_PARSED(max_forwards, v.message->get<HeaderId::MaxForwards>());
  EXPECT_EQ(max_forwards, 0);  // proxy core: 483; UAS core: process normally
  EXPECT_EQ(v.message->method(), Method::Options);
}

// §3.3.12 cparam01: after a bare addr-spec, ";unknownparam" is a Contact
// parameter, not a URI parameter (RFC 3261 §20.10).
TEST(Rfc4475, ParameterAfterABareContactUriIsAContactParameter) {
  const Verdict v = load("cparam01");
  ASSERT_TRUE(accepted(v));
  ASSERT_PARSED(contacts, v.message->contacts());
  ASSERT_EQ(contacts.size(), 1U);
  const sip::NameAddr& contact = contacts[0].address;
  EXPECT_FALSE(contact.bracketed);
  EXPECT_EQ(contact.uri.user, "+19725552222");
  EXPECT_EQ(contact.uri.host, "gw1.example.net");
  EXPECT_TRUE(contact.uri.params.empty());
  ASSERT_EQ(contact.params.size(), 1U);
  EXPECT_EQ(contact.params[0].name, "unknownparam");
  EXPECT_FALSE(contact.params[0].has_value);
}

// §3.3.13 cparam02: inside <>, ";unknownparam" is a URI parameter.
TEST(Rfc4475, ParameterInsideAngleBracketsIsAUriParameter) {
  const Verdict v = load("cparam02");
  ASSERT_TRUE(accepted(v));
  ASSERT_PARSED(contacts, v.message->contacts());
  ASSERT_EQ(contacts.size(), 1U);
  const sip::NameAddr& contact = contacts[0].address;
  EXPECT_TRUE(contact.bracketed);
  EXPECT_EQ(contact.uri.user, "+19725552222");
  ASSERT_EQ(contact.uri.params.size(), 1U);
  EXPECT_EQ(contact.uri.params[0].name, "unknownparam");
  EXPECT_TRUE(contact.params.empty());
}

// §3.3.14 regescrt: an escaped header in a bracketed Contact URI is legal;
// registrars accept it.
TEST(Rfc4475, EscapedHeaderInABracketedContactUriIsAccepted) {
  const Verdict v = load("regescrt");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  EXPECT_EQ(m.name(m.fields()[6]), "M");
  ASSERT_PARSED(contacts, m.contacts());
  ASSERT_EQ(contacts.size(), 1U);
  const sip::Uri& uri = contacts[0].address.uri;
  EXPECT_EQ(uri.user, "user");
  EXPECT_EQ(uri.host, "example.com");
  EXPECT_EQ(uri.headers, "Route=%3Csip:sip.example.com%3E");
  EXPECT_EQ(sip::unescape(uri.headers), "Route=<sip:sip.example.com>");
  ASSERT_PARSED(from, m.from());
  EXPECT_EQ(from.tag(), "8");
}

// §3.3.15 sdp01: Accept offers only an unknown type for an INVITE with SDP.
// The UAS core answers 406 (or 400); the message itself is well formed.
TEST(Rfc4475, AcceptWithoutSdpIsAcceptedForTheUasCoreToAnswer406) {
  const Verdict v = load("sdp01");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(accept, m.get_all<HeaderId::Accept>());
  ASSERT_EQ(accept.size(), 1U);
  EXPECT_TRUE(accept[0].is("text", "nobodyKnowsThis"));  // UAS core: 406
  EXPECT_FALSE(accept[0].matches("application", "sdp"));
  ASSERT_PARSED(content_type, m.get<HeaderId::ContentType>());
  EXPECT_TRUE(content_type.is("application", "sdp"));
  EXPECT_EQ(m.body().size(), 150U);
}

// ---------------------------------------------------------------- §3.4 backward compatibility

// §3.4.1 inv2543: an RFC 2543 INVITE — no branch, no From tag, no
// Max-Forwards, no Content-Length (the body is the rest of the datagram) —
// is accepted. Over a stream, where Content-Length is mandatory (RFC 3261
// §18.3), the same bytes are answered with 400.
TEST(Rfc4475, Rfc2543InviteWithoutBranchTagMaxForwardsOrLengthIsAccepted) {
  const Verdict v = load("inv2543");
  ASSERT_TRUE(accepted(v));
  const Message& m = *v.message;
  ASSERT_PARSED(via, m.top_via());
  EXPECT_EQ(via.host, "iftgw.example.com");
  EXPECT_FALSE(via.branch());
  EXPECT_FALSE(via.has_rfc3261_branch());
  ASSERT_PARSED(from, m.from());
  EXPECT_FALSE(from.tag());
  EXPECT_EQ(from.uri.user, "+13035551111");
  EXPECT_EQ(from.uri.params.get("user"), "phone");  // inside <>: a URI parameter
  ASSERT_PARSED(to, m.to());
  EXPECT_EQ(to.uri.user, "+16505552222");
  EXPECT_TRUE(to.uri.params.empty());
  EXPECT_EQ(to.params.get("user"), "phone");  // bare addr-spec: a header parameter (§20.10)
  ASSERT_PARSED(record_route, m.get<HeaderId::RecordRoute>());
  EXPECT_EQ(record_route.uri.maddr(), "ss1.example.com");
  EXPECT_FALSE(m.has(HeaderId::MaxForwards));
  EXPECT_FALSE(m.has(HeaderId::ContentLength));
  EXPECT_EQ(m.body(),
            "v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
            "m=audio 49217 RTP/AVP 0\r\n");

  const Verdict over_tcp = classify_file("rfc4475", "inv2543", sip::Framing::Stream);
  EXPECT_TRUE(responds(over_tcp, 400, ParseErrorCode::MissingContentLength));
}

}  // namespace
}  // namespace voxgate::conformance
