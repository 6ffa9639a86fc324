#include "sip/message/detail/describe.hpp"

#include <fmt/format.h>

namespace voxgate::sip::detail {

std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("0x{:02X}", u);
}

std::string printable_excerpt(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace voxgate::sip::detail
