#pragma once
// Session-Expires and Min-SE (RFC 4028 §4, §5).

#include <cstdint>
#include <optional>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

enum class Refresher : std::uint8_t { Uac, Uas };

struct SessionExpires {
  std::uint32_t interval = 0;  // delta-seconds
  std::optional<Refresher> refresher;
  Params params;
};

struct MinSE {
  std::uint32_t interval = 0;
  Params params;
};

Parsed<SessionExpires> parse_session_expires(std::string_view value);
Parsed<MinSE> parse_min_se(std::string_view value);

}  // namespace voxgate::sip
