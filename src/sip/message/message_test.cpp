#include "sip/message/message.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message/parser.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::sip {
namespace {

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.com>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

using test::parse_ok;

// Checks every view a parsed kInvite exposes.
void expect_invite_views(const Message& m) {
  EXPECT_TRUE(m.is_request());
  EXPECT_EQ(m.method(), Method::Invite);
  EXPECT_EQ(m.method_text(), "INVITE");
  EXPECT_EQ(m.request_uri_text(), "sip:bob@biloxi.com");
  ASSERT_EQ(m.fields().size(), 9u);
  EXPECT_EQ(m.name(m.fields()[0]), "Via");
  EXPECT_EQ(m.value(m.fields()[0]), "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
  EXPECT_EQ(m.first_value(HeaderId::CallId), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(m.cseq()->sequence, 314159u);
  EXPECT_EQ(m.from()->tag(), "1928301774");
  EXPECT_EQ(m.top_via()->branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(m.body(), "v=0\n");
  EXPECT_EQ(m.serialize(), kInvite);
}

// ---- factories ----

TEST(Message, RefusesToSetAHeaderThatHasNoName) {
  Message m = Message::request("OPTIONS", "sip:a@b.example.com");
  EXPECT_THROW(m.set_header(HeaderId::Other, "x"), std::logic_error);
  EXPECT_THROW(m.insert_header(0, HeaderId::Other, "x"), std::logic_error);
  EXPECT_TRUE(m.fields().empty());
}

TEST(Message, RequestFactorySetsTheRequestLine) {
  const Message m = Message::request("OPTIONS", "sip:carol@chicago.com");
  EXPECT_TRUE(m.is_request());
  EXPECT_FALSE(m.is_response());
  EXPECT_EQ(m.method(), Method::Options);
  EXPECT_EQ(m.method_text(), "OPTIONS");
  EXPECT_EQ(m.request_uri_text(), "sip:carol@chicago.com");
  EXPECT_EQ(m.request_uri()->host, "chicago.com");
  EXPECT_TRUE(m.fields().empty());
  EXPECT_EQ(m.serialize(), "OPTIONS sip:carol@chicago.com SIP/2.0\r\n\r\n");
}

TEST(Message, RequestFactoryKeepsExtensionMethodText) {
  const Message m = Message::request("FOO", "sip:x.example.com");
  EXPECT_EQ(m.method(), Method::Extension);
  EXPECT_EQ(m.method_text(), "FOO");
}

TEST(Message, ResponseFactorySetsTheStatusLine) {
  const Message m = Message::response(180, "Ringing");
  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.status(), 180);
  EXPECT_EQ(m.reason(), "Ringing");
  EXPECT_EQ(m.serialize(), "SIP/2.0 180 Ringing\r\n\r\n");
}

// ---- lookup ----

TEST(Message, ExposesStartLineHeadersAndBody) {
  expect_invite_views(parse_ok(kInvite));
}

TEST(Message, RecognisesCompactHeaderNamesAndKeepsThemAsWritten) {
  const Message m = parse_ok(
      "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
      "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1\r\n"
      "t: <sip:bob@biloxi.com>\r\n"
      "f: <sip:alice@atlanta.com>;tag=1\r\n"
      "i: abc@pc33\r\n"
      "m: <sip:alice@pc33.atlanta.com>\r\n"
      "c: application/sdp\r\n"
      "k: 100rel\r\n"
      "s: hello\r\n"
      "o: refer;id=3\r\n"
      "l: 0\r\n"
      "\r\n");
  EXPECT_TRUE(m.has(HeaderId::Via));
  EXPECT_EQ(m.name(m.fields()[0]), "v");
  EXPECT_EQ(m.fields()[0].id, HeaderId::Via);
  EXPECT_EQ(m.call_id(), "abc@pc33");
  EXPECT_EQ(m.to()->uri.user, "bob");
  EXPECT_EQ(m.from()->tag(), "1");
  EXPECT_EQ(m.contacts()->size(), 1u);
  EXPECT_TRUE(m.get<HeaderId::ContentType>()->is("application", "sdp"));
  EXPECT_TRUE(m.has_option_tag(HeaderId::Supported, "100rel"));
  EXPECT_EQ(m.first_value(HeaderId::Subject), "hello");
  EXPECT_EQ(m.get<HeaderId::Event>()->id(), "3");
  EXPECT_EQ(m.get<HeaderId::ContentLength>(), 0u);
  // Lookup by either spelling finds compact fields too.
  EXPECT_EQ(m.first_value("Call-ID"), "abc@pc33");
  EXPECT_EQ(m.first_value("i"), "abc@pc33");
  EXPECT_EQ(m.first_value("I"), "abc@pc33");
}

TEST(Message, HeaderNamesAreCaseInsensitive) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "VIA: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
      "call-id: c1\r\n"
      "cSeQ: 1 OPTIONS\r\n"
      "x-CUSTOM: yes\r\n"
      "\r\n");
  EXPECT_EQ(m.fields()[0].id, HeaderId::Via);
  EXPECT_EQ(m.fields()[1].id, HeaderId::CallId);
  EXPECT_EQ(m.fields()[2].id, HeaderId::CSeq);
  EXPECT_EQ(m.fields()[3].id, HeaderId::Other);
  EXPECT_EQ(m.call_id(), "c1");
  EXPECT_EQ(m.first_value("CALL-ID"), "c1");
  EXPECT_EQ(m.first_value("X-Custom"), "yes");
  EXPECT_EQ(m.first_value("x-custom"), "yes");
  EXPECT_EQ(m.name(m.fields()[0]), "VIA");
}

TEST(Message, KeepsFoldedValuesVerbatimAndParsesThemTyped) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP\r\n"
      "  h.example.com\r\n"
      "\t;branch=z9hG4bK1\r\n"
      "From: \"Alice\"\r\n <sip:alice@atlanta.com>\r\n ;tag=9\r\n"
      "Subject: I know you're there,\r\n"
      "         pick up the phone\r\n"
      "         and talk to me!\r\n"
      "CSeq: 1\r\n OPTIONS\r\n"
      "\r\n");
  EXPECT_EQ(m.first_value(HeaderId::Via), "SIP/2.0/UDP\r\n  h.example.com\r\n\t;branch=z9hG4bK1");
  auto via = m.top_via();
  ASSERT_TRUE(via.has_value()) << via.error().reason;
  EXPECT_EQ(via->host, "h.example.com");
  EXPECT_EQ(via->branch(), "z9hG4bK1");
  auto from = m.from();
  ASSERT_TRUE(from.has_value()) << from.error().reason;
  EXPECT_EQ(from->display_name_text(), "Alice");
  EXPECT_EQ(from->tag(), "9");
  EXPECT_EQ(m.first_value(HeaderId::Subject),
            "I know you're there,\r\n         pick up the phone\r\n         and talk to me!");
  EXPECT_EQ(m.cseq()->method, Method::Options);
}

