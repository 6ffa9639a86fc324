#pragma once
// Splitting a list header value at the commas that separate elements (RFC
// 3261 §7.3.1), ignoring commas inside quoted strings and inside <...>.

#include <cstddef>
#include <string_view>

#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/find.hpp"

namespace voxgate::sip::detail {

inline std::string_view trim_lws(std::string_view s) noexcept {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

// next_list_element when a comma follows `pos`: the quote/angle tracking.
// Out of line (list_split.cpp), so that the common case below is inlined
// (always: g++ kept it out of line otherwise; the call cost more than that
// case, profiled).
std::string_view next_list_element_split(std::string_view value, std::size_t& pos) noexcept;

// Returns the element that starts at `pos` (LWS-trimmed) and moves `pos` past
// the comma after it; after the last element `pos` is value.size() + 1.
[[gnu::always_inline]] inline std::string_view next_list_element(std::string_view value, std::size_t& pos) noexcept {
  // Fast path (performance): with no comma left, the rest is one element, so
  // skip the character-by-character quote/angle tracking. Most list values
  // (a Via, a Contact) hold one element.
  if (find_char(value, ',', pos) == std::string_view::npos) {
    const std::string_view element = trim_lws(value.substr(pos));
    pos = value.size() + 1;
    return element;
  }
  return next_list_element_split(value, pos);
}

}  // namespace voxgate::sip::detail
