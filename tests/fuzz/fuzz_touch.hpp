#pragma once
// Shared by the fuzz targets: FUZZ_CHECK, and touch() overloads that read
// every field of every typed header value (so ASan sees any view that points
// outside its message) and call every accessor the value types offer.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sip/message/header_traits.hpp"
#include "sip/message/message.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip::fuzz {

inline void touch(std::string_view s) {
  std::uint64_t h = s.size();
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  voxgate::fuzz::sink(h);
}

inline void touch(const std::string& s) {
  touch(std::string_view(s));
}

inline void touch(std::uint64_t v) {
  voxgate::fuzz::sink(v);
}
inline void touch(std::uint32_t v) {
  voxgate::fuzz::sink(v);
}
inline void touch(std::uint16_t v) {
  voxgate::fuzz::sink(v);
}
inline void touch(std::uint8_t v) {
  voxgate::fuzz::sink(v);
}
inline void touch(int v) {
  voxgate::fuzz::sink(static_cast<std::uint64_t>(v));
}
inline void touch(bool v) {
  voxgate::fuzz::sink((v ? 1U : 0U));
}

template <class T>
void touch(const std::optional<T>& v) {
  if (v) touch(*v);
}

inline void touch(const Params& params) {
  for (const Param& p : params) {
    touch(p.name);
    touch(p.value);
    FUZZ_CHECK(p.has_value || p.value.empty());
    // Lookup by the parameter's own name finds a parameter of that name.
    const Param* found = params.find(p.name);
    FUZZ_CHECK(found != nullptr);
    touch(params.get(p.name));
  }
  touch(params.has("tag"));
}

inline void touch(const Uri& uri) {
  touch(uri.text);
  touch(uri.scheme_name);
  touch(uri.user);
  touch(uri.password);
  touch(uri.host);
  touch(uri.headers);
  touch(uri.opaque);
  touch(uri.params);
  touch(uri.host_address());
  touch(uri.transport());
  touch(uri.maddr());
  touch(uri.loose_route());
  touch(unescape(uri.user));
  touch(unescape(uri.password));
  touch(unescape(uri.headers));
  FUZZ_CHECK(uri.has_password || uri.password.empty());
  FUZZ_CHECK(uri.is_sip() || uri.headers.empty());
  FUZZ_CHECK(classify_host(uri.host) == uri.host_kind);
  FUZZ_CHECK(uri_equivalent(uri, uri));
}

inline void touch(const NameAddr& a) {
  touch(a.display_name);
  touch(a.display_name_text());
  touch(a.uri);
  touch(a.params);
  touch(a.tag());
}

inline void touch(const ContactValue& c) {
  touch(c.star);
  if (c.star) return;
  touch(c.address);
  touch(c.expires());
  const auto q = c.q();
  if (q) FUZZ_CHECK(*q >= 0 && *q <= 1000);
}

inline void touch(const Via& v) {
  touch(v.protocol_name);
  touch(v.protocol_version);
  touch(v.transport);
  touch(v.host);
  touch(v.params);
  touch(v.branch());
  touch(v.received());
  touch(v.maddr());
  touch(v.has_rport());
  touch(v.rport());
  touch(v.ttl());
  touch(v.has_rfc3261_branch());
  FUZZ_CHECK(v.host_kind != HostKind::None);
  FUZZ_CHECK(classify_host(v.host) == v.host_kind);
}

inline void touch(const CSeq& c) {
  touch(c.sequence);
  touch(c.method_text);
  FUZZ_CHECK(c.method == method_from_token(c.method_text));
}

inline void touch(const RAck& r) {
  touch(r.rseq);
  touch(r.cseq);
}

inline void touch(const Replaces& r) {
  touch(r.call_id);
  touch(r.to_tag);
  touch(r.from_tag);
  touch(r.early_only);
  touch(r.params);
}

inline void touch(const Event& e) {
  touch(e.package);
  touch(e.params);
  touch(e.id());
}

inline void touch(const SubscriptionState& s) {
  touch(s.status_text);
  touch(s.params);
  touch(s.reason());
  touch(s.expires());
  touch(s.retry_after());
}

inline void touch(const Reason& r) {
  touch(r.protocol);
  touch(r.cause);
  touch(r.params);
  touch(r.text());
}

inline void touch(const Warning& w) {
  touch(w.code);
  touch(w.agent);
  touch(w.text);
}

inline void touch(const AuthValue& a) {
  touch(a.scheme);
  touch(a.params);
  touch(a.token68);
  touch(a.is_digest());
  touch(a.param("realm"));
  touch(a.param("nonce"));
  for (const Param& p : a.params) touch(a.param(p.name));
}

inline void touch(const ProductList& list) {
  for (const ProductToken& p : list) {
    touch(p.name);
    touch(p.version);
    touch(p.comment);
  }
}

inline void touch(const RetryAfter& r) {
  touch(r.delay);
  touch(r.comment);
  touch(r.duration);
  touch(r.params);
}

inline void touch(const SipDate& d) {
  // What we write, we read back as the same instant.
  const std::string text = format_sip_date(d);
  touch(text);
  const auto again = parse_sip_date(text);
  FUZZ_CHECK(again && *again == d);
}

inline void touch(const MediaType& m) {
  touch(m.type);
  touch(m.subtype);
  touch(m.params);
  touch(m.matches("application", "sdp"));
  FUZZ_CHECK(m.is(m.type, m.subtype));
  FUZZ_CHECK(m.matches(m.type, m.subtype));
}

inline void touch(const SessionExpires& s) {
  touch(s.interval);
  touch(s.refresher.has_value());
  touch(s.params);
}

inline void touch(const MinSE& m) {
  touch(m.interval);
  touch(m.params);
}

}  // namespace voxgate::sip::fuzz
