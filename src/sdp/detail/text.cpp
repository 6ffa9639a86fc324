#include "sdp/detail/text.hpp"

#include <fmt/format.h>

namespace voxgate::sdp::detail {

std::string quote(std::string_view value) {
  std::string out = "\"";
  const std::size_t shown = value.size() > 40 ? 40 : value.size();
  for (std::size_t i = 0; i < shown; ++i) {
    const auto u = static_cast<unsigned char>(value[i]);
    if (u < 0x20 || u >= 0x7F || value[i] == '"' || value[i] == '\\') {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += value[i];
    }
  }
  if (shown < value.size()) out += "...";
  out += '"';
  return out;
}

}  // namespace voxgate::sdp::detail
