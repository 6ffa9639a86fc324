#include "net/http/url.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>

#include "base/ascii.hpp"

namespace voxgate::net {

namespace {

constexpr std::uint16_t kDefaultPort = 80;

// RFC 3986 §2: a URL is ASCII without spaces or controls; anything else must
// be percent-encoded. Letting a CR or LF through would also let a caller's
// URL inject lines into the request head.
bool is_url_char(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte > 0x20 && byte < 0x7f;
}

// The reg-name characters we accept in a hostname (RFC 3986 §3.2.2 allows
// more, but DNS names use only these, RFC 1123 §2.1; '_' appears in practice).
bool is_hostname_char(char c) noexcept {
  return ascii::is_alnum(c) || c == '-' || c == '.' || c == '_';
}

bool looks_like_ipv4(std::string_view host) noexcept {
  return std::all_of(host.begin(), host.end(), [](char c) { return ascii::is_digit(c) || c == '.'; });
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii::to_lower(c);
  return out;
}

Result<std::uint16_t> parse_port(std::string_view text, std::string_view url) {
  // An empty port means the default (RFC 3986 §3.2.3).
  if (text.empty()) return kDefaultPort;
  if (!std::all_of(text.begin(), text.end(), ascii::is_digit)) {
    return make_error(Errc::InvalidArgument, "URL {}: the port is not a number", url);
  }
  std::uint32_t port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535) {
    return make_error(Errc::InvalidArgument, "URL {}: the port must be 1-65535", url);
  }
  return static_cast<std::uint16_t>(port);
}

// Fills host and port from the authority (RFC 3986 §3.2) of `url`.
Result<void> parse_authority(std::string_view authority, std::string_view url, HttpUrl& out) {
  if (authority.find('@') != std::string_view::npos) {
    return make_error(Errc::InvalidArgument, "URL {}: user information is not allowed (RFC 9110 §4.2.4)", url);
  }
  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return make_error(Errc::InvalidArgument, "URL {}: '[' without ']' around the IPv6 address", url);
    }
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return make_error(Errc::InvalidArgument, "URL {}: unexpected text after the IPv6 address", url);
    }
    if (!after.empty()) port = after.substr(1);
    if (host.find('%') != std::string_view::npos) {
      return make_error(Errc::Unsupported, "URL {}: IPv6 zone identifiers (RFC 6874) are not supported", url);
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return make_error(Errc::InvalidArgument, "URL {}: '{}' is not an IPv6 address", url, host);
    // The canonical text form (RFC 5952), so equal addresses compare equal.
    out.host = address.to_string();
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (host.empty()) return make_error(Errc::InvalidArgument, "URL {}: no host", url);
    if (!std::all_of(host.begin(), host.end(), is_hostname_char)) {
      return make_error(Errc::InvalidArgument, "URL {}: '{}' is not a valid host name", url, host);
    }
    if (looks_like_ipv4(host)) {
      boost::system::error_code ec;
      const auto address = boost::asio::ip::make_address_v4(std::string(host), ec);
      if (ec) return make_error(Errc::InvalidArgument, "URL {}: '{}' is not an IPv4 address", url, host);
      out.host = address.to_string();
    } else {
      out.host = to_lower(host);
    }
  }
  auto parsed_port = parse_port(port, url);
  if (!parsed_port) return tl::unexpected(parsed_port.error());
  out.port = *parsed_port;
  return {};
}

}  // namespace

// Appends rather than `"[" + host + "]"`: GCC 12 at -O3 reports a false
// -Wrestrict on that concatenation (GCC bug 105329).
std::string HttpUrl::authority() const {
  std::string out;
  out.reserve(host.size() + 8);
  if (host_is_ipv6()) out.push_back('[');
  out.append(host);
  if (host_is_ipv6()) out.push_back(']');
  if (port != kDefaultPort) out.append(":").append(std::to_string(port));
  return out;
}

std::string HttpUrl::to_string() const {
  std::string out("http://");
  out.append(authority()).append(target);
  return out;
}

Result<HttpUrl> parse_http_url(std::string_view text) {
  if (!std::all_of(text.begin(), text.end(), is_url_char)) {
    return make_error(Errc::InvalidArgument, "URL '{}' contains a space, a control or a non-ASCII character", text);
  }
  const auto separator = text.find("://");
  if (separator == std::string_view::npos) {
    return make_error(Errc::InvalidArgument, "'{}' is not an absolute http:// URL", text);
  }
  // Schemes compare case-insensitively (RFC 3986 §3.1).
  const auto scheme = text.substr(0, separator);
  if (ascii::iequals(scheme, "https")) {
    return make_error(Errc::Unsupported, "URL {}: https is not supported yet", text);
  }
  if (!ascii::iequals(scheme, "http")) {
    return make_error(Errc::InvalidArgument, "URL {}: the scheme must be http", text);
  }

  auto rest = text.substr(separator + 3);
  rest = rest.substr(0, rest.find('#'));
  const auto authority_end = rest.find_first_of("/?");
  HttpUrl url;
  if (auto ok = parse_authority(rest.substr(0, authority_end), text, url); !ok) return tl::unexpected(ok.error());

  const auto target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  // An empty path is sent as "/" (RFC 9112 §3.2.1).
  std::string origin_form;
  origin_form.reserve(target.size() + 1);
  if (target.empty() || target.front() != '/') origin_form.push_back('/');
  origin_form.append(target);
  url.target = std::move(origin_form);
  return url;
}

}  // namespace voxgate::net
