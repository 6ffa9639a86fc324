#include "sip/transport/response_routing.hpp"

#include <string>

namespace voxgate::sip {

namespace {

std::optional<boost::asio::ip::address> ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  return ip;
}

std::uint16_t sent_by_port(const Via& via) noexcept {
  return via.port.value_or(kDefaultSipPort);
}

}  // namespace

Result<ResponseRoute> route_response(const Via& top_via, const Flow& request_flow) {
  ResponseRoute route;
  route.transport = request_flow.transport;
  const std::optional<std::string_view> received = top_via.received();
  const std::optional<boost::asio::ip::address> received_ip =
      received ? ip_literal(*received) : std::optional<boost::asio::ip::address>{};
  const std::optional<boost::asio::ip::address> sent_by_ip = ip_literal(top_via.host);

  if (is_reliable(request_flow.transport)) {
    route.connection = request_flow.connection;
    if (received_ip) {
      route.destination = Address{*received_ip, sent_by_port(top_via)};
    } else if (sent_by_ip) {
      route.destination = Address{*sent_by_ip, sent_by_port(top_via)};
    }
    if (route.connection == ConnectionId{} && !route.destination) {
      return make_error(Errc::Unsupported, "no connection and Via sent-by {} is not an address (RFC 3263 needed)",
                        top_via.host);
    }
    return route;
  }

  if (const auto maddr = top_via.maddr()) {
    const auto ip = ip_literal(*maddr);
    if (!ip) return make_error(Errc::Unsupported, "Via maddr {} is not an address (RFC 3263 needed)", *maddr);
    route.destination = Address{*ip, sent_by_port(top_via)};
    return route;
  }
  if (received_ip) {
    route.destination = Address{*received_ip, top_via.rport().value_or(sent_by_port(top_via))};
    return route;
  }
  if (!sent_by_ip) {
    return make_error(Errc::Unsupported, "Via sent-by {} is not an address (RFC 3263 needed)", top_via.host);
  }
  // A Via with a filled rport but no received (not one we stamped): the
  // sent-by address at the rport.
  route.destination = Address{*sent_by_ip, top_via.rport().value_or(sent_by_port(top_via))};
  return route;
}

ResponseRoute route_back(const Flow& request_flow) {
  ResponseRoute route;
  route.transport = request_flow.transport;
  route.connection = request_flow.connection;
  route.destination = request_flow.remote;
  return route;
}

}  // namespace voxgate::sip
