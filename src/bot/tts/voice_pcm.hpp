#pragma once
// What every embedded voice (flite, espeak-ng) does with the PCM it
// synthesised before it is queued: leading silence only delays the prompt,
// so it goes; the trailing pause is cut to `trailing_silence`, what
// separates two chunks naturally; then the voice's rate becomes the
// call's.
#include <chrono>
#include <cstdint>
#include <vector>

#include "base/result.hpp"

namespace voxgate::bot {

// Samples quieter than this (about -50 dBFS) are silence: both voices'
// pauses are digital zeros or a few LSBs of filter ringing.
inline constexpr int kVoiceSilence = 100;

// `pcm` at `voice_rate` trimmed as above and resampled to `output_rate`;
// empty when nothing in it is louder than kVoiceSilence. Fails only on a
// rate pair the resampler refuses.
Result<std::vector<std::int16_t>> finish_voice_pcm(std::vector<std::int16_t> pcm, int voice_rate, int output_rate,
                                                   std::chrono::milliseconds trailing_silence);

}  // namespace voxgate::bot
