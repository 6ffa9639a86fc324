#include "sip/message/name_addr.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

NameAddr name_addr_ok(std::string_view text, AddressForm form = AddressForm::Any) {
  auto parsed = parse_name_addr(text, form);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : NameAddr{};
}

void expect_name_addr_rejected(std::string_view text, AddressForm form = AddressForm::Any) {
  auto parsed = parse_name_addr(text, form);
  EXPECT_FALSE(parsed.has_value()) << text << " was accepted";
  if (!parsed) {
    EXPECT_FALSE(parsed.error().reason.empty());
  }
}

ContactValue contact_ok(std::string_view text) {
  auto parsed = parse_contact(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : ContactValue{};
}

// ---- display names ----

TEST(NameAddr, ParsesQuotedDisplayNameUriAndTag) {
  const NameAddr a = name_addr_ok("\"Alice Smith\" <sip:alice@atlanta.com>;tag=1928301774");
  EXPECT_EQ(a.display_name, "Alice Smith");
  EXPECT_TRUE(a.display_name_quoted);
  EXPECT_TRUE(a.bracketed);
  EXPECT_EQ(a.uri.scheme, UriScheme::Sip);
  EXPECT_EQ(a.uri.user, "alice");
  EXPECT_EQ(a.uri.host, "atlanta.com");
  EXPECT_EQ(a.tag(), "1928301774");
  EXPECT_EQ(a.display_name_text(), "Alice Smith");
}

TEST(NameAddr, ResolvesQuotedPairsInDisplayNameText) {
  const NameAddr a = name_addr_ok(R"("A \"quoted\" \\ name\, ok" <sip:a@atlanta.com>)");
  EXPECT_EQ(a.display_name, R"(A \"quoted\" \\ name\, ok)");  // as written
  EXPECT_EQ(a.display_name_text(), R"(A "quoted" \ name, ok)");
}

TEST(NameAddr, AcceptsQuotedDisplayNameWithoutSpaceBeforeBracket) {
  const NameAddr a = name_addr_ok("\"Bob\"<sip:bob@biloxi.com>");
  EXPECT_EQ(a.display_name, "Bob");
  EXPECT_TRUE(a.bracketed);
}

TEST(NameAddr, AcceptsEmptyQuotedDisplayName) {
  const NameAddr a = name_addr_ok("\"\" <sip:bob@biloxi.com>");
  EXPECT_TRUE(a.display_name.empty());
  EXPECT_TRUE(a.display_name_quoted);
  EXPECT_EQ(a.display_name_text(), "");
}

TEST(NameAddr, KeepsSpecialCharactersAndUtf8InQuotedDisplayName) {
  const NameAddr a = name_addr_ok("\"J\xc3\xb6rg <x>, ;? @\" <sip:j@example.com>");
  EXPECT_EQ(a.display_name, "J\xc3\xb6rg <x>, ;? @");
  EXPECT_EQ(a.uri.user, "j");
}

TEST(NameAddr, ParsesTokenDisplayNameWithLwsBeforeBracket) {
  const NameAddr a = name_addr_ok("Bob <sip:bob@biloxi.com>;tag=a6c85cf");
  EXPECT_EQ(a.display_name, "Bob");
  EXPECT_FALSE(a.display_name_quoted);
  EXPECT_TRUE(a.bracketed);
  EXPECT_EQ(a.display_name_text(), "Bob");
  EXPECT_EQ(a.tag(), "a6c85cf");
}

TEST(NameAddr, ParsesTokenDisplayNameWithoutLwsBeforeBracket) {
  const NameAddr a = name_addr_ok("Bob<sip:bob@biloxi.com>");
  EXPECT_EQ(a.display_name, "Bob");
  EXPECT_TRUE(a.bracketed);
  EXPECT_EQ(a.uri.host, "biloxi.com");
}

TEST(NameAddr, ParsesMultiWordTokenDisplayName) {
  const NameAddr a = name_addr_ok("  Lee M. Foote   <sip:lee.foote@example.com>");
  EXPECT_EQ(a.display_name, "Lee M. Foote");
  EXPECT_EQ(a.uri.user, "lee.foote");
  const NameAddr folded = name_addr_ok("Lee\r\n Foote\r\n <sip:lee@example.com>");
  EXPECT_EQ(folded.display_name, "Lee\r\n Foote");
}

TEST(NameAddr, ParsesBracketedUriWithoutDisplayName) {
  const NameAddr a = name_addr_ok("<sip:bob@biloxi.com>");
  EXPECT_TRUE(a.display_name.empty());
  EXPECT_FALSE(a.display_name_quoted);
  EXPECT_TRUE(a.bracketed);
  EXPECT_TRUE(a.params.empty());
}

// ---- addr-spec ----

TEST(NameAddr, ParametersAfterAddrSpecBelongToTheHeaderNotTheUri) {
  // §20.10: without <>, semicolon parameters are header parameters.
  const NameAddr a = name_addr_ok("sip:bob@biloxi.com;tag=a6c85cf;transport=tcp");
  EXPECT_FALSE(a.bracketed);
  EXPECT_TRUE(a.display_name.empty());
  EXPECT_EQ(a.uri.text, "sip:bob@biloxi.com");
  EXPECT_TRUE(a.uri.params.empty());
  EXPECT_FALSE(a.uri.transport().has_value());
  EXPECT_EQ(a.tag(), "a6c85cf");
  EXPECT_EQ(a.params.get("transport"), "tcp");
}

TEST(NameAddr, ParametersInsideBracketsBelongToTheUri) {
  const NameAddr a = name_addr_ok("<sip:bob@biloxi.com;transport=tcp;lr>;tag=x1");
  EXPECT_EQ(a.uri.transport(), "tcp");
  EXPECT_TRUE(a.uri.loose_route());
  EXPECT_EQ(a.tag(), "x1");
  EXPECT_EQ(a.params.size(), 1u);
  EXPECT_FALSE(a.params.has("transport"));
}

TEST(NameAddr, AddrSpecEndsAtLwsBeforeParameters) {
  const NameAddr a = name_addr_ok("  sip:bob@biloxi.com ; tag = 88sja8x  ");
  EXPECT_EQ(a.uri.text, "sip:bob@biloxi.com");
  EXPECT_EQ(a.tag(), "88sja8x");
}

TEST(NameAddr, AcceptsOtherUriSchemes) {
  EXPECT_EQ(name_addr_ok("<tel:+12015550123>;tag=1").uri.scheme, UriScheme::Tel);
  EXPECT_EQ(name_addr_ok("tel:+12015550123;tag=1").uri.user, "+12015550123");
  EXPECT_EQ(name_addr_ok("<urn:service:sos>").uri.scheme, UriScheme::Other);
  EXPECT_EQ(name_addr_ok("\"Anonymous\" <sips:anonymous@anonymous.invalid>").uri.scheme, UriScheme::Sips);
}

TEST(NameAddr, KeepsQuotedAndValuelessHeaderParameters) {
  const NameAddr a = name_addr_ok(
      "<sip:alice@192.0.2.1>;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\";reg-id=1;ob");
  EXPECT_EQ(a.params.get("+sip.instance"), "<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>");
  EXPECT_TRUE(a.params.find("+sip.instance")->quoted);
  EXPECT_EQ(a.params.get("reg-id"), "1");
  EXPECT_TRUE(a.params.has("ob"));
  EXPECT_FALSE(a.params.find("ob")->has_value);
  EXPECT_FALSE(a.tag().has_value());
}

TEST(NameAddr, KeepsUriHeadersInsideBrackets) {
  const NameAddr a = name_addr_ok("<sip:bob@biloxi.com?Replaces=abc%40x%3Bto-tag%3D1>");
  EXPECT_EQ(a.uri.headers, "Replaces=abc%40x%3Bto-tag%3D1");
}

TEST(NameAddr, RejectsUriWithHeadersOutsideBrackets) {
  // §20.10: a URI with a '?' must be enclosed in <>.
  expect_name_addr_rejected("sip:bob@biloxi.com?subject=hello");
  expect_name_addr_rejected("sip:bob@biloxi.com?subject=hello;tag=1");
}

TEST(NameAddr, RejectsAddrSpecWithCommaOrQuestionMarkOutsideBrackets) {
  // §20.10: "the name-addr form MUST be used if the addr-spec contains a
  // comma, semicolon, or question mark".
  expect_name_addr_rejected("sip:a,b@biloxi.com");
  expect_name_addr_rejected("sip:a?b@biloxi.com;tag=1");
  EXPECT_EQ(name_addr_ok("<sip:a,b@biloxi.com>").uri.user, "a,b");
  EXPECT_EQ(name_addr_ok("<sip:a?b@biloxi.com>").uri.user, "a?b");
  EXPECT_EQ(name_addr_ok("<sip:a;b@biloxi.com>").uri.user, "a;b");
}

TEST(NameAddr, RejectsWhitespaceInsideBrackets) {
  // RFC 4475 §3.1.2.14 (badaspec).
  expect_name_addr_rejected("< sip:bob@biloxi.com>");
  expect_name_addr_rejected("<sip:bob@biloxi.com >");
  expect_name_addr_rejected("<sip:bob @biloxi.com>");
  expect_name_addr_rejected("\"Bob\" <\tsip:bob@biloxi.com>");
  expect_name_addr_rejected("<sip:bob@biloxi.com\r\n >");
}

TEST(NameAddr, RejectsMalformedAddresses) {
  expect_name_addr_rejected("");
  expect_name_addr_rejected("   ");
  expect_name_addr_rejected("<>");
  expect_name_addr_rejected("<sip:bob@biloxi.com");
  expect_name_addr_rejected("\"Bob <sip:bob@biloxi.com>");
  expect_name_addr_rejected("\"Bob\" sip:bob@biloxi.com");
  expect_name_addr_rejected("\"Bob\"");
  expect_name_addr_rejected("Bob");
  expect_name_addr_rejected("Bob sip:bob@biloxi.com");
  expect_name_addr_rejected("<sip:bob@biloxi.com> junk");
  expect_name_addr_rejected("<sip:bob@biloxi.com>>");
  expect_name_addr_rejected("<sip:bob@biloxi.com>;");
  expect_name_addr_rejected("<sip:bob@biloxi.com>;tag=");
  expect_name_addr_rejected("<sip:bob@biloxi.com>;tag=\"open");
  expect_name_addr_rejected("<bob@biloxi.com>");
  expect_name_addr_rejected("<sip:bob@biloxi.com:99999>");
  expect_name_addr_rejected("B\"ob\" <sip:bob@biloxi.com>");
}

TEST(NameAddr, NameAddrOnlyFormRequiresBrackets) {
  // §25.1: route-param = name-addr; Route/Record-Route/Path need <>.
  expect_name_addr_rejected("sip:p1.example.com;lr", AddressForm::NameAddrOnly);
  expect_name_addr_rejected("sip:p1.example.com", AddressForm::NameAddrOnly);
  const NameAddr route = name_addr_ok("<sip:p1.example.com;lr>", AddressForm::NameAddrOnly);
  EXPECT_TRUE(route.uri.loose_route());
  const NameAddr named = name_addr_ok("\"Proxy\" <sip:p2.example.com;lr>;x=y", AddressForm::NameAddrOnly);
  EXPECT_EQ(named.display_name_text(), "Proxy");
  EXPECT_EQ(named.params.get("x"), "y");
  // The same text is fine where addr-spec is allowed.
  EXPECT_EQ(name_addr_ok("sip:p1.example.com;lr").params.size(), 1u);
}

// ---- Contact ----

TEST(Contact, ParsesStar) {
  EXPECT_TRUE(contact_ok("*").star);
  EXPECT_TRUE(contact_ok("  *\t").star);
  EXPECT_FALSE(contact_ok("<sip:a@example.com>").star);
}

TEST(Contact, RejectsStarWithParametersOrOtherText) {
  EXPECT_FALSE(parse_contact("*;expires=0").has_value());
  EXPECT_FALSE(parse_contact("**").has_value());
  EXPECT_FALSE(parse_contact("").has_value());
}

TEST(Contact, ParsesQAndExpires) {
  const ContactValue c = contact_ok("\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7;expires=3600");
  EXPECT_FALSE(c.star);
  EXPECT_EQ(c.address.display_name_text(), "Mr. Watson");
  EXPECT_EQ(c.address.uri.host, "worcester.bell-telephone.com");
  EXPECT_EQ(c.q(), 700);
  EXPECT_EQ(c.expires(), "3600");
}

TEST(Contact, ReadsQvaluesAsThousandths) {
  const auto q = [](std::string_view value) {
    const std::string text = "<sip:a@example.com>;q=" + std::string(value);
    auto parsed = parse_contact(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed ? parsed->q() : std::nullopt;
  };
  EXPECT_EQ(q("0"), 0);
  EXPECT_EQ(q("0."), 0);
  EXPECT_EQ(q("0.5"), 500);
  EXPECT_EQ(q("0.05"), 50);
  EXPECT_EQ(q("0.123"), 123);
  EXPECT_EQ(q("0.999"), 999);
  EXPECT_EQ(q("1"), 1000);
  EXPECT_EQ(q("1.0"), 1000);
  EXPECT_EQ(q("1.000"), 1000);
  EXPECT_EQ(q("0.1234"), std::nullopt);
  EXPECT_EQ(q("1.5"), std::nullopt);
  EXPECT_EQ(q("1.001"), std::nullopt);
  EXPECT_EQ(q("2"), std::nullopt);
  EXPECT_EQ(q("0.a"), std::nullopt);
  EXPECT_FALSE(contact_ok("<sip:a@example.com>").q().has_value());
  EXPECT_FALSE(contact_ok("<sip:a@example.com>;q").q().has_value());
}

TEST(Contact, AcceptsExpiresUpTo2To32Minus1) {
  EXPECT_EQ(contact_ok("<sip:a@example.com>;expires=0").expires(), "0");
  EXPECT_EQ(contact_ok("<sip:a@example.com>;expires=4294967295").expires(), "4294967295");
  EXPECT_FALSE(contact_ok("<sip:a@example.com>").expires().has_value());
}

TEST(Contact, RejectsExpiresOverflowingDeltaSeconds) {
  // RFC 4475 §3.1.2.4 (scalar02) has a Contact expires above 2^32-1.
  EXPECT_FALSE(parse_contact("<sip:a@example.com>;expires=4294967296").has_value());
  EXPECT_FALSE(parse_contact("<sip:a@example.com>;expires=280297596632815").has_value());
  EXPECT_FALSE(parse_contact("<sip:a@example.com>;expires=soon").has_value());
}

TEST(Contact, AcceptsAddrSpecWithParameters) {
  const ContactValue c = contact_ok("sip:caller@u1.example.com;expires=60");
  EXPECT_FALSE(c.address.bracketed);
  EXPECT_EQ(c.address.uri.host, "u1.example.com");
  EXPECT_EQ(c.expires(), "60");
}

TEST(Contact, RejectsMalformedAddress) {
  EXPECT_FALSE(parse_contact("<sip:a@example.com").has_value());
  EXPECT_FALSE(parse_contact("sip:a@example.com?x=y").has_value());
}

}  // namespace
}  // namespace voxgate::sip