TEST(Message, SplitsListValuesAcrossCommasAndRepeatedFields) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1 , SIP/2.0/TCP b.example.com;branch=z9hG4bK2\r\n"
      "Subject: not a list\r\n"
      "v: SIP/2.0/TLS c.example.com;branch=z9hG4bK3\r\n"
      "\r\n");
  EXPECT_EQ(m.count(HeaderId::Via), 2u);
  const HeaderValues values = m.values(HeaderId::Via);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0], "SIP/2.0/UDP a.example.com;branch=z9hG4bK1");
  EXPECT_EQ(values[1], "SIP/2.0/TCP b.example.com;branch=z9hG4bK2");
  EXPECT_EQ(values[2], "SIP/2.0/TLS c.example.com;branch=z9hG4bK3");
  auto all = m.get_all<HeaderId::Via>();
  ASSERT_TRUE(all.has_value()) << all.error().reason;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].host, "a.example.com");
  EXPECT_EQ((*all)[1].transport, "TCP");
  EXPECT_EQ((*all)[2].host, "c.example.com");
  // The typed first value is the first element, not the whole field.
  EXPECT_EQ(m.top_via()->host, "a.example.com");
  EXPECT_EQ(m.first_value(HeaderId::Via),
            "SIP/2.0/UDP a.example.com;branch=z9hG4bK1 , SIP/2.0/TCP b.example.com;branch=z9hG4bK2");
}

