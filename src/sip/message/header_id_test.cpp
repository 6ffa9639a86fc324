#include "sip/message/header_id.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "base/ascii.hpp"

namespace voxgate::sip {
namespace {

constexpr std::size_t kIdCount = static_cast<std::size_t>(HeaderId::Count_);

HeaderId id_at(std::size_t i) {
  return static_cast<HeaderId>(i);
}

TEST(HeaderId, MapsEveryCompactFormToItsHeader) {
  // RFC 3261 §7.3.3 and the IANA SIP header registry.
  const std::pair<char, HeaderId> expected[] = {
      {'a', HeaderId::AcceptContact},   {'b', HeaderId::ReferredBy},
      {'c', HeaderId::ContentType},     {'d', HeaderId::RequestDisposition},
      {'e', HeaderId::ContentEncoding}, {'f', HeaderId::From},
      {'i', HeaderId::CallId},          {'j', HeaderId::RejectContact},
      {'k', HeaderId::Supported},       {'l', HeaderId::ContentLength},
      {'m', HeaderId::Contact},         {'n', HeaderId::IdentityInfo},
      {'o', HeaderId::Event},           {'r', HeaderId::ReferTo},
      {'s', HeaderId::Subject},         {'t', HeaderId::To},
      {'u', HeaderId::AllowEvents},     {'v', HeaderId::Via},
      {'x', HeaderId::SessionExpires},  {'y', HeaderId::Identity},
  };
  for (const auto& [letter, id] : expected) {
    const char lower[2] = {letter, '\0'};
    const char upper[2] = {ascii::to_upper(letter), '\0'};
    EXPECT_EQ(header_id_from_name(lower), id) << letter;
    EXPECT_EQ(header_id_from_name(upper), id) << letter;
    EXPECT_EQ(compact_form(id), letter) << canonical_name(id);
  }
}

TEST(HeaderId, LettersWithoutCompactFormAreOther) {
  for (char c : std::string_view("ghpqwz")) {
    const char name[2] = {c, '\0'};
    EXPECT_EQ(header_id_from_name(name), HeaderId::Other) << c;
  }
  EXPECT_EQ(header_id_from_name("1"), HeaderId::Other);
  EXPECT_EQ(header_id_from_name("-"), HeaderId::Other);
}

TEST(HeaderId, HeadersWithoutCompactFormReportNul) {
  EXPECT_EQ(compact_form(HeaderId::CSeq), '\0');
  EXPECT_EQ(compact_form(HeaderId::MaxForwards), '\0');
  EXPECT_EQ(compact_form(HeaderId::Route), '\0');
  EXPECT_EQ(compact_form(HeaderId::Other), '\0');
}

TEST(HeaderId, EveryCanonicalNameMapsBackToItsId) {
  std::set<std::string> seen;
  for (std::size_t i = 1; i < kIdCount; ++i) {
    const std::string_view name = canonical_name(id_at(i));
    ASSERT_FALSE(name.empty()) << i;
    EXPECT_TRUE(seen.insert(ascii::to_lower(name)).second) << "duplicate name " << name;
    EXPECT_EQ(header_id_from_name(name), id_at(i)) << name;
  }
}

TEST(HeaderId, NamesAreCaseInsensitive) {
  for (std::size_t i = 1; i < kIdCount; ++i) {
    const std::string_view name = canonical_name(id_at(i));
    std::string upper(name);
    for (char& c : upper) c = ascii::to_upper(c);
    std::string alternating(name);
    for (std::size_t k = 0; k < alternating.size(); ++k) {
      alternating[k] = k % 2 == 0 ? ascii::to_lower(alternating[k]) : ascii::to_upper(alternating[k]);
    }
    EXPECT_EQ(header_id_from_name(ascii::to_lower(name)), id_at(i)) << name;
    EXPECT_EQ(header_id_from_name(upper), id_at(i)) << name;
    EXPECT_EQ(header_id_from_name(alternating), id_at(i)) << name;
  }
  EXPECT_EQ(header_id_from_name("call-id"), HeaderId::CallId);
  EXPECT_EQ(header_id_from_name("CALL-ID"), HeaderId::CallId);
  EXPECT_EQ(header_id_from_name("cseq"), HeaderId::CSeq);
  EXPECT_EQ(header_id_from_name("www-authenticate"), HeaderId::WwwAuthenticate);
}

TEST(HeaderId, UnknownNamesAreOther) {
  for (std::string_view name : {"", "X-Custom", "P-Charging-Vector", "Call-IDs", "Call-I", "Vias", "ViaX", "Fro",
                                "Content-Length2", "Subject ", " To", "To:", "Call_ID", "Securiy-Client"}) {
    EXPECT_EQ(header_id_from_name(name), HeaderId::Other) << '"' << name << '"';
  }
}

TEST(HeaderId, CanonicalNamesUseRegisteredSpelling) {
  EXPECT_EQ(canonical_name(HeaderId::Other), "");
  EXPECT_EQ(canonical_name(HeaderId::CallId), "Call-ID");
  EXPECT_EQ(canonical_name(HeaderId::CSeq), "CSeq");
  EXPECT_EQ(canonical_name(HeaderId::WwwAuthenticate), "WWW-Authenticate");
  EXPECT_EQ(canonical_name(HeaderId::MimeVersion), "MIME-Version");
  EXPECT_EQ(canonical_name(HeaderId::MinSE), "Min-SE");
  EXPECT_EQ(canonical_name(HeaderId::RAck), "RAck");
  EXPECT_EQ(canonical_name(HeaderId::RSeq), "RSeq");
  EXPECT_EQ(canonical_name(HeaderId::PAssertedIdentity), "P-Asserted-Identity");
  EXPECT_EQ(canonical_name(HeaderId::ContentLength), "Content-Length");
  EXPECT_EQ(canonical_name(HeaderId::Via), "Via");
}

TEST(HeaderId, ListHeadersAreTheCommaSeparatedOnes) {
  for (HeaderId id : {HeaderId::Via,
                      HeaderId::Contact,
                      HeaderId::Route,
                      HeaderId::RecordRoute,
                      HeaderId::Path,
                      HeaderId::ServiceRoute,
                      HeaderId::Supported,
                      HeaderId::Require,
                      HeaderId::ProxyRequire,
                      HeaderId::Unsupported,
                      HeaderId::Allow,
                      HeaderId::AllowEvents,
                      HeaderId::Accept,
                      HeaderId::AcceptEncoding,
                      HeaderId::AcceptLanguage,
                      HeaderId::AlertInfo,
                      HeaderId::CallInfo,
                      HeaderId::ErrorInfo,
                      HeaderId::InReplyTo,
                      HeaderId::ContentEncoding,
                      HeaderId::ContentLanguage,
                      HeaderId::Warning,
                      HeaderId::Reason,
                      HeaderId::PAssertedIdentity,
                      HeaderId::AcceptContact,
                      HeaderId::RejectContact,
                      HeaderId::RequestDisposition}) {
    EXPECT_TRUE(is_list_header(id)) << canonical_name(id);
  }
}

TEST(HeaderId, SingleValuedHeadersAndThoseWithOwnCommasAreNotLists) {
  for (HeaderId id : {HeaderId::Other,
                      HeaderId::From,
                      HeaderId::To,
                      HeaderId::CallId,
                      HeaderId::CSeq,
                      HeaderId::MaxForwards,
                      HeaderId::ContentLength,
                      HeaderId::ContentType,
                      HeaderId::Expires,
                      HeaderId::Date,
                      HeaderId::Authorization,
                      HeaderId::ProxyAuthorization,
                      HeaderId::WwwAuthenticate,
                      HeaderId::ProxyAuthenticate,
                      HeaderId::AuthenticationInfo,
                      HeaderId::Subject,
                      HeaderId::UserAgent,
                      HeaderId::Server,
                      HeaderId::RetryAfter,
                      HeaderId::Timestamp,
                      HeaderId::ReferTo,
                      HeaderId::Replaces,
                      HeaderId::Event,
                      HeaderId::SubscriptionState,
                      HeaderId::SessionExpires,
                      HeaderId::MinSE,
                      HeaderId::RAck,
                      HeaderId::RSeq,
                      HeaderId::Organization,
                      HeaderId::Identity,
                      HeaderId::Privacy}) {
    EXPECT_FALSE(is_list_header(id)) << canonical_name(id);
  }
}

}  // namespace
}  // namespace voxgate::sip
