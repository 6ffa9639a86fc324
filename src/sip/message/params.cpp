#include "sip/message/params.hpp"

#include "base/ascii.hpp"
#include "sip/message/detail/find.hpp"

namespace voxgate::sip {

namespace {

// Reads one character of a name at `i`, resolving a %HH escape.
char next_char(std::string_view name, std::size_t& i) noexcept {
  const char c = name[i];
  if (c == '%' && i + 2 < name.size() && ascii::is_hex(name[i + 1]) && ascii::is_hex(name[i + 2])) {
    i += 3;
    return static_cast<char>(ascii::hex_value(name[i - 2]) * 16 + ascii::hex_value(name[i - 1]));
  }
  ++i;
  return c;
}

}  // namespace

// Kept out of line: inlined into Params::find, the escape handling made
// every lookup save six registers and set up a frame, although nearly every
// name matches or differs without escapes (profiled).
bool detail::param_names_match_escaped(std::string_view a, std::string_view b) noexcept {
  // An escape is three bytes for one character, so a match through escapes
  // needs them in the longer name (in both, when the lengths are equal).
  if (a.size() == b.size()) {
    if (detail::find_char(a, '%') == std::string_view::npos || detail::find_char(b, '%') == std::string_view::npos) {
      return false;
    }
  } else if (detail::find_char(a.size() > b.size() ? a : b, '%') == std::string_view::npos) {
    return false;
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (ascii::to_lower(next_char(a, i)) != ascii::to_lower(next_char(b, j))) return false;
  }
  return i == a.size() && j == b.size();
}

}  // namespace voxgate::sip
