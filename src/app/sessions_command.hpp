#pragma once
// `voxgate sessions`: lists the running gateway's sessions (GET
// /v1/sessions, docs/API.md) as a table, or with --json as the API's JSON
// array of sessions, for scripts:
//
//   ID  STATE      DIRECTION  FROM                   TO                     CREATED              AGE/DURATION  METADATA
//   7   connected  outbound   sip:voxgate@10.0.0.1   sip:bob@10.0.0.2:5060  2026-11-22 10:04:05  1m12s         run=x
//
// AGE/DURATION: a session in progress shows its age, an ended one how long
// it was connected (answer to end; "-" when never answered). Filters map to
// the API's query: --state (comma-separated or repeated), --direction,
// --from / --to (substrings of the URIs), --meta key=value (repeatable, all
// must hold). One page of --limit sessions (the API's default 100) unless
// --all, which follows next_cursor to the end. The API is found as
// api_endpoint.hpp says.
//
// Exit code 0 when listed, 1 when the API refused (its code and message
// printed; with --json its error object on stdout) or could not be reached,
// 2 for a usage error.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "app/api_endpoint.hpp"
#include "app/config.hpp"
#include "base/clock.hpp"

namespace voxgate::app {

struct SessionsOptions {
  ApiEndpointOptions endpoint;
  std::vector<std::string> states;  // each may be a comma-separated list
  std::string direction;            // inbound, outbound; "" = both
  std::string from;                 // substring of the caller's URI
  std::string to;                   // substring of the callee's URI
  std::vector<std::string> meta;    // key=value
  std::optional<std::uint32_t> limit;
  bool all = false;
  bool json = false;
};

int run_sessions(const SessionsOptions& options, const EnvironmentLookup& getenv, std::ostream& out, std::ostream& err);

// The query string of the first page ("?state=connected&meta.run=x"; "" for
// none); InvalidArgument for a --meta without '=' or key.
Result<std::string> sessions_query(const SessionsOptions& options);

// The table of `sessions` (API Session objects); `now` ages the live ones.
void print_session_table(const boost::json::array& sessions, Clock::WallTime now, std::ostream& out);

// "0s", "45s", "3m12s", "2h05m", "3d04h"; negative as "0s".
std::string format_age(std::chrono::seconds age);

}  // namespace voxgate::app
