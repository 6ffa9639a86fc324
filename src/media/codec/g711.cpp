#include "media/codec/g711.hpp"

#include <algorithm>

#include <spandsp.h>

namespace voxgate::media {

std::size_t G711Codec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  const std::size_t n = std::min(pcm.size(), out.size());
  if (law_ == G711Law::Mu) {
    for (std::size_t i = 0; i < n; ++i) out[i] = linear_to_ulaw(pcm[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) out[i] = linear_to_alaw(pcm[i]);
  }
  return n;
}

std::size_t G711Codec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) {
  const std::size_t n = std::min(payload.size(), out.size());
  if (law_ == G711Law::Mu) {
    for (std::size_t i = 0; i < n; ++i) out[i] = ulaw_to_linear(payload[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) out[i] = alaw_to_linear(payload[i]);
  }
  return n;
}

}  // namespace voxgate::media
