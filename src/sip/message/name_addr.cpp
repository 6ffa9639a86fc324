#include "sip/message/name_addr.hpp"

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/find.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/list_split.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

namespace {

using detail::Scanner;

// Out of line and cold, for the reason syntax_error(const char*) is.
[[gnu::cold, gnu::noinline]] tl::unexpected<SyntaxError> bad(std::string_view what) {
  return syntax_error("bad address: " + std::string(what));
}

// Tries display-name = *(token LWS) followed by '<'. On success leaves the
// cursor on '<' and returns the words; otherwise restores the cursor.
bool take_token_display_name(Scanner& in, std::string_view& words) {
  const std::size_t start = in.pos();
  std::size_t end = start;
  while (true) {
    const std::string_view token = in.take_token();
    if (token.empty()) break;
    end = in.pos();
    in.skip_ws();
  }
  if (in.peek() == '<') {
    words = in.text().substr(start, end - start);
    return true;
  }
  in.seek(start);  // not a token display name: it is an addr-spec
  return false;
}

}  // namespace

std::string NameAddr::display_name_text() const {
  return display_name_quoted ? detail::unquote(display_name) : std::string(display_name);
}

Parsed<NameAddr> parse_name_addr(std::string_view value, AddressForm form) {
  return parse_in_place<NameAddr>([&](NameAddr& out) { return parse_name_addr_into(value, form, out); });
}

Parsed<void> parse_name_addr_into(std::string_view value, AddressForm form, NameAddr& out) {
  Scanner in(value);
  in.skip_ws();

  if (in.peek() == '"') {
    bool ok = false;
    out.display_name = in.take_quoted(ok);
    if (!ok) return bad("unterminated quoted display name");
    out.display_name_quoted = true;
    in.skip_ws();
    if (in.peek() != '<') return bad("display name not followed by <uri>");
  } else if (in.peek() != '<') {
    take_token_display_name(in, out.display_name);
  }

  if (in.consume('<')) {
    out.bracketed = true;
    const std::size_t close = detail::find_char(value, '>', in.pos());
    if (close == std::string_view::npos) return bad("missing '>'");
    const std::string_view uri_text = value.substr(in.pos(), close - in.pos());
    // LAQUOT = SWS "<" and RAQUOT = ">" SWS: no LWS inside the brackets
    // (RFC 4475 §3.1.2.14 badaspec).
    if (!uri_text.empty() && (detail::is_ws(uri_text.front()) || detail::is_ws(uri_text.back()))) {
      return bad("whitespace inside <>");
    }
    if (auto uri = parse_uri_into(uri_text, out.uri); !uri) return bad(uri.error().reason);
    in.advance(close - in.pos() + 1);
  } else {
    if (form == AddressForm::NameAddrOnly) return bad("address must be enclosed in <>");
    // addr-spec: the URI ends at the first ';' (what follows are header
    // parameters) or LWS. A URI with ',', '?' or ';' must be in <> (§20.10).
    const std::size_t start = in.pos();
    while (!in.at_end() && in.peek() != ';' && !detail::is_ws(in.peek())) in.advance();
    if (auto uri = parse_uri_into(in.since(start), out.uri); !uri) return bad(uri.error().reason);
    if (!out.uri.headers.empty()) return bad("URI with headers must be enclosed in <>");
    if (in.since(start).find_first_of(",?") != std::string_view::npos) {
      return bad("URI with ',' or '?' must be enclosed in <>");
    }
  }

  // A value ending at its '>' ("Bob <sip:bob@example.com>") has no
  // parameters: skip the call (and its result) then.
  if (!in.at_end()) {
    if (auto err = detail::parse_header_params(in, out.params)) return bad(*err);
  }
  in.skip_ws();
  if (!in.at_end()) return bad("unexpected " + detail::describe_char(in.peek()));
  return {};
}

std::optional<int> ContactValue::q() const noexcept {
  const auto v = address.params.get("q");
  if (!v || v->empty()) return std::nullopt;
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  const std::string_view s = *v;
  if (s[0] != '0' && s[0] != '1') return std::nullopt;
  int result = (s[0] - '0') * 1000;
  if (s.size() > 1) {
    if (s[1] != '.' || s.size() > 5) return std::nullopt;
    int scale = 100;
    for (std::size_t i = 2; i < s.size(); ++i, scale /= 10) {
      if (!ascii::is_digit(s[i])) return std::nullopt;
      result += (s[i] - '0') * scale;
    }
  }
  if (result > 1000) return std::nullopt;
  return result;
}

Parsed<ContactValue> parse_contact(std::string_view value) {
  return parse_in_place<ContactValue>([value](ContactValue& out) { return parse_contact_into(value, out); });
}

Parsed<void> parse_contact_into(std::string_view value, ContactValue& out) {
  if (detail::trim_lws(value) == "*") {
    out.star = true;
    return {};
  }
  if (auto address = parse_name_addr_into(value, AddressForm::Any, out.address); !address) return address;
  if (const auto expires = out.address.params.get("expires")) {
    if (!parse_delta_seconds(*expires, "Contact expires")) return syntax_error("bad Contact: expires out of range");
  }
  return {};
}

}  // namespace voxgate::sip
