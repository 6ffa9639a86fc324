#include "media/codec/codec_factory.hpp"

#include "base/ascii.hpp"
#include "media/codec/g711.hpp"
#include "media/codec/g722.hpp"
#include "media/codec/opus.hpp"

namespace voxgate::media {

std::string_view to_string(CodecId id) noexcept {
  switch (id) {
    case CodecId::Pcmu: return "PCMU";
    case CodecId::Pcma: return "PCMA";
    case CodecId::G722: return "G722";
    case CodecId::Opus: return "opus";
  }
  return "?";
}

std::optional<CodecId> codec_from_rtp_name(std::string_view encoding_name, std::uint32_t clock_rate) noexcept {
  for (const CodecId id : {CodecId::Pcmu, CodecId::Pcma, CodecId::G722, CodecId::Opus}) {
    if (ascii::iequals(encoding_name, to_string(id)) && clock_rate == static_cast<std::uint32_t>(rtp_clock_rate(id))) {
      return id;
    }
  }
  return std::nullopt;
}

int rtp_clock_rate(CodecId id) noexcept {
  switch (id) {
    case CodecId::Pcmu:
    case CodecId::Pcma: return 8000;
    case CodecId::G722: return kG722RtpClockRate;
    case CodecId::Opus: return kOpusRtpClockRate;
  }
  return 8000;
}

Result<AudioCodecPair> make_audio_codec(CodecId id, int preferred_rate) {
  AudioCodecPair pair;
  pair.id = id;
  switch (id) {
    case CodecId::Pcmu:
    case CodecId::Pcma: {
      const G711Law law = id == CodecId::Pcmu ? G711Law::Mu : G711Law::A;
      pair.encoder = std::make_unique<G711Codec>(law);
      pair.decoder = std::make_unique<G711Codec>(law);
      return pair;
    }
    case CodecId::G722:
      pair.encoder = std::make_unique<G722Encoder>();
      pair.decoder = std::make_unique<G722Decoder>();
      return pair;
    case CodecId::Opus: {
      const bool native = preferred_rate == 8000 || preferred_rate == 12000 || preferred_rate == 16000 ||
                          preferred_rate == 24000 || preferred_rate == 48000;
      const int rate = native ? preferred_rate : 48000;
      auto encoder = OpusAudioEncoder::create(rate);
      if (!encoder) return tl::unexpected(encoder.error());
      auto decoder = OpusAudioDecoder::create(rate);
      if (!decoder) return tl::unexpected(decoder.error());
      pair.encoder = std::make_unique<OpusAudioEncoder>(std::move(*encoder));
      pair.decoder = std::make_unique<OpusAudioDecoder>(std::move(*decoder));
      return pair;
    }
  }
  return make_error(Errc::InvalidArgument, "unknown codec");
}

}  // namespace voxgate::media
