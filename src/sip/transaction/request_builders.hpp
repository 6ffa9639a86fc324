#pragma once
// The two requests the client transaction layer builds itself from the
// request it sent (as sent: with the Via the transport inserted): the ACK of
// a non-2xx final response (§17.1.1.3) and the CANCEL of a request (§9.1).
// Both carry the original's top Via, so they share its branch and go where
// it went.

#include "base/result.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

// §17.1.1.3: Request-URI, Call-ID, From, CSeq number and the top Via of
// `invite`, its Route headers, the To of `response` (with its tag), CSeq
// method ACK, Max-Forwards 70, no body.
Result<Message> build_ack_for_non2xx(const Message& invite, const Message& response);

// §9.1: Request-URI, Call-ID, To, From, CSeq number and the top Via of
// `request`, its Route headers, CSeq method CANCEL, Max-Forwards 70, no body.
Result<Message> build_cancel(const Message& request);

}  // namespace voxgate::sip
