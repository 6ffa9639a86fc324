#pragma once
// Retry-After (RFC 3261 §20.33): delta-seconds [ comment ] *( SEMI param ).

#include <cstdint>
#include <optional>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

struct RetryAfter {
  std::uint32_t delay = 0;   // seconds
  std::string_view comment;  // inside "( )"
  std::optional<std::uint32_t> duration;
  Params params;
};

Parsed<RetryAfter> parse_retry_after(std::string_view value);

}  // namespace voxgate::sip
