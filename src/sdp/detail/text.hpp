#pragma once
// Lexical helpers shared by the SDP parser and the attribute parsers: field
// splitting, bounded decimal numbers and RFC 4566 §9 token characters. Private
// to src/sdp.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ascii.hpp"

namespace voxgate::sdp::detail {

constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

// RFC 4566 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 /
// %x41-5A / %x5E-7E.
constexpr bool is_token_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x27) || u == 0x2A || u == 0x2B || u == 0x2D || u == 0x2E ||
         (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5A) || (u >= 0x5E && u <= 0x7E);
}

constexpr bool is_token(std::string_view s) noexcept {
  return !s.empty() && std::ranges::all_of(s, is_token_char);
}

// Visible characters and blanks only (no NUL, CR, LF or other controls): what
// a free-text SDP value may hold. Bytes >= 0x80 are allowed (UTF-8 text).
constexpr bool is_text(std::string_view s) noexcept {
  return std::ranges::all_of(s, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x20 || c == '\t') && u != 0x7F;
  });
}

constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

constexpr std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits on runs of blanks: real peers separate fields with more than the one
// space RFC 4566 asks for.
inline std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_blank(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_blank(s[i])) ++i;
    if (i > start) fields.push_back(s.substr(start, i - start));
  }
  return fields;
}

// 1*DIGIT no greater than `max`; at most 20 digits so the arithmetic cannot
// overflow before the bound is checked.
constexpr std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max) noexcept {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : s) {
    if (!ascii::is_digit(c)) return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (digit > max || value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// A value as it may appear in an error message: quoted, at most 40 bytes,
// control and non-ASCII bytes escaped, so a log line stays one readable line
// whatever a peer sent.
std::string quote(std::string_view value);

}  // namespace voxgate::sdp::detail
