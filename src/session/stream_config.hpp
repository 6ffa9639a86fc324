#pragma once
// The seam between SDP and media: an offer/answer outcome
// (sdp::NegotiatedStream) in the media layer's terms (media::RtpStreamConfig).
// SDP and media know nothing of each other; the session layer, above both,
// translates.

#include <chrono>

#include "base/result.hpp"
#include "media/stream/rtp_stream_config.hpp"
#include "sdp/negotiated_media.hpp"

namespace voxgate::session {

// What the configuration adds to every stream.
struct StreamSettings {
  std::chrono::milliseconds media_timeout{30000};  // no RTP this long ends the stream (0: never)
  bool inband_dtmf = true;                         // detect DTMF tones when no telephone-event was agreed
};

// Fails when the agreed codec is not one the media engine runs or an
// address is not an IP literal.
Result<media::RtpStreamConfig> make_stream_config(const sdp::NegotiatedStream& stream, const StreamSettings& settings);

}  // namespace voxgate::session
