#include "media/codec/opus.hpp"

#include <algorithm>

#include <opus.h>

namespace voxgate::media {

namespace {

bool opus_rate(int rate) noexcept {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

}  // namespace

void OpusAudioEncoder::Destroy::operator()(OpusEncoder* state) const noexcept {
  opus_encoder_destroy(state);
}

void OpusAudioDecoder::Destroy::operator()(OpusDecoder* state) const noexcept {
  opus_decoder_destroy(state);
}

Result<OpusAudioEncoder> OpusAudioEncoder::create(int sample_rate, int bitrate) {
  if (!opus_rate(sample_rate)) return make_error(Errc::InvalidArgument, "Opus cannot encode at {} Hz", sample_rate);
  int error = OPUS_OK;
  std::unique_ptr<OpusEncoder, Destroy> state(opus_encoder_create(sample_rate, 1, OPUS_APPLICATION_VOIP, &error));
  if (!state || error != OPUS_OK) return make_error(Errc::Internal, "opus_encoder_create: {}", opus_strerror(error));
  // The ctl macros are variadic C calls: their results are checked, not their types.
  if (opus_encoder_ctl(state.get(), OPUS_SET_BITRATE(bitrate)) != OPUS_OK ||
      opus_encoder_ctl(state.get(), OPUS_SET_INBAND_FEC(1)) != OPUS_OK ||
      opus_encoder_ctl(state.get(), OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)) != OPUS_OK) {
    return make_error(Errc::InvalidArgument, "Opus refuses bitrate {}", bitrate);
  }
  return OpusAudioEncoder(std::move(state), sample_rate);
}

std::size_t OpusAudioEncoder::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  const opus_int32 bytes = opus_encode(state_.get(), pcm.data(), static_cast<int>(pcm.size()), out.data(),
                                       static_cast<opus_int32>(out.size()));
  return bytes < 0 ? 0 : static_cast<std::size_t>(bytes);  // a frame size Opus refuses encodes to nothing
}

Result<OpusAudioDecoder> OpusAudioDecoder::create(int sample_rate) {
  if (!opus_rate(sample_rate)) return make_error(Errc::InvalidArgument, "Opus cannot decode at {} Hz", sample_rate);
  int error = OPUS_OK;
  std::unique_ptr<OpusDecoder, Destroy> state(opus_decoder_create(sample_rate, 1, &error));
  if (!state || error != OPUS_OK) return make_error(Errc::Internal, "opus_decoder_create: {}", opus_strerror(error));
  return OpusAudioDecoder(std::move(state), sample_rate);
}

std::size_t OpusAudioDecoder::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) {
  // Concealment needs the frame size: one 20-ms frame, or what fits.
  const int frame = static_cast<int>(std::min<std::size_t>(out.size(), static_cast<std::size_t>(sample_rate_) / 50));
  const int samples = payload.empty()
                          ? opus_decode(state_.get(), nullptr, 0, out.data(), frame, 0)
                          : opus_decode(state_.get(), payload.data(), static_cast<opus_int32>(payload.size()),
                                        out.data(), static_cast<int>(out.size()), 0);
  return samples < 0 ? 0 : static_cast<std::size_t>(samples);  // a corrupt packet decodes to nothing
}

}  // namespace voxgate::media
