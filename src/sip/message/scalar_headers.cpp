#include "sip/message/scalar_headers.hpp"

#include <algorithm>
#include <string>

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/find.hpp"

namespace voxgate::sip {

Parsed<std::uint32_t> parse_bounded_uint(std::string_view text, std::uint32_t max, std::string_view what) {
  if (text.empty()) return syntax_error("empty " + std::string(what));
  std::uint64_t value = 0;
  for (char c : text) {
    if (!ascii::is_digit(c)) {
      return syntax_error("unexpected " + detail::describe_char(c) + " in " + std::string(what));
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > max) return syntax_error(std::string(what) + " out of range");
  }
  return static_cast<std::uint32_t>(value);
}

Parsed<std::uint32_t> parse_delta_seconds(std::string_view text, std::string_view what) {
  return parse_bounded_uint(text, 0xFFFFFFFFU, what);
}

Parsed<std::uint8_t> parse_max_forwards(std::string_view text) {
  return parse_bounded_uint(text, 255, "Max-Forwards").map([](std::uint32_t v) {
    return static_cast<std::uint8_t>(v);
  });
}

Parsed<std::string_view> parse_call_id(std::string_view text) {
  if (text.empty()) return syntax_error("empty Call-ID");
  const std::size_t at = detail::find_char(text, '@');
  const auto is_word = [](std::string_view w) {
    return !w.empty() && std::ranges::all_of(w, [](char c) { return detail::is(c, detail::kWord); });
  };
  const bool ok =
      at == std::string_view::npos ? is_word(text) : is_word(text.substr(0, at)) && is_word(text.substr(at + 1));
  if (!ok) return syntax_error("invalid Call-ID");
  return text;
}

Parsed<std::string_view> parse_token(std::string_view text, std::string_view what) {
  if (text.empty()) return syntax_error("empty " + std::string(what));
  for (char c : text) {
    if (!detail::is(c, detail::kToken)) {
      return syntax_error("unexpected " + detail::describe_char(c) + " in " + std::string(what));
    }
  }
  return text;
}

}  // namespace voxgate::sip
