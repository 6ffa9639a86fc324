#pragma once
// Where a response goes (RFC 3261 §18.2.2, RFC 3581 §4), computed from the
// top Via of the response and the flow its request arrived on. Pure: the
// transport acts on the route, tests check it without sockets.

#include <optional>

#include "base/result.hpp"
#include "sip/message/via.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

inline constexpr std::uint16_t kDefaultSipPort = 5060;  // §19.1.2 for UDP and TCP

struct ResponseRoute {
  TransportKind transport = TransportKind::Udp;
  // Reliable transports: the connection the request came on (§18.2.2: "the
  // response MUST be sent using the existing connection"), ConnectionId{}
  // when there was none.
  ConnectionId connection{};
  // Unreliable: where to send. Reliable: where to connect when the
  // connection has closed ("received" + sent-by port); nullopt when the Via
  // names no address to reconnect to.
  std::optional<Address> destination;
};

// §18.2.2 in order:
//  1. reliable transport (the request's flow): its connection, else
//     received (or the sent-by IP) and the sent-by port (default 5060);
//  2. maddr: maddr and the sent-by port (default 5060);
//  3. received: received, and rport when it has a value (RFC 3581 §4) or the
//     sent-by port (default 5060);
//  4. otherwise the sent-by address and port (default 5060).
// A sent-by or maddr that is a DNS name needs RFC 3263 resolution, which
// the transport does not do: that is an Unsupported error (a request we
// received always has `received` in that case, §18.2.1).
Result<ResponseRoute> route_response(const Via& top_via, const Flow& request_flow);

// Where to answer a request whose Via is unusable (a malformed request's
// stateless 400): back the way it came.
ResponseRoute route_back(const Flow& request_flow);

}  // namespace voxgate::sip
