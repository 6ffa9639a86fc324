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
    const std::size_t close = value.find(')', in.pos());
    if (close == std::string_view::npos) return syntax_error("bad Retry-After: unterminated comment");
    out.comment = value.substr(in.pos(), close - in.pos());
    in.seek(close + 1);
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
