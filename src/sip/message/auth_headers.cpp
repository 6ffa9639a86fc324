#include "sip/message/auth_headers.hpp"

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/scanner.hpp"

namespace voxgate::sip {

bool AuthValue::is_digest() const noexcept {
  return ascii::iequals(scheme, "Digest");
}

std::optional<std::string> AuthValue::param(std::string_view name) const {
  const Param* p = params.find(name);
  if (p == nullptr) return std::nullopt;
  return p->quoted ? detail::unquote(p->value) : std::string(p->value);
}

Parsed<AuthValue> parse_auth_value(std::string_view value) {
  detail::Scanner in(value);
  AuthValue out;
  in.skip_ws();
  out.scheme = in.take_token();
  if (out.scheme.empty()) return syntax_error("bad authentication header: missing scheme");
  if (!in.skip_ws()) {
    if (in.at_end()) return out;
    return syntax_error("bad authentication header: missing space after scheme");
  }
  const std::size_t params_start = in.pos();
  bool first = true;
  while (!in.at_end()) {
    if (!first && !in.consume_separator(',')) break;
    first = false;
    Param p;
    p.name = in.take_token();
    if (p.name.empty() || !in.consume_separator('=')) {
      p.name = {};
      if (out.params.empty()) in.seek(params_start);  // maybe a token68 ("Bearer abc"), below
      break;
    }
    p.has_value = true;
    if (in.peek() == '"') {
      bool ok = false;
      p.value = in.take_quoted(ok);
      if (!ok) return syntax_error("bad authentication header: unterminated quoted string");
      p.quoted = true;
    } else {
      p.value = in.take_token();
      if (p.value.empty()) {
        // "abc.def==" is a token68 (RFC 7235 §2.1), not a parameter "abc.def".
        if (out.params.empty()) {
          in.seek(params_start);
          break;
        }
        return syntax_error("bad authentication header: empty value for " + std::string(p.name));
      }
    }
    out.params.push_back(p);
    in.skip_ws();
  }
  if (in.at_end()) return out;
  // Not a parameter list: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" /
  // "~" / "+" / "/" ) *"=" (RFC 7235 §2.1), the only other credential form.
  if (!out.params.empty()) {
    return syntax_error("bad authentication header: unexpected " + detail::describe_char(in.peek()));
  }
  in.seek(params_start);
  const std::size_t start = in.pos();
  while (!in.at_end() &&
         (ascii::is_alnum(in.peek()) || std::string_view("-._~+/").find(in.peek()) != std::string_view::npos)) {
    in.advance();
  }
  const bool has_chars = in.pos() != start;  // token68 needs a character before any '='
  while (in.consume('=')) {
  }
  out.token68 = in.since(start);
  in.skip_ws();
  if (!has_chars || !in.at_end()) return syntax_error("bad authentication header: malformed credentials");
  return out;
}

}  // namespace voxgate::sip
