#pragma once
// Where the sound is in a voice's PCM: what the flite and espeak-ng tests
// check of trimming (voice_pcm.hpp). Test code only.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace voxgate::bot::test {

// The index of the first sample louder than `threshold`; size() when none is.
inline std::size_t first_loud(const std::vector<std::int16_t>& pcm, int threshold = 100) {
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    if (std::abs(static_cast<int>(pcm[i])) > threshold) return i;
  }
  return pcm.size();
}

// How many samples at the end are no louder than `threshold`.
inline std::size_t trailing_quiet(const std::vector<std::int16_t>& pcm, int threshold = 100) {
  std::size_t quiet = 0;
  while (quiet < pcm.size() && std::abs(static_cast<int>(pcm[pcm.size() - 1 - quiet])) <= threshold) ++quiet;
  return quiet;
}

}  // namespace voxgate::bot::test