TEST(Message, DoesNotSplitAtCommasInsideQuotesOrAngleBrackets) {
  const Message m = parse_ok(
      "REGISTER sip:registrar.example.com SIP/2.0\r\n"
      "Contact: \"Doe, John\" <sip:j,doe@example.com>;q=0.5, <sip:b@example.com>;x=\"1,2\"\r\n"
      "Contact: \"a\\\",b\" <sip:c@example.com>\r\n"
      "\r\n");
  const HeaderValues values = m.values(HeaderId::Contact);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0], "\"Doe, John\" <sip:j,doe@example.com>;q=0.5");
  EXPECT_EQ(values[1], "<sip:b@example.com>;x=\"1,2\"");
  EXPECT_EQ(values[2], "\"a\\\",b\" <sip:c@example.com>");
  auto contacts = m.contacts();
  ASSERT_TRUE(contacts.has_value()) << contacts.error().reason;
  ASSERT_EQ(contacts->size(), 3u);
  EXPECT_EQ((*contacts)[0].address.display_name_text(), "Doe, John");
  EXPECT_EQ((*contacts)[0].address.uri.user, "j,doe");
  EXPECT_EQ((*contacts)[0].q(), 500);
  EXPECT_EQ((*contacts)[1].address.params.get("x"), "1,2");
  EXPECT_EQ((*contacts)[2].address.display_name_text(), "a\",b");
}

TEST(Message, NonListHeadersKeepTheirCommas) {
  const Message m = parse_ok(
      "SIP/2.0 401 Unauthorized\r\n"
      "WWW-Authenticate: Digest realm=\"atlanta.com\", nonce=\"x\", qop=\"auth,auth-int\"\r\n"
      "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
      "Subject: a, b\r\n"
      "\r\n");
  EXPECT_EQ(m.values(HeaderId::Subject).size(), 1u);
  EXPECT_EQ(m.values(HeaderId::Subject)[0], "a, b");
  auto auth = m.get<HeaderId::WwwAuthenticate>();
  ASSERT_TRUE(auth.has_value()) << auth.error().reason;
  EXPECT_EQ(auth->param("qop"), "auth,auth-int");
  auto date = m.get<HeaderId::Date>();
  ASSERT_TRUE(date.has_value()) << date.error().reason;
  EXPECT_EQ(format_sip_date(*date), "Sat, 13 Nov 2010 23:29:00 GMT");
}

TEST(Message, EmptyListHeaderHasNoValues) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Supported:\r\n"
      "Require:   \r\n"
      "Proxy-Require: foo\r\n"
      "\r\n");
  EXPECT_TRUE(m.has(HeaderId::Supported));
  EXPECT_TRUE(m.values(HeaderId::Supported).empty());
  EXPECT_TRUE(m.values(HeaderId::Require).empty());
  auto supported = m.get_all<HeaderId::Supported>();
  ASSERT_TRUE(supported.has_value());
  EXPECT_TRUE(supported->empty());
  EXPECT_FALSE(m.has_option_tag(HeaderId::Supported, "timer"));
  EXPECT_TRUE(m.has_option_tag(HeaderId::ProxyRequire, "FOO"));
}

