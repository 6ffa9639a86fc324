#include "sip/message/session_timer_headers.hpp"

#include <string>

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

namespace {

// delta-seconds *( SEMI param ), the shape both headers share.
Parsed<std::uint32_t> parse_interval(detail::Scanner& in, Params& params, std::string_view what) {
  in.skip_ws();
  auto interval = parse_delta_seconds(in.take_while(detail::kDigit), what);
  if (!interval) return interval;
  if (auto err = detail::parse_header_params(in, params)) return syntax_error("bad " + std::string(what) + ": " + *err);
  in.skip_ws();
  if (!in.at_end()) return syntax_error("bad " + std::string(what) + ": trailing characters");
  return interval;
}

}  // namespace

Parsed<SessionExpires> parse_session_expires(std::string_view value) {
  detail::Scanner in(value);
  SessionExpires out;
  auto interval = parse_interval(in, out.params, "Session-Expires");
  if (!interval) return tl::unexpected(interval.error());
  out.interval = *interval;
  if (const auto r = out.params.get("refresher")) {
    if (ascii::iequals(*r, "uac")) {
      out.refresher = Refresher::Uac;
    } else if (ascii::iequals(*r, "uas")) {
      out.refresher = Refresher::Uas;
    } else {
      return syntax_error("bad Session-Expires: refresher must be uac or uas");
    }
  }
  return out;
}

Parsed<MinSE> parse_min_se(std::string_view value) {
  detail::Scanner in(value);
  MinSE out;
  auto interval = parse_interval(in, out.params, "Min-SE");
  if (!interval) return tl::unexpected(interval.error());
  out.interval = *interval;
  return out;
}

}  // namespace voxgate::sip
