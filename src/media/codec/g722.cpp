#include "media/codec/g722.hpp"

#include <algorithm>
#include <new>

#include <spandsp.h>

namespace voxgate::media {

namespace {

constexpr int kBitRate = 64000;

}  // namespace

void G722Encoder::Free::operator()(g722_encode_state_s* state) const noexcept {
  g722_encode_free(state);
}

void G722Decoder::Free::operator()(g722_decode_state_s* state) const noexcept {
  g722_decode_free(state);
}

G722Encoder::G722Encoder() : state_(g722_encode_init(nullptr, kBitRate, 0)) {
  if (!state_) throw std::bad_alloc();
}

G722Decoder::G722Decoder() : state_(g722_decode_init(nullptr, kBitRate, 0)) {
  if (!state_) throw std::bad_alloc();
}

std::size_t G722Encoder::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  // Two samples per byte: an odd trailing sample is left for the caller's next frame.
  const std::size_t samples = std::min(pcm.size() / 2, out.size()) * 2;
  return static_cast<std::size_t>(g722_encode(state_.get(), out.data(), pcm.data(), static_cast<int>(samples)));
}

std::size_t G722Decoder::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) {
  const std::size_t bytes = std::min(payload.size(), out.size() / 2);
  return static_cast<std::size_t>(g722_decode(state_.get(), out.data(), payload.data(), static_cast<int>(bytes)));
}

}  // namespace voxgate::media
