#include "sdp/detail/address.hpp"

#include <cstddef>

#include "base/ascii.hpp"

namespace voxgate::sdp::detail {

bool is_ipv4_literal(std::string_view text) noexcept {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    int value = 0;
    std::size_t digits = 0;
    while (i < text.size() && ascii::is_digit(text[i]) && digits < 4) {
      value = value * 10 + (text[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 3 || value > 255) return false;
    ++parts;
    if (i == text.size()) return parts == 4;
    if (text[i] != '.' || parts == 4) return false;
    ++i;
  }
}

bool is_ipv6_literal(std::string_view text) noexcept {
  if (text.size() < 2 || text.size() > 45) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (text.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == text.size()) return true;
  } else if (text[0] == ':') {
    return false;
  }
  while (i < text.size()) {
    // A trailing dotted quad counts as two groups.
    const std::size_t rest_dot = text.find('.', i);
    const std::size_t next_colon = text.find(':', i);
    if (rest_dot != std::string_view::npos && next_colon == std::string_view::npos) {
      if (!is_ipv4_literal(text.substr(i))) return false;
      groups += 2;
      break;
    }
    std::size_t digits = 0;
    while (i < text.size() && ascii::is_hex(text[i])) {
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 4) return false;
    ++groups;
    if (i == text.size()) break;
    if (text[i] != ':') return false;
    ++i;
    if (i < text.size() && text[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == text.size()) break;
    } else if (i == text.size()) {
      return false;  // a single trailing ':'
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

bool is_hostname(std::string_view text) noexcept {
  if (text.empty() || text.size() > 253) return false;
  bool all_numeric = true;
  std::size_t label = 0;
  char previous = '.';
  for (const char c : text) {
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else if (ascii::is_alnum(c) || c == '-') {
      if (label == 0 && c == '-') return false;
      if (++label > 63) return false;
      if (!ascii::is_digit(c)) all_numeric = false;
    } else {
      return false;
    }
    previous = c;
  }
  if (previous == '-') return false;
  return !all_numeric;
}

}  // namespace voxgate::sdp::detail
