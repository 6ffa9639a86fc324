#pragma once
// SessionDescription -> SDP text: CRLF line ends and the field order of
// RFC 4566 §5 (v o s i u e p c b t r z k a, then each m= section: m i c b k
// a). Lines of undefined types (OtherLine) go just before the a= lines of
// their section. An empty session name is written "s= " (RFC 4566 §5.3).
//
// Serializing what parse_sdp() produced and parsing it again gives an equal
// SessionDescription; serializing that again gives the same text.

#include <string>

#include "sdp/session_description.hpp"

namespace voxgate::sdp {

std::string serialize(const SessionDescription& sdp);

// Appends one connection in c= / a=rtcp form: "IN IP4 192.0.2.1[/ttl][/n]".
void append_connection(std::string& out, const Connection& c);

}  // namespace voxgate::sdp
