#pragma once
// The UAS core's checks on a received request (RFC 3261 §8.2), before it
// reaches a dialog or the application, as a pure function: the request in,
// a decision out (proceed, or the ready response). And the other responses
// the UAS core makes on its own: 481 (no such dialog), 503 (overload).

#include <cstdint>
#include <string_view>

#include "sip/dialog/request_decision.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

// In §8.2's order, each answered with make_response (so with `to_tag` when
// the request's To has none):
//   405 + Allow            method not in kAllowedMethods (§8.2.1)
//   416                    Request-URI neither sip, sips nor tel (§8.2.2.1)
//   483                    Max-Forwards: 0, except OPTIONS, which a UAS may
//                          answer (§11; §16.3 for the count)
//   420 + Unsupported      Require lists option tags we do not implement
//                          (§8.2.2.3), never for ACK or CANCEL
//   400                    a body without Content-Type (§20.15)
//   415 + Accept-Encoding  a Content-Encoding other than identity (§8.2.3)
//   415 + Accept           an INVITE body other than application/sdp, an
//                          INFO body other than application/dtmf-relay or
//                          application/dtmf (§8.2.3; RFC 6086 §9)
//   200                    OPTIONS: the capabilities (§11.2)
// A malformed Require, Max-Forwards or Content-Type gets 400 with the parse
// error as reason. ACK is never answered (§17): it always proceeds, and its
// body is the offer/answer machine's business.
RequestDecision check_request(const Message& request, std::string_view to_tag);

// 200 to OPTIONS with Allow, Accept, Accept-Encoding, Accept-Language and
// Supported (§11.2).
Message make_options_response(const Message& request, std::string_view to_tag);

// 481 to a request with a To tag that names no dialog of ours (§12.2.2).
Message make_no_dialog_response(const Message& request);

// 503 with Retry-After (§21.5.4) when we are too loaded to take the request.
Message make_overload_response(const Message& request, std::uint32_t retry_after_seconds, std::string_view to_tag);

}  // namespace voxgate::sip
