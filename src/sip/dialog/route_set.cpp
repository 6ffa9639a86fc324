#include "sip/dialog/route_set.hpp"

#include <algorithm>

namespace voxgate::sip {

Result<RouteSet> route_set_from_record_route(const Message& message, RouteOrder order) {
  auto parsed = message.get_all<HeaderId::RecordRoute>();
  if (!parsed) return make_error(Errc::InvalidArgument, "{}", parsed.error().reason);
  const HeaderValues raw = message.values(HeaderId::RecordRoute);
  RouteSet routes;
  routes.reserve(parsed->size());
  for (std::size_t i = 0; i < parsed->size(); ++i) {
    const NameAddr& address = (*parsed)[i];
    routes.push_back(RouteEntry{std::string(raw[i]), std::string(address.uri.text), address.uri.loose_route()});
  }
  if (order == RouteOrder::Reversed) std::reverse(routes.begin(), routes.end());
  return routes;
}

}  // namespace voxgate::sip
