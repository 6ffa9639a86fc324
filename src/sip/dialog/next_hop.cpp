#include "sip/dialog/next_hop.hpp"

#include <boost/system/error_code.hpp>

#include "base/ascii.hpp"

namespace voxgate::sip {

namespace {

constexpr std::uint16_t kSipPort = 5060;
constexpr std::uint16_t kSipsPort = 5061;

Result<TransportKind> transport_of(const Uri& uri) {
  if (auto param = uri.transport()) {
    if (ascii::iequals(*param, "udp")) return TransportKind::Udp;
    if (ascii::iequals(*param, "tcp")) return TransportKind::Tcp;
    return make_error(Errc::Unsupported, "transport '{}' is not supported", *param);
  }
  return uri.scheme == UriScheme::Sips ? TransportKind::Tcp : TransportKind::Udp;
}

Result<boost::asio::ip::address> ip_literal(std::string_view host) {
  // maddr may carry an IPv6 reference in brackets, like a host.
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) {
    return make_error(Errc::Unsupported, "cannot resolve host name '{}': DNS (RFC 3263) is not implemented", host);
  }
  return address;
}

}  // namespace

Result<Target> next_hop_for_uri(const Uri& uri) {
  if (!uri.is_sip()) return make_error(Errc::InvalidArgument, "cannot route to a non-SIP URI '{}'", uri.text);
  auto transport = transport_of(uri);
  if (!transport) return tl::unexpected(std::move(transport.error()));
  auto address = ip_literal(uri.maddr().value_or(uri.host_address()));
  if (!address) return tl::unexpected(std::move(address.error()));
  const std::uint16_t default_port = uri.scheme == UriScheme::Sips ? kSipsPort : kSipPort;
  return Target{*transport, Address{*address, uri.port.value_or(default_port)}};
}

Result<Target> next_hop_for_uri(std::string_view uri_text) {
  auto uri = parse_uri(uri_text);
  if (!uri) return make_error(Errc::InvalidArgument, "{}", uri.error().reason);
  return next_hop_for_uri(*uri);
}

Result<Target> next_hop_of_request(const Message& request) {
  auto route = request.find<HeaderId::Route>();
  if (!route) return make_error(Errc::InvalidArgument, "{}", route.error().reason);
  if (*route) return next_hop_for_uri((*route)->uri);
  auto uri = request.request_uri();
  if (!uri) return make_error(Errc::InvalidArgument, "{}", uri.error().reason);
  return next_hop_for_uri(*uri);
}

}  // namespace voxgate::sip
