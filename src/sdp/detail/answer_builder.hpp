#pragma once
// Builds our answer to an offer (RFC 3264 §6), or says why there can be
// none. Private to src/sdp.

#include <cstddef>

#include "base/result.hpp"
#include "sdp/local_media.hpp"
#include "sdp/session_description.hpp"

namespace voxgate::sdp::detail {

struct BuiltAnswer {
  SessionDescription sdp;      // origin left for the caller to stamp
  std::size_t audio_slot = 0;  // the m= line we accepted
};

// One m= line per offered one, same order and media type (§6). We accept the
// first audio stream over RTP/AVP or RTP/AVPF that has a connection address
// and a codec in common, with the common codecs in the offerer's order and
// the offerer's payload type numbers (§6.1); telephone-event only alongside
// an audio codec of its clock rate. Every other line gets port 0.
//
// When no stream can be accepted: Errc::Unsupported with a message starting
// "no common codec:" (an audio stream we could take, but no codec in common)
// or "no acceptable media:" (nothing we could take at all), followed by the
// details, fit for SIP's 488 and its Warning text (RFC 3261 §21.4.26,
// §20.43 codes 305/304).
Result<BuiltAnswer> build_answer(const SessionDescription& offer, const LocalMediaConfig& local);

}  // namespace voxgate::sdp::detail
