#pragma once
// `voxgate hangup ID [--reason TEXT]`: hangs up one session of the running
// gateway (DELETE /v1/sessions/ID?reason=..., docs/API.md). --reason is a
// Reason header value (RFC 3326), e.g. "Q.850;cause=16". The API is found
// as api_endpoint.hpp says.
//
// Prints "hanging up session ID" (with --json: {"id": "ID", "result":
// "hanging_up"}) and exits 0 when the API accepted (204: the BYE or CANCEL
// is on its way). Otherwise exits 1 and prints the API's error code and
// message ("SESSION_NOT_FOUND: ...", with --json its error object on
// stdout), or why the API could not be reached. 2 for a usage error.

#include <iosfwd>
#include <string>

#include "app/api_endpoint.hpp"
#include "app/config.hpp"

namespace voxgate::app {

struct HangupOptions {
  ApiEndpointOptions endpoint;
  std::string id;
  std::string reason;  // "" = none
  bool json = false;
};

int run_hangup(const HangupOptions& options, const EnvironmentLookup& getenv, std::ostream& out, std::ostream& err);

// "/v1/sessions/<id>[?reason=<reason>]", both escaped.
std::string hangup_target(const HangupOptions& options);

}  // namespace voxgate::app
