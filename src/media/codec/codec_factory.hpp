#pragma once
// The codecs voxgate speaks, named the way SDP names them (an rtpmap's
// encoding name and clock rate), and the encoder/decoder pair a stream of
// one of them needs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "media/codec/audio_codec.hpp"

namespace voxgate::media {

enum class CodecId : std::uint8_t { Pcmu, Pcma, G722, Opus };

std::string_view to_string(CodecId id) noexcept;

// PCMU/8000 and PCMA/8000 (RFC 3551 §4.5.14), G722/8000 (§4.5.2: 16 kHz
// audio, an 8000 RTP clock), opus/48000 (RFC 7587 §7: always "/2" in SDP,
// whatever the channels sent). Names compare ASCII case-insensitively
// (RFC 4855 §3). nullopt for anything else.
std::optional<CodecId> codec_from_rtp_name(std::string_view encoding_name, std::uint32_t clock_rate) noexcept;

// RTP timestamp units per second.
int rtp_clock_rate(CodecId id) noexcept;

struct AudioCodecPair {
  CodecId id = CodecId::Pcmu;
  std::unique_ptr<AudioEncoder> encoder;
  std::unique_ptr<AudioDecoder> decoder;
};

// `preferred_rate` is the rate the application works at: Opus then runs at
// it when it can (8, 12, 16, 24 or 48 kHz) and saves a resampling step; the
// other codecs have one rate.
Result<AudioCodecPair> make_audio_codec(CodecId id, int preferred_rate);

}  // namespace voxgate::media
