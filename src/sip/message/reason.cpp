#include "sip/message/reason.hpp"

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

std::string Reason::text() const {
  const Param* p = params.find("text");
  if (p == nullptr) return {};
  return p->quoted ? detail::unquote(p->value) : std::string(p->value);
}

Parsed<Reason> parse_reason(std::string_view value) {
  detail::Scanner in(value);
  Reason out;
  in.skip_ws();
  out.protocol = in.take_token();
  if (out.protocol.empty()) return syntax_error("bad Reason: missing protocol");
  if (auto err = detail::parse_header_params(in, out.params)) return syntax_error("bad Reason: " + *err);
  in.skip_ws();
  if (!in.at_end()) return syntax_error("bad Reason: trailing characters");
  if (const auto cause = out.params.get("cause")) {
    auto n = parse_bounded_uint(*cause, 65535, "Reason cause");
    if (!n) return syntax_error("bad Reason: invalid cause");
    out.cause = static_cast<std::uint16_t>(*n);
  }
  return out;
}

Parsed<Warning> parse_warning(std::string_view value) {
  detail::Scanner in(value);
  Warning out;
  in.skip_ws();
  const std::string_view code = in.take_while(detail::kDigit);
  if (code.size() != 3) return syntax_error("bad Warning: code must be 3 digits");
  out.code = static_cast<std::uint16_t>((code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0'));
  if (!in.skip_ws()) return syntax_error("bad Warning: missing agent");
  const std::size_t agent_start = in.pos();
  while (!in.at_end() && !detail::is_ws(in.peek())) in.advance();
  out.agent = in.since(agent_start);
  if (!in.skip_ws() || in.peek() != '"') return syntax_error("bad Warning: missing quoted text");
  bool ok = false;
  out.text = in.take_quoted(ok);
  if (!ok) return syntax_error("bad Warning: unterminated text");
  in.skip_ws();
  if (!in.at_end()) return syntax_error("bad Warning: trailing characters");
  return out;
}

}  // namespace voxgate::sip
