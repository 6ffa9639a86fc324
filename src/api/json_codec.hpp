#pragma once
// How the control plane writes sessions, events and CDRs as JSON, and reads
// times back: one place, so the REST API, the WebSocket events and the
// webhooks show the same shapes (docs/API.md). Times are RFC 3339 UTC with
// milliseconds ("2026-11-22T10:04:05.123Z"); ids are strings, so a client
// never loses digits and a cluster may widen them later.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "session/call_event.hpp"
#include "session/registry/session_event.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::api {

// The API spells enumerators in snake_case ("OnHold" -> "on_hold",
// "HangupLocal" -> "hangup_local"), whatever the C++ names.
std::string snake_case(std::string_view camel);

std::string format_time(Clock::WallTime time);
// RFC 3339 with "Z" or an offset, seconds with an optional fraction; or a
// plain number of seconds since the epoch.
Result<Clock::WallTime> parse_time(std::string_view text);

boost::json::object to_json(const session::SessionRecord& record);

}  // namespace voxgate::api