TEST(Message, OptionTagsCompareCaseInsensitivelyAcrossFields) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Supported: 100rel, Timer\r\n"
      "k: path,gruu\r\n"
      "Require: replaces\r\n"
      "\r\n");
  EXPECT_TRUE(m.has_option_tag(HeaderId::Supported, "100rel"));
  EXPECT_TRUE(m.has_option_tag(HeaderId::Supported, "timer"));
  EXPECT_TRUE(m.has_option_tag(HeaderId::Supported, "GRUU"));
  EXPECT_FALSE(m.has_option_tag(HeaderId::Supported, "replaces"));
  EXPECT_TRUE(m.has_option_tag(HeaderId::Require, "replaces"));
  EXPECT_FALSE(m.has_option_tag(HeaderId::Unsupported, "replaces"));
}

TEST(Message, PreservesUnknownHeadersByteExact) {
  const std::string_view text =
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "X-Custom-Header:   some  value ; with=\"odd, stuff\"\t \r\n"
      "P-Weird:\r\n"
      "NewFangledHeader:   newfangled value\r\n"
      " continued newfangled value\r\n"
      "UnknownHeaderWithUnusualValue: ;;,,;;,;\r\n"
      "\r\n";
  const Message m = parse_ok(text);
  EXPECT_EQ(m.first_value("X-Custom-Header"), "some  value ; with=\"odd, stuff\"");
  EXPECT_EQ(m.first_value("x-custom-header"), "some  value ; with=\"odd, stuff\"");
  EXPECT_EQ(m.first_value("P-Weird"), "");
  EXPECT_EQ(m.first_value("NewFangledHeader"), "newfangled value\r\n continued newfangled value");
  EXPECT_EQ(m.first_value("UnknownHeaderWithUnusualValue"), ";;,,;;,;");
  EXPECT_EQ(m.first_value("X-Absent"), std::nullopt);
  EXPECT_EQ(m.fields()[0].id, HeaderId::Other);
  EXPECT_EQ(m.name(m.fields()[0]), "X-Custom-Header");
  EXPECT_EQ(m.values(HeaderId::Other).size(), 4u);
  EXPECT_EQ(m.serialize(), text);
}

TEST(Message, FirstValueReturnsTheFirstOfRepeatedFields) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "X-A: one\r\n"
      "Subject: first\r\n"
      "x-a: two\r\n"
      "Subject: second\r\n"
      "\r\n");
  EXPECT_EQ(m.first_value("X-A"), "one");
  EXPECT_EQ(m.first_value(HeaderId::Subject), "first");
  EXPECT_EQ(m.count(HeaderId::Subject), 2u);
  EXPECT_EQ(m.count(HeaderId::Other), 2u);
  EXPECT_EQ(m.count(HeaderId::Via), 0u);
  EXPECT_FALSE(m.has(HeaderId::Via));
  EXPECT_EQ(m.first_value(HeaderId::Via), std::nullopt);
  EXPECT_TRUE(m.values(HeaderId::Via).empty());
}

// ---- typed access ----

TEST(Message, GetReportsMissingAndMalformedHeaders) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Max-Forwards: 300\r\n"
      "CSeq: 1 OPTIONS\r\n"
      "\r\n");
  auto missing = m.get<HeaderId::CallId>();
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().reason, "Missing Call-ID header");
  auto bad = m.get<HeaderId::MaxForwards>();
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().reason.rfind("Bad Max-Forwards header: ", 0), 0u) << bad.error().reason;
  EXPECT_EQ(m.get<HeaderId::CSeq>()->sequence, 1u);
}

TEST(Message, FindDistinguishesAbsentFromMalformed) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Expires: soon\r\n"
      "Min-Expires: 60\r\n"
      "\r\n");
  auto absent = m.find<HeaderId::SessionExpires>();
  ASSERT_TRUE(absent.has_value());
  EXPECT_FALSE(absent->has_value());
  auto present = m.find<HeaderId::MinExpires>();
  ASSERT_TRUE(present.has_value());
  EXPECT_EQ(**present, 60u);
  auto malformed = m.find<HeaderId::Expires>();
  ASSERT_FALSE(malformed.has_value());
  EXPECT_EQ(malformed.error().reason.rfind("Bad Expires header", 0), 0u) << malformed.error().reason;
}

