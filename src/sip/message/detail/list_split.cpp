#include "sip/message/detail/list_split.hpp"

namespace voxgate::sip::detail {

std::string_view next_list_element_split(std::string_view value, std::size_t& pos) noexcept {
  std::size_t i = pos;
  bool in_quotes = false;
  int angle_depth = 0;
  for (; i < value.size(); ++i) {
    const char c = value[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      }
      continue;
    }
    if (c == '"') {
      in_quotes = true;
    } else if (c == '<') {
      ++angle_depth;
    } else if (c == '>') {
      if (angle_depth > 0) --angle_depth;
    } else if (c == ',' && angle_depth == 0) {
      break;
    }
  }
  const std::string_view element = trim_lws(value.substr(pos, (i < value.size() ? i : value.size()) - pos));
  pos = i + 1;
  return element;
}

}  // namespace voxgate::sip::detail
