#pragma once
// Content-Type (RFC 3261 §20.15) and Accept ranges (§20.1).

#include <optional>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

struct MediaType {
  std::string_view type;     // "application", or "*" in an Accept range
  std::string_view subtype;  // "sdp", or "*"
  Params params;             // charset, boundary, q (Accept), ...

  // Case-insensitive type/subtype match; '*' in this value matches anything.
  [[nodiscard]] bool matches(std::string_view type_name, std::string_view subtype_name) const noexcept;
  [[nodiscard]] bool is(std::string_view type_name, std::string_view subtype_name) const noexcept;
};

Parsed<MediaType> parse_media_type(std::string_view value);

}  // namespace voxgate::sip
