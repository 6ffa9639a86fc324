#pragma once
// Address literal checks for c= and a=rtcp (RFC 4566 §5.7, §9 grammar:
// IP4-address, IP6-address, FQDN). SDP must not depend on the SIP layer, so
// it carries its own small validators. Private to src/sdp.

#include <string_view>

namespace voxgate::sdp::detail {

// Dotted quad, each part 0..255, 1-3 digits.
bool is_ipv4_literal(std::string_view text) noexcept;
// RFC 4291 §2.2 text forms, "::" compression and a trailing dotted quad
// included; no brackets, no zone.
bool is_ipv6_literal(std::string_view text) noexcept;
// A DNS name: dot-separated labels of letters, digits and '-' (RFC 4566
// allows FQDNs in c=). All-numeric names are not names: they must be IPv4.
bool is_hostname(std::string_view text) noexcept;

}  // namespace voxgate::sdp::detail
