#include "media/codec/resampler.hpp"

#include <speex/speex_resampler.h>

namespace voxgate::media {

void Resampler::Destroy::operator()(SpeexResamplerState_* state) const noexcept {
  speex_resampler_destroy(state);
}

Result<Resampler> Resampler::create(int input_rate, int output_rate) {
  if (input_rate <= 0 || output_rate <= 0 || input_rate > 192000 || output_rate > 192000) {
    return make_error(Errc::InvalidArgument, "no resampling from {} Hz to {} Hz", input_rate, output_rate);
  }
  int error = 0;
  SpeexResamplerState* state =
      speex_resampler_init(1, static_cast<spx_uint32_t>(input_rate), static_cast<spx_uint32_t>(output_rate),
                           SPEEX_RESAMPLER_QUALITY_VOIP, &error);
  if (state == nullptr || error != RESAMPLER_ERR_SUCCESS) {
    return make_error(Errc::InvalidArgument, "speexdsp refuses {} Hz to {} Hz: {}", input_rate, output_rate,
                      speex_resampler_strerror(error));
  }
  return Resampler(std::unique_ptr<SpeexResamplerState_, Destroy>(state), input_rate, output_rate);
}

std::size_t Resampler::process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) {
  const std::size_t start = out.size();
  // Room for the whole frame's output, with slack for the filter's rounding.
  const std::size_t room =
      in.size() * static_cast<std::size_t>(output_rate_) / static_cast<std::size_t>(input_rate_) + 16;
  out.resize(start + room);
  auto in_length = static_cast<spx_uint32_t>(in.size());
  auto out_length = static_cast<spx_uint32_t>(room);
  speex_resampler_process_int(state_.get(), 0, in.data(), &in_length, out.data() + start, &out_length);
  out.resize(start + out_length);
  return out_length;
}

}  // namespace voxgate::media
