#pragma once
// Where a request goes next (RFC 3261 §8.1.2): the first Route if there is
// one, else the Request-URI, turned into a transport and an address by the
// RFC 3263 §4 rules for a numeric host. Host names need DNS (RFC 3263),
// which is not implemented yet: they are refused with an error.

#include <string_view>

#include "base/result.hpp"
#include "sip/message/message.hpp"
#include "sip/message/uri.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

// RFC 3263 §4.1/§4.2 for an IP literal: the transport parameter decides
// (udp, tcp; others are not spoken yet), else UDP for sip and TCP for sips;
// the port is the URI's, else 5060 (5061 for sips). maddr, when present,
// replaces the host (§19.1.1).
Result<Target> next_hop_for_uri(const Uri& uri);
Result<Target> next_hop_for_uri(std::string_view uri_text);

// §8.1.2 for a request formed with loose routing: the URI of the first Route
// value, else the Request-URI. (A dialog whose first route is a strict router
// knows its next hop itself: Dialog::next_hop().)
Result<Target> next_hop_of_request(const Message& request);

}  // namespace voxgate::sip
