#include "sip/message/validate.hpp"

#include <fmt/format.h>

namespace voxgate::sip {

namespace {

// Headers that may appear once and hold one value (§20), whose duplicates
// make a request ambiguous (RFC 4475 §3.3.8 multi01).
constexpr HeaderId kSingletons[] = {HeaderId::From,         HeaderId::To,          HeaderId::CallId,
                                    HeaderId::CSeq,         HeaderId::MaxForwards, HeaderId::ContentType,
                                    HeaderId::ContentLength};

constexpr HeaderId kMandatory[] = {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq};

tl::unexpected<ParseError> reject(const Message& m, ParseErrorCode code, std::string reason) {
  return tl::unexpected(ParseError{code, m.is_request() ? std::uint16_t{400} : std::uint16_t{0}, std::move(reason)});
}

template <HeaderId Id>
tl::expected<void, ParseError> check_all(const Message& m) {
  auto parsed = m.get_all<Id>();
  if (!parsed) return reject(m, ParseErrorCode::BadHeaderValue, parsed.error().reason);
  return {};
}

template <HeaderId Id>
tl::expected<void, ParseError> check_first(const Message& m) {
  auto parsed = m.find<Id>();
  if (!parsed) return reject(m, ParseErrorCode::BadHeaderValue, parsed.error().reason);
  return {};
}

}  // namespace

tl::expected<void, ParseError> validate_message(const Message& m) {
  for (HeaderId id : kMandatory) {
    if (!m.has(id))
      return reject(m, ParseErrorCode::MissingHeader, fmt::format("Missing {} header", canonical_name(id)));
  }
  for (HeaderId id : kSingletons) {
    if (m.count(id) > 1)
      return reject(m, ParseErrorCode::DuplicateHeader, fmt::format("Multiple {} headers", canonical_name(id)));
  }
  if (auto r = check_all<HeaderId::Via>(m); !r) return r;
  // get_all skips empty list elements (§7.3.1 allows them in a list), so a
  // Via field holding none ("Via:" or "Via: , ...") passes it; the top Via,
  // which every layer above reads, must be a via-parm (§20.42: Via = "Via"
  // HCOLON via-parm *(COMMA via-parm)). Found by fuzz_message_parser.
  if (auto top = m.top_via(); !top) return reject(m, ParseErrorCode::BadHeaderValue, top.error().reason);
  if (auto r = check_first<HeaderId::From>(m); !r) return r;
  if (auto r = check_first<HeaderId::To>(m); !r) return r;
  if (auto r = check_first<HeaderId::CallId>(m); !r) return r;
  if (auto r = check_first<HeaderId::CSeq>(m); !r) return r;
  if (m.is_response()) return {};

  // RFC 4475 §3.1.2.4 scalar02: an out-of-range Max-Forwards is a 400 too.
  if (auto r = check_first<HeaderId::MaxForwards>(m); !r) return r;
  if (auto r = check_all<HeaderId::Contact>(m); !r) return r;
  if (auto r = check_first<HeaderId::ContentType>(m); !r) return r;
  if (auto r = check_first<HeaderId::Expires>(m); !r) return r;
  const auto cseq = m.cseq();
  if (cseq->method_text != m.method_text()) {
    return reject(m, ParseErrorCode::CSeqMethodMismatch, "CSeq method does not match the request method");
  }
  return {};
}

}  // namespace voxgate::sip
