#pragma once
// Why something happened: Reason (RFC 3326 §2) and Warning (RFC 3261 §20.43).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

struct Reason {
  std::string_view protocol;  // "SIP", "Q.850", or another token
  std::optional<std::uint16_t> cause;
  Params params;

  // The text parameter, unquoted; empty when absent.
  [[nodiscard]] std::string text() const;
};

Parsed<Reason> parse_reason(std::string_view value);

struct Warning {
  std::uint16_t code = 0;  // 3DIGIT, e.g. 304 "Media type not available"
  std::string_view agent;  // hostport or pseudonym
  std::string_view text;   // quoted content, escapes as written
};

Parsed<Warning> parse_warning(std::string_view value);

}  // namespace voxgate::sip