TEST(Message, GetAllFailsWhenAnyElementIsMalformed) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com:99999\r\n"
      "Route: <sip:p1.example.com;lr>, sip:p2.example.com;lr\r\n"
      "\r\n");
  EXPECT_TRUE(m.top_via().has_value());
  EXPECT_FALSE(m.get_all<HeaderId::Via>().has_value());
  // Route requires <> (§25.1), so the second element is malformed.
  EXPECT_TRUE(m.get<HeaderId::Route>().has_value());
  EXPECT_FALSE(m.get_all<HeaderId::Route>().has_value());
}

TEST(Message, TypedListHeadersParseEveryElement) {
  const Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Accept: application/sdp;level=1, application/*;q=0.5,\r\n */*;q=0.1\r\n"
      "Allow: INVITE, ACK, OPTIONS\r\n"
      "Allow: BYE\r\n"
      "Reason: SIP;cause=200;text=\"Call completed, elsewhere\", Q.850;cause=16\r\n"
      "Warning: 301 isi.edu \"Incompatible, network\", 399 gw \"x\"\r\n"
      "User-Agent: voxgate/0.1 (test, build)\r\n"
      "\r\n");
  auto accept = m.get_all<HeaderId::Accept>();
  ASSERT_TRUE(accept.has_value()) << accept.error().reason;
  ASSERT_EQ(accept->size(), 3u);
  EXPECT_TRUE((*accept)[0].is("application", "sdp"));
  EXPECT_EQ((*accept)[0].params.get("level"), "1");
  EXPECT_TRUE((*accept)[1].matches("application", "pidf+xml"));
  EXPECT_FALSE((*accept)[1].matches("text", "plain"));
  EXPECT_TRUE((*accept)[2].matches("text", "plain"));
  EXPECT_EQ((*accept)[2].params.get("q"), "0.1");

  auto allow = m.get_all<HeaderId::Allow>();
  ASSERT_TRUE(allow.has_value());
  ASSERT_EQ(allow->size(), 4u);
  EXPECT_EQ((*allow)[3], "BYE");

  auto reasons = m.get_all<HeaderId::Reason>();
  ASSERT_TRUE(reasons.has_value()) << reasons.error().reason;
  ASSERT_EQ(reasons->size(), 2u);
  EXPECT_EQ((*reasons)[0].text(), "Call completed, elsewhere");
  EXPECT_EQ((*reasons)[1].cause, 16);

  auto warnings = m.get_all<HeaderId::Warning>();
  ASSERT_TRUE(warnings.has_value()) << warnings.error().reason;
  ASSERT_EQ(warnings->size(), 2u);
  EXPECT_EQ((*warnings)[0].text, "Incompatible, network");
  EXPECT_EQ((*warnings)[1].code, 399);

  auto agent = m.get<HeaderId::UserAgent>();
  ASSERT_TRUE(agent.has_value()) << agent.error().reason;
  ASSERT_EQ(agent->size(), 2u);
  EXPECT_EQ((*agent)[1].comment, "test, build");
}

TEST(Message, RequestUriParsesOnDemand) {
  const Message m = parse_ok(
      "INVITE sips:bob@[2001:db8::1]:5061;transport=tls SIP/2.0\r\n"
      "\r\n");
  auto uri = m.request_uri();
  ASSERT_TRUE(uri.has_value());
  EXPECT_EQ(uri->scheme, UriScheme::Sips);
  EXPECT_EQ(uri->host_address(), "2001:db8::1");
  EXPECT_EQ(uri->port, 5061);
}

// ---- editing ----

