#include "sip/message/via.hpp"

#include <string>

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/find.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/host_scan.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

namespace {

// Out of line and cold, for the reason syntax_error(const char*) is.
[[gnu::cold, gnu::noinline]] tl::unexpected<SyntaxError> bad(std::string_view what) {
  return syntax_error("bad Via: " + std::string(what));
}

// received = IPv4address / IPv6address (RFC 3261 §25.1; RFC 5118 §4.5 shows
// it without brackets, and some peers add them: both are accepted).
bool is_address(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[') return classify_host(s) == HostKind::IPv6;
  return is_ipv4_address(s) || is_ipv6_address(s);
}

// The via-params with a syntax of their own (§20.42, RFC 3581 §3), found by
// their first letter: one switch instead of comparing every parameter with
// every name. Returns what is wrong, or nullptr.
const char* check_param(const Param& p) {
  if (p.name.empty()) return nullptr;
  switch (ascii::to_lower(p.name.front())) {
    case 'b':
      if (ascii::iequals(p.name, "branch") && p.value.empty()) return "empty branch";
      break;
    case 'r':
      if (ascii::iequals(p.name, "received") && !is_address(p.value)) return "received is not an IP address";
      if (ascii::iequals(p.name, "rport") && p.has_value && !parse_bounded_uint(p.value, 65535, "rport")) {
        return "invalid rport";
      }
      break;
    case 't':
      if (ascii::iequals(p.name, "ttl") && !parse_bounded_uint(p.value, 255, "ttl")) return "invalid ttl";
      break;
    case 'm':
      if (ascii::iequals(p.name, "maddr") && classify_host(p.value) == HostKind::None) return "invalid maddr";
      break;
    default: break;
  }
  return nullptr;
}

}  // namespace

std::optional<std::uint16_t> Via::rport() const noexcept {
  const auto v = params.get("rport");
  if (!v || v->empty()) return std::nullopt;
  auto value = parse_bounded_uint(*v, 65535, "rport");
  if (!value) return std::nullopt;
  return static_cast<std::uint16_t>(*value);
}

std::optional<std::uint8_t> Via::ttl() const noexcept {
  const auto v = params.get("ttl");
  if (!v) return std::nullopt;
  auto ttl = parse_bounded_uint(*v, 255, "ttl");
  if (!ttl) return std::nullopt;
  return static_cast<std::uint8_t>(*ttl);
}

bool Via::has_rfc3261_branch() const noexcept {
  const auto b = branch();
  return b && b->size() > kMagicCookie.size() && b->substr(0, kMagicCookie.size()) == kMagicCookie;
}

Parsed<Via> parse_via(std::string_view value) {
  return parse_in_place<Via>([value](Via& via) { return parse_via_into(value, via); });
}

Parsed<void> parse_via_into(std::string_view value, Via& via) {
  detail::Scanner in(value);
  in.skip_ws();
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport,
  // with LWS allowed around each slash (RFC 4475 §3.1.1.1 wsinv). Nearly
  // every Via starts "SIP/2.0/" with the transport right after it: that
  // prefix is one 8-byte compare, and yields what the token scans below
  // would (after LWS the general path runs, since it skips LWS there).
  constexpr std::string_view kSip20Prefix = "SIP/2.0/";
  if (const std::string_view rest = in.rest(); rest.size() > kSip20Prefix.size() &&
                                               rest.substr(0, kSip20Prefix.size()) == kSip20Prefix &&
                                               !detail::is_ws(rest[kSip20Prefix.size()])) {
    via.protocol_name = rest.substr(0, 3);
    via.protocol_version = rest.substr(4, 3);
    in.advance(kSip20Prefix.size());
  } else {
    via.protocol_name = in.take_token();
    if (via.protocol_name.empty() || !in.consume_separator('/')) return bad("missing protocol name");
    via.protocol_version = in.take_token();
    if (via.protocol_version.empty() || !in.consume_separator('/')) return bad("missing protocol version");
  }
  via.transport = in.take_token();
  if (via.transport.empty()) return bad("missing transport");
  if (!in.skip_ws()) return bad("missing space before sent-by");

  const HostScan host = detail::scan_host_inline(in.rest());
  via.host = in.rest().substr(0, host.length);
  via.host_kind = host.kind;
  if (via.host.empty() && in.peek() == '[') return bad("unterminated IPv6 reference");
  if (via.host.empty()) return bad("missing sent-by host");
  in.advance(host.length);
  if (via.host_kind == HostKind::None) return bad("invalid sent-by host " + detail::printable_excerpt(via.host));
  if (in.consume_separator(':')) {
    const std::string_view digits = in.take_while(detail::kDigit);
    // Up to five digits (every port as written, "5060") are read here, the
    // rest by parse_bounded_uint (leading zeros: "05060" is 5060): the same
    // ports and the same error, without a call and its result (profiled).
    std::uint32_t port = 0;
    if (!digits.empty() && digits.size() <= 5) {
      for (const char c : digits) port = port * 10 + static_cast<std::uint32_t>(c - '0');
      if (port > 65535) return bad("invalid sent-by port");
    } else {
      auto sent_port = parse_bounded_uint(digits, 65535, "port");
      if (!sent_port) return bad("invalid sent-by port");
      port = *sent_port;
    }
    via.port = static_cast<std::uint16_t>(port);
  }
  if (auto err = detail::parse_header_params(in, via.params)) return bad(*err);
  in.skip_ws();
  if (!in.at_end()) return bad("unexpected " + detail::describe_char(in.peek()));

  for (const Param& p : via.params) {
    if (const char* problem = check_param(p)) return bad(problem);
  }
  return {};
}

}  // namespace voxgate::sip
