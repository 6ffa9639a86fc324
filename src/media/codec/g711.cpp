#include "media/codec/g711.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include <spandsp.h>

namespace voxgate::media {

namespace {

// Table lookups instead of spandsp's per-sample bit arithmetic (a bit
// search and branches per sample; G.711 was 6 % of an echo call's CPU).
// The tables are filled once from spandsp's functions, so the codes are
// spandsp's, exactly (g711_test.cpp checks all 65,536 inputs).
//
// Both laws code sign and magnitude apart (G.711 §2): the tables map the
// magnitude to the code without its sign bit and inversion, and fewer bits
// of it than 16 decide. µ-law drops the low 3 bits of (magnitude + 132),
// and 132 is a multiple of 4, so `magnitude >> 2` decides (magnitude up to
// 32768: 8,193 entries). A-law codes `x` or `~x` (= |x| - 1) shifted right
// by at least 4, so that value `>> 4` decides (2,048 entries).
const std::array<std::uint8_t, 8193>& ulaw_magnitude_table() {
  static const auto table = [] {
    std::array<std::uint8_t, 8193> codes{};
    for (std::size_t k = 0; k + 1 < codes.size(); ++k) codes[k] = linear_to_ulaw(static_cast<int>(4 * k)) ^ 0xFF;
    codes.back() = linear_to_ulaw(-32768) ^ 0x7F;  // the one magnitude only a negative sample has
    return codes;
  }();
  return table;
}

const std::array<std::uint8_t, 2048>& alaw_magnitude_table() {
  static const auto table = [] {
    std::array<std::uint8_t, 2048> codes{};
    for (std::size_t k = 0; k < codes.size(); ++k) codes[k] = linear_to_alaw(static_cast<int>(16 * k)) ^ 0xD5;
    return codes;
  }();
  return table;
}

void encode_ulaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  const auto& table = ulaw_magnitude_table();
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const int x = pcm[i];
    const int negative = x >> 31;  // -1 or 0
    const int magnitude = (x ^ negative) - negative;
    // Positive samples invert every bit, negative ones all but the sign.
    out[i] = table[static_cast<std::size_t>(magnitude >> 2)] ^ static_cast<std::uint8_t>(0xFF ^ (negative & 0x80));
  }
}

void encode_alaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  const auto& table = alaw_magnitude_table();
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const int x = pcm[i];
    const int negative = x >> 31;
    // Even bits inverted; the sign bit set for positive samples.
    out[i] = table[static_cast<std::size_t>((x ^ negative) >> 4)] ^ static_cast<std::uint8_t>(0xD5 ^ (negative & 0x80));
  }
}

template <std::int16_t (*Decode)(std::uint8_t)>
const std::array<std::int16_t, 256>& decode_table() {
  static const auto table = [] {
    std::array<std::int16_t, 256> samples{};
    for (std::size_t code = 0; code < samples.size(); ++code) samples[code] = Decode(static_cast<std::uint8_t>(code));
    return samples;
  }();
  return table;
}

void decode_with(const std::array<std::int16_t, 256>& table, std::span<const std::uint8_t> payload,
                 std::span<std::int16_t> out) {
  for (std::size_t i = 0; i < payload.size(); ++i) out[i] = table[payload[i]];
}

std::int16_t from_ulaw(std::uint8_t code) {
  return ulaw_to_linear(code);
}
std::int16_t from_alaw(std::uint8_t code) {
  return alaw_to_linear(code);
}

}  // namespace

std::size_t G711Codec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  const std::size_t n = std::min(pcm.size(), out.size());
  if (law_ == G711Law::Mu) {
    encode_ulaw(pcm.first(n), out);
  } else {
    encode_alaw(pcm.first(n), out);
  }
  return n;
}

std::size_t G711Codec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) {
  const std::size_t n = std::min(payload.size(), out.size());
  decode_with(law_ == G711Law::Mu ? decode_table<from_ulaw>() : decode_table<from_alaw>(), payload.first(n), out);
  return n;
}

}  // namespace voxgate::media