TEST(Message, AddHeaderAppendsWithCanonicalOrGivenName) {
  Message m = parse_ok(kInvite);
  m.add_header(HeaderId::Supported, "timer");
  m.add_header("X-Trace", "abc");
  m.add_header("k", "100rel");
  ASSERT_EQ(m.fields().size(), 12u);
  EXPECT_EQ(m.name(m.fields()[9]), "Supported");
  EXPECT_EQ(m.value(m.fields()[9]), "timer");
  EXPECT_EQ(m.fields()[10].id, HeaderId::Other);
  EXPECT_EQ(m.name(m.fields()[10]), "X-Trace");
  EXPECT_EQ(m.fields()[11].id, HeaderId::Supported);
  EXPECT_EQ(m.name(m.fields()[11]), "k");
  EXPECT_TRUE(m.has_option_tag(HeaderId::Supported, "100rel"));
  EXPECT_EQ(m.first_value("X-Trace"), "abc");
  // Spans parsed before the edits are still right.
  EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(m.body(), "v=0\n");
}

TEST(Message, InsertHeaderPutsTheFieldAtTheIndex) {
  Message m = parse_ok(kInvite);
  m.insert_header(0, HeaderId::Via, "SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnew");
  EXPECT_EQ(m.fields()[0].id, HeaderId::Via);
  EXPECT_EQ(m.top_via()->host, "proxy.example.com");
  EXPECT_EQ(m.values(HeaderId::Via).size(), 2u);
  EXPECT_EQ(m.values(HeaderId::Via)[1], "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
  m.insert_header(1000, HeaderId::Subject, "at the end");
  EXPECT_EQ(m.fields().back().id, HeaderId::Subject);
  m.insert_header(m.fields().size(), HeaderId::Organization, "last");
  EXPECT_EQ(m.fields().back().id, HeaderId::Organization);
}

TEST(Message, SetHeaderReplacesEveryFieldWhereTheFirstWas) {
  Message m = parse_ok(
      "OPTIONS sip:x.example.com SIP/2.0\r\n"
      "Supported: a\r\n"
      "Call-ID: c\r\n"
      "k: b\r\n"
      "Supported: c\r\n"
      "\r\n");
  m.set_header(HeaderId::Supported, "timer");
  ASSERT_EQ(m.fields().size(), 2u);
  EXPECT_EQ(m.fields()[0].id, HeaderId::Supported);
  EXPECT_EQ(m.value(m.fields()[0]), "timer");
  EXPECT_EQ(m.fields()[1].id, HeaderId::CallId);
  EXPECT_EQ(m.count(HeaderId::Supported), 1u);

  m.set_header(HeaderId::Expires, "60");  // absent: appended
  EXPECT_EQ(m.fields().back().id, HeaderId::Expires);
  EXPECT_EQ(m.get<HeaderId::Expires>(), 60u);
}

TEST(Message, RemoveHeadersAndRemoveField) {
  Message m = parse_ok(kInvite);
  m.add_header(HeaderId::Via, "SIP/2.0/UDP second.example.com");
  EXPECT_EQ(m.remove_headers(HeaderId::Via), 2u);
  EXPECT_FALSE(m.has(HeaderId::Via));
  EXPECT_EQ(m.remove_headers(HeaderId::Via), 0u);
  EXPECT_EQ(m.fields().size(), 8u);
  EXPECT_EQ(m.fields()[0].id, HeaderId::MaxForwards);
  m.remove_field(0);
  EXPECT_FALSE(m.has(HeaderId::MaxForwards));
  EXPECT_EQ(m.fields().size(), 7u);
  m.remove_field(100);  // out of range: nothing happens
  EXPECT_EQ(m.fields().size(), 7u);
  EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.com");
}

TEST(Message, SetFieldValueReplacesOneValue) {
  Message m = parse_ok(kInvite);
  m.set_field_value(1, "69");
  EXPECT_EQ(m.get<HeaderId::MaxForwards>(), 69);
  EXPECT_EQ(m.name(m.fields()[1]), "Max-Forwards");
  m.set_field_value(99, "ignored");
  EXPECT_EQ(m.fields().size(), 9u);
}

TEST(Message, SetRequestUriReplacesTheUri) {
  Message m = parse_ok(kInvite);
  m.set_request_uri("sip:bob@192.0.2.4:5062");
  EXPECT_EQ(m.request_uri_text(), "sip:bob@192.0.2.4:5062");
  EXPECT_EQ(m.request_uri()->port, 5062);
  EXPECT_EQ(m.serialize().rfind("INVITE sip:bob@192.0.2.4:5062 SIP/2.0\r\n", 0), 0u);
}

TEST(Message, SetBodyUpdatesContentLengthAndContentType) {
  Message m = parse_ok(kInvite);
  m.set_body("hello body", "text/plain");
  EXPECT_EQ(m.body(), "hello body");
  EXPECT_EQ(m.get<HeaderId::ContentLength>(), 10u);
  EXPECT_EQ(m.count(HeaderId::ContentLength), 1u);
  EXPECT_TRUE(m.get<HeaderId::ContentType>()->is("text", "plain"));
  EXPECT_EQ(m.count(HeaderId::ContentType), 1u);

  m.set_body("");  // no type: Content-Type left alone
  EXPECT_EQ(m.body(), "");
  EXPECT_EQ(m.get<HeaderId::ContentLength>(), 0u);
  EXPECT_TRUE(m.get<HeaderId::ContentType>()->is("text", "plain"));
}

TEST(Message, SetBodyAddsContentLengthWhenAbsent) {
  Message m = Message::request("MESSAGE", "sip:bob@biloxi.com");
  m.set_body("Watson, come here.", "text/plain");
  EXPECT_EQ(m.first_value(HeaderId::ContentLength), "18");
  EXPECT_EQ(m.first_value(HeaderId::ContentType), "text/plain");
  EXPECT_EQ(m.serialize(),
            "MESSAGE sip:bob@biloxi.com SIP/2.0\r\n"
            "Content-Length: 18\r\n"
            "Content-Type: text/plain\r\n"
            "\r\n"
            "Watson, come here.");
}

// ---- serialization ----

TEST(Message, PristineMessageSerializesToTheBytesParsed) {
  const std::string_view text =
      "SIP/2.0 200 OK\r\n"
      "v:   SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
      "Subject :folded\r\n\tvalue\r\n"
      "l: 2\r\n"
      "\r\n"
      "ok";
  EXPECT_EQ(parse_ok(text).serialize(), text);
}

TEST(Message, SerializeToAppends) {
  const Message m = Message::response(200, "OK");
  std::string out = "prefix|";
  m.serialize_to(out);
  EXPECT_EQ(out, "prefix|SIP/2.0 200 OK\r\n\r\n");
}

TEST(Message, EditedMessageSerializesFromItsFields) {
  Message m = parse_ok(
      "SIP/2.0 180 Ringing\r\n"
      "v:   SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
      "X-Drop: me\r\n"
      "Subject :folded\r\n\tvalue\r\n"
      "l: 0\r\n"
      "\r\n");
  m.remove_field(1);
  m.add_header(HeaderId::Organization, "Boxes by Bob");
  EXPECT_EQ(m.serialize(),
            "SIP/2.0 180 Ringing\r\n"
            "v: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
            "Subject: folded\r\n\tvalue\r\n"
            "l: 0\r\n"
            "Organization: Boxes by Bob\r\n"
            "\r\n");
  // The result parses back to the same content.
  auto again = parse_message(m.serialize());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->first_value(HeaderId::Organization), "Boxes by Bob");
  EXPECT_EQ(again->status(), 180);
}

