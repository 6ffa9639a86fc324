#pragma once
// Header parameters: *( SEMI generic-param ), generic-param = token
// [ EQUAL gen-value ], gen-value = token / host / quoted-string (RFC 3261
// §25.1). Shared by every typed header parser of this module.

#include <optional>
#include <string>

#include "sip/message/detail/scanner.hpp"
#include "sip/message/params.hpp"

namespace voxgate::sip::detail {

// Parses parameters while the next non-LWS character is ';'. Returns an error
// description, or nullopt on success (the cursor then sits after the last
// parameter, before any trailing LWS). After an error `out` holds what was
// read, the bad parameter included: callers discard it with the value.
std::optional<std::string> parse_header_params(Scanner& in, Params& out);

// A parameter value, unquoted and with quoted-pairs resolved when needed.
std::string unquote(std::string_view quoted_content);

}  // namespace voxgate::sip::detail
