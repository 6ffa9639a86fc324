#pragma once
// The Via edits the transport makes (RFC 3261 §18.1.1, §18.2.1; RFC 3581):
// stamping `received` and `rport` on the top Via of a request we receive, and
// writing our own Via on a request we send. Pure functions on text, so the
// rules are tested without sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/message/message.hpp"
#include "sip/message/via.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

// The source address as received carries it: IPv4-mapped IPv6 addresses
// (from a dual-stack socket) become plain IPv4.
boost::asio::ip::address normalize_source(const boost::asio::ip::address& ip);

// True when `host` (a Via sent-by host as written; IPv6 in brackets) is an
// IP literal equal to `source`. A DNS name never equals an address (§18.2.1).
bool sent_by_host_is(std::string_view host, const boost::asio::ip::address& source);

// `element` is one Via value (a via-parm) and `via` its parse (views into
// `element`). Returns the element with:
//  - `received=<source ip>` when the sent-by host is not the source address,
//    or whenever rport is present (§18.2.1; RFC 3581 §4 "even if it is
//    identical"); an existing received is replaced;
//  - an empty `rport` filled with the source port (RFC 3581 §4);
// or nullopt when nothing changes.
std::optional<std::string> stamp_via_element(std::string_view element, const Via& via, const Address& source);

// Applies stamp_via_element to the first element of the first Via field of
// `request` (only that element: the field may be a comma list). Returns false
// when the request has no parseable top Via (nothing is changed).
bool stamp_received_rport(Message& request, const Address& source);

// "host:port" for a Via sent-by: IPv6 in brackets (RFC 3261 §25.1), added
// when `host` is an IPv6 literal without them.
std::string format_host_port(std::string_view host, std::uint16_t port);
std::string format_host(const boost::asio::ip::address& ip);

// The Via we put on a request we send (§18.1.1, RFC 3581 §3):
// "SIP/2.0/<transport> <sent-by>;branch=<branch>;rport".
std::string make_via_value(TransportKind transport, std::string_view sent_by, std::string_view branch);

}  // namespace voxgate::sip