TEST(Message, EditedRequestSerializesTheRequestLineAndBody) {
  Message m = parse_ok(kInvite);
  m.set_header(HeaderId::MaxForwards, "69");
  const std::string out = m.serialize();
  EXPECT_EQ(out,
            "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
            "Max-Forwards: 69\r\n"
            "To: Bob <sip:bob@biloxi.com>\r\n"
            "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
            "CSeq: 314159 INVITE\r\n"
            "Contact: <sip:alice@pc33.atlanta.com>\r\n"
            "Content-Type: application/sdp\r\n"
            "Content-Length: 4\r\n"
            "\r\n"
            "v=0\n");
}

TEST(Message, SerializesEveryStatusCodeWithThreeDigits) {
  EXPECT_EQ(Message::response(100, "Trying").serialize(), "SIP/2.0 100 Trying\r\n\r\n");
  EXPECT_EQ(Message::response(699, "").serialize(), "SIP/2.0 699 \r\n\r\n");
}

// ---- copies and moves ----

TEST(Message, CopyStaysValidAfterTheOriginalIsGone) {
  auto original = std::make_unique<Message>(parse_ok(kInvite));
  const Message copy = *original;
  original.reset();
  expect_invite_views(copy);
}

TEST(Message, MoveKeepsEveryView) {
  Message source = parse_ok(kInvite);
  const Message moved = std::move(source);
  expect_invite_views(moved);
}

