#pragma once
// Big-endian (network order, RFC 3550 §2) reads and writes at an offset.
// Callers check the span's length first.

#include <cstddef>
#include <cstdint>
#include <span>

namespace voxgate::media::detail {

inline std::uint16_t read16(std::span<const std::uint8_t> b, std::size_t at) noexcept {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

inline std::uint32_t read32(std::span<const std::uint8_t> b, std::size_t at) noexcept {
  return (static_cast<std::uint32_t>(b[at]) << 24) | (static_cast<std::uint32_t>(b[at + 1]) << 16) |
         (static_cast<std::uint32_t>(b[at + 2]) << 8) | static_cast<std::uint32_t>(b[at + 3]);
}

inline void write16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) noexcept {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

inline void write32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) noexcept {
  b[at] = static_cast<std::uint8_t>(v >> 24);
  b[at + 1] = static_cast<std::uint8_t>(v >> 16);
  b[at + 2] = static_cast<std::uint8_t>(v >> 8);
  b[at + 3] = static_cast<std::uint8_t>(v);
}

}  // namespace voxgate::media::detail
