#pragma once
// A dialog's route set (RFC 3261 §12.1.1, §12.1.2): the proxies that asked
// to stay on the path with Record-Route, in the order our requests visit
// them.

#include <string>
#include <vector>

#include "base/result.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

struct RouteEntry {
  std::string value;   // the name-addr as the proxy wrote it, every parameter kept (§12.2.1.1)
  std::string uri;     // the URI inside the brackets
  bool loose = false;  // ;lr: a loose router (§16.12.1.1); without it a strict (RFC 2543) router

  friend bool operator==(const RouteEntry&, const RouteEntry&) = default;
};

using RouteSet = std::vector<RouteEntry>;

// Which way the Record-Route values are read into the route set: a UAS keeps
// the request's order (§12.1.1), a UAC reverses the response's (§12.1.2).
enum class RouteOrder : std::uint8_t { AsReceived, Reversed };

// The route set from every Record-Route value of `message`, in header order
// then list order; empty when there is none. An error when a value is
// malformed.
Result<RouteSet> route_set_from_record_route(const Message& message, RouteOrder order);

}  // namespace voxgate::sip