TEST(Message, CopyAndMoveAssignmentKeepEveryView) {
  Message a = Message::response(500, "x");
  {
    const Message temp = parse_ok(kInvite);
    a = temp;
  }
  expect_invite_views(a);
  Message b = Message::request("BYE", "sip:x.example.com");
  b = parse_ok(kInvite);
  expect_invite_views(b);
}

TEST(Message, CopiesAreIndependent) {
  Message a = parse_ok(kInvite);
  Message b = a;
  b.set_header(HeaderId::CallId, "other@host");
  b.set_body("changed", "text/plain");
  EXPECT_EQ(a.call_id(), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(a.body(), "v=0\n");
  EXPECT_EQ(a.serialize(), kInvite);
  EXPECT_EQ(b.call_id(), "other@host");
  EXPECT_EQ(b.body(), "changed");
}

TEST(Message, EditedMessageCopiesAndMovesStayValid) {
  Message m = parse_ok(kInvite);
  m.add_header("X-Added", "value");
  m.set_request_uri("sip:new@example.com");
  m.set_body("new body");
  const std::string expected = m.serialize();
  std::vector<Message> many;
  // NOLINTNEXTLINE(performance-inefficient-vector-operation): growing is the point, moves happen
  for (int i = 0; i < 50; ++i) many.push_back(m);  // grows: every element moved repeatedly
  for (const Message& each : many) {
    EXPECT_EQ(each.serialize(), expected);
    EXPECT_EQ(each.first_value("X-Added"), "value");
    EXPECT_EQ(each.request_uri_text(), "sip:new@example.com");
    EXPECT_EQ(each.body(), "new body");
  }
}

TEST(Message, CopiesAndMovesWithMoreFieldsThanInlineStorage) {
  std::string text = "OPTIONS sip:x.example.com SIP/2.0\r\n";
  for (int i = 0; i < 40; ++i) text += "X-H" + std::to_string(i) + ": value " + std::to_string(i) + "\r\n";
  text += "\r\n";
  Message original = parse_ok(text);
  ASSERT_EQ(original.fields().size(), 40u);
  const Message copy = original;
  const Message moved = std::move(original);
  for (const Message* m : {&copy, &moved}) {
    ASSERT_EQ(m->fields().size(), 40u);
    EXPECT_EQ(m->first_value("X-H0"), "value 0");
    EXPECT_EQ(m->first_value("X-H39"), "value 39");
    EXPECT_EQ(m->serialize(), text);
  }
}

TEST(Message, SmallMessagesSurviveMovesInsideContainers) {
  // Short buffers live in std::string's inline storage, which moves by copy:
  // offsets must still be right after that.
  std::vector<Message> messages;
  // NOLINTNEXTLINE(performance-inefficient-vector-operation): growing is the point, moves happen
  for (int i = 0; i < 20; ++i) messages.push_back(parse_ok("ACK sip:a SIP/2.0\r\n\r\n"));
  for (const Message& m : messages) {
    EXPECT_EQ(m.method(), Method::Ack);
    EXPECT_EQ(m.request_uri_text(), "sip:a");
    EXPECT_EQ(m.serialize(), "ACK sip:a SIP/2.0\r\n\r\n");
  }
}

}  // namespace
}  // namespace voxgate::sip
