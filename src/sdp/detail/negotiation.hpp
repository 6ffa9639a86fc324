#pragma once
// From a completed exchange (our description and the peer's) to what the
// media layer uses, and the checks an answer must pass first. Private to
// src/sdp.

#include "base/result.hpp"
#include "sdp/local_media.hpp"
#include "sdp/negotiated_media.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp::detail {

// RFC 3264 §6: the answer has exactly the offer's m= lines, same order and
// media types. Errc::InvalidArgument naming the first difference.
Result<void> check_answer(const SessionDescription& offer, const SessionDescription& answer);

// Every m= line both sides kept open (port != 0) that is an audio stream of
// ours, and for which the peer gave an address and a codec in common. The
// codec is the first common audio codec in the answer's order (which is the
// offerer's order when we answered). `local_is_answer`: whether `local` is
// the answer of the exchange.
NegotiatedMedia negotiate(const SessionDescription& local, const SessionDescription& remote, bool local_is_answer,
                          const LocalMediaConfig& config);

}  // namespace voxgate::sdp::detail
