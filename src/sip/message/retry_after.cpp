#include "sip/message/retry_after.hpp"

#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

Parsed<RetryAfter> parse_retry_after(std::string_view value) {
  detail::Scanner in(value);
  RetryAfter out;
  in.skip_ws();
  auto delay = parse_delta_seconds(in.take_while(detail::kDigit), "Retry-After");
  if (!delay) return tl::unexpected(delay.error());
  out.delay = *delay;
  in.skip_ws();
  if (in.consume('(')) {
    // comment = LPAREN *(ctext / quoted-pair / comment) RPAREN (§25.1): nested
    // parentheses and quoted-pairs do not close it.
    const std::size_t start = in.pos();
    int depth = 1;
    while (!in.at_end() && depth > 0) {
      const char c = in.peek();
      in.advance(c == '\\' ? 2 : 1);
      if (c == '(') ++depth;
      if (c == ')') --depth;
    }
    if (depth != 0) return syntax_error("bad Retry-After: unterminated comment");
    out.comment = value.substr(start, in.pos() - 1 - start);
  }
  if (auto err = detail::parse_header_params(in, out.params)) return syntax_error("bad Retry-After: " + *err);
  in.skip_ws();
  if (!in.at_end()) return syntax_error("bad Retry-After: trailing characters");
  if (const auto d = out.params.get("duration")) {
    auto duration = parse_delta_seconds(*d, "Retry-After duration");
    if (!duration) return tl::unexpected(duration.error());
    out.duration = *duration;
  }
  return out;
}

}  // namespace voxgate::sip
