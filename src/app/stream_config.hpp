#pragma once
// The seam between SDP and media: an offer/answer outcome
// (sdp::NegotiatedStream) in the media layer's terms (media::RtpStreamConfig),
// with the media settings of the configuration. SDP and media know nothing
// of each other; the layer above both translates.

#include "app/config.hpp"
#include "base/result.hpp"
#include "media/stream/rtp_stream_config.hpp"
#include "sdp/negotiated_media.hpp"

namespace voxgate::app {

// Fails when the agreed codec is not one the media engine runs or an
// address is not an IP literal.
Result<media::RtpStreamConfig> make_stream_config(const sdp::NegotiatedStream& stream, const MediaConfig& config);

}  // namespace voxgate::app
