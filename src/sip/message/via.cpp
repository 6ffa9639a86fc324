#include "sip/message/via.hpp"

#include <string>

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

namespace {

Parsed<Via> bad(std::string_view what) {
  return syntax_error("bad Via: " + std::string(what));
}

// received = IPv4address / IPv6address (RFC 3261 §25.1; RFC 5118 §4.5 shows
// it without brackets, and some peers add them: both are accepted).
bool is_address(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[') return classify_host(s) == HostKind::IPv6;
  return is_ipv4_address(s) || is_ipv6_address(s);
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
  detail::Scanner in(value);
  Via via;
  in.skip_ws();
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport,
  // with LWS allowed around each slash (RFC 4475 §3.1.1.1 wsinv).
  via.protocol_name = in.take_token();
  if (via.protocol_name.empty() || !in.consume_separator('/')) return bad("missing protocol name");
  via.protocol_version = in.take_token();
  if (via.protocol_version.empty() || !in.consume_separator('/')) return bad("missing protocol version");
  via.transport = in.take_token();
  if (via.transport.empty()) return bad("missing transport");
  if (!in.skip_ws()) return bad("missing space before sent-by");

  const std::size_t host_start = in.pos();
  if (in.peek() == '[') {
    const std::size_t close = value.find(']', host_start);
    if (close == std::string_view::npos) return bad("unterminated IPv6 reference");
    in.advance(close - host_start + 1);
  } else {
    in.take_while(detail::kHost);
  }
  via.host = in.since(host_start);
  if (via.host.empty()) return bad("missing sent-by host");
  via.host_kind = classify_host(via.host);
  if (via.host_kind == HostKind::None) return bad("invalid sent-by host " + detail::printable_excerpt(via.host));
  if (in.consume_separator(':')) {
    auto sent_port = parse_bounded_uint(in.take_while(detail::kDigit), 65535, "port");
    if (!sent_port) return bad("invalid sent-by port");
    via.port = static_cast<std::uint16_t>(*sent_port);
  }
  if (auto err = detail::parse_header_params(in, via.params)) return bad(*err);
  in.skip_ws();
  if (!in.at_end()) return bad("unexpected " + detail::describe_char(in.peek()));

  for (const Param& p : via.params) {
    if (ascii::iequals(p.name, "branch") && (!p.has_value || p.value.empty())) return bad("empty branch");
    if (ascii::iequals(p.name, "received") && !is_address(p.value)) return bad("received is not an IP address");
    if (ascii::iequals(p.name, "ttl") && !parse_bounded_uint(p.value, 255, "ttl")) return bad("invalid ttl");
    if (ascii::iequals(p.name, "rport") && p.has_value && !parse_bounded_uint(p.value, 65535, "rport")) {
      return bad("invalid rport");
    }
    if (ascii::iequals(p.name, "maddr") && classify_host(p.value) == HostKind::None) return bad("invalid maddr");
  }
  return via;
}

}  // namespace voxgate::sip
