#pragma once
// The header fields voxgate knows by name. Each message header is classified
// once, when the message is parsed, into a HeaderId; everything else is
// HeaderId::Other and kept with its name as written.

#include <cstdint>
#include <string_view>

namespace voxgate::sip {

enum class HeaderId : std::uint8_t {
  Other,  // not in this list; look it up by name
  Accept,
  AcceptContact,
  AcceptEncoding,
  AcceptLanguage,
  AlertInfo,
  Allow,
  AllowEvents,
  AuthenticationInfo,
  Authorization,
  CallId,
  CallInfo,
  Contact,
  ContentDisposition,
  ContentEncoding,
  ContentLanguage,
  ContentLength,
  ContentType,
  CSeq,
  Date,
  ErrorInfo,
  Event,
  Expires,
  From,
  Identity,
  IdentityInfo,
  InReplyTo,
  MaxForwards,
  MimeVersion,
  MinExpires,
  MinSE,
  Organization,
  PAssertedIdentity,
  PPreferredIdentity,
  Path,
  Priority,
  Privacy,
  ProxyAuthenticate,
  ProxyAuthorization,
  ProxyRequire,
  RAck,
  Reason,
  RecordRoute,
  ReferSub,
  ReferTo,
  ReferredBy,
  RejectContact,
  Replaces,
  ReplyTo,
  RequestDisposition,
  Require,
  RetryAfter,
  Route,
  RSeq,
  Server,
  ServiceRoute,
  SessionExpires,
  Subject,
  SubscriptionState,
  Supported,
  Timestamp,
  To,
  Unsupported,
  UserAgent,
  Via,
  Warning,
  WwwAuthenticate,
  Count_,  // number of ids; not a header
};

// Classifies a header name as written: full or compact form, any case.
HeaderId header_id_from_name(std::string_view name) noexcept;
// The canonical full name ("Call-ID"); "" for Other.
std::string_view canonical_name(HeaderId id) noexcept;
// The compact form ('i' for Call-ID), or '\0' when there is none.
char compact_form(HeaderId id) noexcept;
// True when the header's grammar is a comma-separated list (§7.3.1), so
// several values may share one field and fields may be split or combined.
// Headers whose values contain commas of their own (Date, the auth headers)
// are not lists. constexpr, so that the typed accessors (Message::get<Id>)
// decide at compile time whether to split the value.
constexpr bool is_list_header(HeaderId id) noexcept {
  switch (id) {
    case HeaderId::Accept:
    case HeaderId::AcceptContact:
    case HeaderId::AcceptEncoding:
    case HeaderId::AcceptLanguage:
    case HeaderId::AlertInfo:
    case HeaderId::Allow:
    case HeaderId::AllowEvents:
    case HeaderId::CallInfo:
    case HeaderId::Contact:
    case HeaderId::ContentEncoding:
    case HeaderId::ContentLanguage:
    case HeaderId::ErrorInfo:
    case HeaderId::InReplyTo:
    case HeaderId::PAssertedIdentity:
    case HeaderId::PPreferredIdentity:
    case HeaderId::Path:
    case HeaderId::ProxyRequire:
    case HeaderId::Reason:
    case HeaderId::RecordRoute:
    case HeaderId::RejectContact:
    case HeaderId::RequestDisposition:
    case HeaderId::Require:
    case HeaderId::Route:
    case HeaderId::ServiceRoute:
    case HeaderId::Supported:
    case HeaderId::Unsupported:
    case HeaderId::Via:
    case HeaderId::Warning: return true;
    default: return false;
  }
}

}  // namespace voxgate::sip
