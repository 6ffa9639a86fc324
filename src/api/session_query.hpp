#pragma once
// The session filters of GET /v1/sessions and GET /v1/events, from the
// query string: state (comma-separated, any of), direction, from, to,
// party, meta.<key>=<value> (repeatable, all must hold), created_after,
// created_before (RFC 3339 or epoch seconds), and for the list limit and
// cursor. An unknown parameter is an error, not silently ignored: a typo
// in a filter must not return everything.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/result.hpp"
#include "net/http/query_params.hpp"
#include "session/registry/session_filter.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::api {

// `also_allowed`: parameters the endpoint reads itself ("cursor" of the
// event stream); they are skipped here.
Result<session::SessionFilter> session_filter_from(const net::QueryParams& params,
                                                   std::span<const std::string_view> also_allowed = {});

Result<session::SessionId> parse_session_id(std::string_view text);
// "inbound" or "outbound".
Result<session::Direction> parse_direction(std::string_view text);
// A non-negative decimal integer; InvalidArgument naming `name` otherwise
// (limits, cursors, statuses of every query).
Result<std::uint64_t> parse_count(std::string_view name, std::string_view text);
std::optional<session::SessionState> parse_session_state(std::string_view text);

}  // namespace voxgate::api
