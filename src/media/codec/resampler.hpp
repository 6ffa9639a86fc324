#pragma once
// Sample-rate conversion of 16-bit mono PCM, so an application always sees
// audio at the rate it asked for whatever the codec's (8 kHz G.711, 16 kHz
// G.722, 48 kHz Opus). speexdsp's resampler (libspeexdsp-dev) at its "VoIP"
// quality. Stateful: one per direction of a stream, fed consecutive frames.

#include <memory>
#include <span>
#include <vector>

#include "base/result.hpp"

struct SpeexResamplerState_;

namespace voxgate::media {

class Resampler {
 public:
  // Fails when speexdsp refuses the rates (zero, or absurd).
  static Result<Resampler> create(int input_rate, int output_rate);

  // Converts one frame; appends to `out` and returns the samples appended.
  // A frame of N input samples yields about N * output_rate / input_rate.
  std::size_t process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out);

  [[nodiscard]] int input_rate() const noexcept { return input_rate_; }
  [[nodiscard]] int output_rate() const noexcept { return output_rate_; }

 private:
  struct Destroy {
    void operator()(SpeexResamplerState_* state) const noexcept;
  };
  Resampler(std::unique_ptr<SpeexResamplerState_, Destroy> state, int input_rate, int output_rate) noexcept
      : state_(std::move(state)), input_rate_(input_rate), output_rate_(output_rate) {}

  std::unique_ptr<SpeexResamplerState_, Destroy> state_;
  int input_rate_;
  int output_rate_;
};

}  // namespace voxgate::media
