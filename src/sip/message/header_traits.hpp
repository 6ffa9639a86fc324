#pragma once
// Which typed value each known header carries and how it is parsed. Message's
// typed accessors (get<HeaderId::Via>() ...) are generated from this table, so
// adding a typed header is one specialisation here.

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>

#include "sip/message/auth_headers.hpp"
#include "sip/message/cseq.hpp"
#include "sip/message/dialog_headers.hpp"
#include "sip/message/header_id.hpp"
#include "sip/message/media_type.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/product.hpp"
#include "sip/message/reason.hpp"
#include "sip/message/retry_after.hpp"
#include "sip/message/scalar_headers.hpp"
#include "sip/message/session_timer_headers.hpp"
#include "sip/message/sip_date.hpp"
#include "sip/message/via.hpp"

namespace voxgate::sip {

template <HeaderId Id>
struct HeaderTraits;  // undefined: the header has no typed value (use the raw text)

// A header whose value is parsed by `Fn` and returned by value (small values).
template <class T, Parsed<T> (*Fn)(std::string_view)>
struct TypedHeader {
  using Value = T;
  static Parsed<T> parse(std::string_view text) { return Fn(text); }
  static Parsed<void> parse_into(std::string_view text, T& out) {
    auto parsed = Fn(text);
    if (!parsed) return tl::unexpected(std::move(parsed.error()));
    out = std::move(*parsed);
    return {};
  }
};

// A header whose value `Into` parses in place into the caller's storage:
// for the large values (addresses, Via), which are then never moved.
template <class T, Parsed<void> (*Into)(std::string_view, T&)>
struct InPlaceHeader {
  using Value = T;
  static Parsed<T> parse(std::string_view text) {
    return parse_in_place<T>([text](T& out) { return Into(text, out); });
  }
  static Parsed<void> parse_into(std::string_view text, T& out) { return Into(text, out); }
};

namespace header_parsers {
inline Parsed<void> address(std::string_view v, NameAddr& out) {
  return parse_name_addr_into(v, AddressForm::Any, out);
}
inline Parsed<void> route(std::string_view v, NameAddr& out) {
  return parse_name_addr_into(v, AddressForm::NameAddrOnly, out);
}
inline Parsed<std::string_view> option_tag(std::string_view v) {
  return parse_token(v, "option tag");
}
inline Parsed<std::string_view> method_token(std::string_view v) {
  return parse_token(v, "method");
}
inline Parsed<std::string_view> event_type(std::string_view v) {
  return parse_token(v, "event type");
}
inline Parsed<std::uint32_t> expires(std::string_view v) {
  return parse_delta_seconds(v, "delta-seconds");
}
inline Parsed<std::uint32_t> content_length(std::string_view v) {
  return parse_bounded_uint(v, 0x7FFFFFFFU, "Content-Length");
}
inline Parsed<std::uint32_t> rseq(std::string_view v) {
  return parse_bounded_uint(v, 0xFFFFFFFFU, "RSeq");
}
}  // namespace header_parsers

// clang-format off
template <> struct HeaderTraits<HeaderId::Via> : InPlaceHeader<Via, parse_via_into> {};
template <> struct HeaderTraits<HeaderId::From> : InPlaceHeader<NameAddr, header_parsers::address> {};
template <> struct HeaderTraits<HeaderId::To> : InPlaceHeader<NameAddr, header_parsers::address> {};
template <> struct HeaderTraits<HeaderId::ReplyTo> : InPlaceHeader<NameAddr, header_parsers::address> {};
template <> struct HeaderTraits<HeaderId::ReferTo> : InPlaceHeader<NameAddr, header_parsers::address> {};
template <> struct HeaderTraits<HeaderId::ReferredBy> : InPlaceHeader<NameAddr, header_parsers::address> {};
template <> struct HeaderTraits<HeaderId::PAssertedIdentity> : InPlaceHeader<NameAddr, header_parsers::address> {};
template <> struct HeaderTraits<HeaderId::PPreferredIdentity> : InPlaceHeader<NameAddr, header_parsers::address> {};
template <> struct HeaderTraits<HeaderId::Route> : InPlaceHeader<NameAddr, header_parsers::route> {};
template <> struct HeaderTraits<HeaderId::RecordRoute> : InPlaceHeader<NameAddr, header_parsers::route> {};
template <> struct HeaderTraits<HeaderId::Path> : InPlaceHeader<NameAddr, header_parsers::route> {};
template <> struct HeaderTraits<HeaderId::ServiceRoute> : InPlaceHeader<NameAddr, header_parsers::route> {};
template <> struct HeaderTraits<HeaderId::Contact> : InPlaceHeader<ContactValue, parse_contact_into> {};
template <> struct HeaderTraits<HeaderId::CallId> : TypedHeader<std::string_view, parse_call_id> {};
template <> struct HeaderTraits<HeaderId::CSeq> : TypedHeader<CSeq, parse_cseq> {};
template <> struct HeaderTraits<HeaderId::RAck> : TypedHeader<RAck, parse_rack> {};
template <> struct HeaderTraits<HeaderId::RSeq> : TypedHeader<std::uint32_t, header_parsers::rseq> {};
template <> struct HeaderTraits<HeaderId::MaxForwards> : TypedHeader<std::uint8_t, parse_max_forwards> {};
template <> struct HeaderTraits<HeaderId::ContentLength> : TypedHeader<std::uint32_t, header_parsers::content_length> {};
template <> struct HeaderTraits<HeaderId::ContentType> : TypedHeader<MediaType, parse_media_type> {};
template <> struct HeaderTraits<HeaderId::Accept> : TypedHeader<MediaType, parse_media_type> {};
template <> struct HeaderTraits<HeaderId::Expires> : TypedHeader<std::uint32_t, header_parsers::expires> {};
template <> struct HeaderTraits<HeaderId::MinExpires> : TypedHeader<std::uint32_t, header_parsers::expires> {};
template <> struct HeaderTraits<HeaderId::SessionExpires> : TypedHeader<SessionExpires, parse_session_expires> {};
template <> struct HeaderTraits<HeaderId::MinSE> : TypedHeader<MinSE, parse_min_se> {};
template <> struct HeaderTraits<HeaderId::Supported> : TypedHeader<std::string_view, header_parsers::option_tag> {};
template <> struct HeaderTraits<HeaderId::Require> : TypedHeader<std::string_view, header_parsers::option_tag> {};
template <> struct HeaderTraits<HeaderId::ProxyRequire> : TypedHeader<std::string_view, header_parsers::option_tag> {};
template <> struct HeaderTraits<HeaderId::Unsupported> : TypedHeader<std::string_view, header_parsers::option_tag> {};
template <> struct HeaderTraits<HeaderId::Allow> : TypedHeader<std::string_view, header_parsers::method_token> {};
template <> struct HeaderTraits<HeaderId::AllowEvents> : TypedHeader<std::string_view, header_parsers::event_type> {};
template <> struct HeaderTraits<HeaderId::Replaces> : TypedHeader<Replaces, parse_replaces> {};
template <> struct HeaderTraits<HeaderId::Event> : TypedHeader<Event, parse_event> {};
template <> struct HeaderTraits<HeaderId::SubscriptionState> : TypedHeader<SubscriptionState, parse_subscription_state> {};
template <> struct HeaderTraits<HeaderId::Reason> : TypedHeader<Reason, parse_reason> {};
template <> struct HeaderTraits<HeaderId::Warning> : TypedHeader<Warning, parse_warning> {};
template <> struct HeaderTraits<HeaderId::WwwAuthenticate> : TypedHeader<AuthValue, parse_auth_value> {};
template <> struct HeaderTraits<HeaderId::ProxyAuthenticate> : TypedHeader<AuthValue, parse_auth_value> {};
template <> struct HeaderTraits<HeaderId::Authorization> : TypedHeader<AuthValue, parse_auth_value> {};
template <> struct HeaderTraits<HeaderId::ProxyAuthorization> : TypedHeader<AuthValue, parse_auth_value> {};
template <> struct HeaderTraits<HeaderId::UserAgent> : TypedHeader<ProductList, parse_product_list> {};
template <> struct HeaderTraits<HeaderId::Server> : TypedHeader<ProductList, parse_product_list> {};
template <> struct HeaderTraits<HeaderId::RetryAfter> : TypedHeader<RetryAfter, parse_retry_after> {};
template <> struct HeaderTraits<HeaderId::Date> : TypedHeader<SipDate, parse_sip_date> {};
// clang-format on

template <HeaderId Id>
using HeaderValue = typename HeaderTraits<Id>::Value;

}  // namespace voxgate::sip
