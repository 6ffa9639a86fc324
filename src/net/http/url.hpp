#pragma once
// The URLs the control plane calls out to (webhooks, routing decisions, the
// CLI's REST calls): `http://host[:port][/path][?query][#fragment]` (RFC 3986
// §3, RFC 9110 §4.2.1). The host is a hostname, an IPv4 address or an IPv6
// address in brackets; the port defaults to 80. `https://` is recognised but
// refused with Errc::Unsupported until the client speaks TLS.
//
//   auto url = parse_http_url("http://[::1]:8080/hooks?x=1");
//   if (!url) return tl::unexpected(url.error());
//   url->host == "::1"; url->port == 8080; url->target == "/hooks?x=1";

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace voxgate::net {

struct HttpUrl {
  // Lower-cased (hosts compare case-insensitively, RFC 3986 §3.2.2); an IPv6
  // address without its brackets.
  std::string host;
  std::uint16_t port = 80;
  // Path and query as sent in the request line (origin-form, RFC 9112
  // §3.2.1): never empty, starts with '/'. The fragment is not part of it
  // (it never leaves the client, RFC 9110 §7.1).
  std::string target = "/";

  [[nodiscard]] bool host_is_ipv6() const noexcept { return host.find(':') != std::string::npos; }
  // The Host header value (RFC 9110 §7.2): the host, bracketed if IPv6, with
  // ":port" unless it is the default 80.
  [[nodiscard]] std::string authority() const;
  // "http://" + authority() + target.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const HttpUrl&, const HttpUrl&) = default;
};

// Errc::Unsupported for https:// (and for URLs this parser recognises but
// the client cannot use yet); Errc::InvalidArgument for anything else that is
// not an absolute http URL: other schemes, user information (forbidden by
// RFC 9110 §4.2.4), an empty or malformed host, a port outside 1-65535,
// spaces, control or non-ASCII characters (which must be percent-encoded).
Result<HttpUrl> parse_http_url(std::string_view text);

}  // namespace voxgate::net
