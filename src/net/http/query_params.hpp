#pragma once
// The query of a request target as decoded name/value pairs, in order
// (application/x-www-form-urlencoded rules: %HH escapes and '+' for space,
// WHATWG URL Standard §5.1). A malformed escape is InvalidArgument naming it.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace voxgate::net {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

Result<QueryParams> parse_query(std::string_view query);
Result<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace voxgate::net
