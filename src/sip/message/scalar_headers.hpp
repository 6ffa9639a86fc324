#pragma once
// Header values that are one number or one word: delta-seconds (Expires,
// Min-Expires), Max-Forwards, RSeq, Content-Length, Call-ID, option tags.

#include <cstdint>
#include <string_view>

#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

namespace detail {
// parse_bounded_uint for every input, errors included (scalar_headers.cpp).
Parsed<std::uint32_t> parse_bounded_uint_general(std::string_view text, std::uint32_t max, std::string_view what);
}  // namespace detail

// 1*DIGIT no greater than `max`; leading zeros allowed. `what` names the field
// in the error ("Max-Forwards").
//
// Inline for the common case, a valid number of up to nine digits (below
// 10^9, so no overflow): a call and its result cost more than reading
// "5060" or "3600" (profiled). Anything else, errors included, takes the
// general parse.
inline Parsed<std::uint32_t> parse_bounded_uint(std::string_view text, std::uint32_t max, std::string_view what) {
  if (!text.empty() && text.size() <= 9) {
    std::uint32_t value = 0;
    bool digits = true;
    for (const char c : text) {
      const auto digit = static_cast<unsigned>(static_cast<unsigned char>(c)) - unsigned{'0'};
      if (digit > 9) {
        digits = false;
        break;
      }
      value = value * 10 + digit;
    }
    if (digits && value <= max) return value;
  }
  return detail::parse_bounded_uint_general(text, max, what);
}

// delta-seconds (RFC 3261 §25.1), bounded to 2^32-1 (RFC 4475 §3.1.2.4
// scalar02 expects a 400 for anything larger).
Parsed<std::uint32_t> parse_delta_seconds(std::string_view text, std::string_view what);

// Max-Forwards = 1*DIGIT, 0..255 (§20.22).
Parsed<std::uint8_t> parse_max_forwards(std::string_view text);

// Call-ID = word [ "@" word ] (§25.1). Returns the value itself.
Parsed<std::string_view> parse_call_id(std::string_view text);

// One token: an option tag (Supported, Require...), a method in Allow, etc.
Parsed<std::string_view> parse_token(std::string_view text, std::string_view what);

}  // namespace voxgate::sip
