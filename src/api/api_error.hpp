#pragma once
// The API's error codes: stable identifiers clients branch on, each with
// its HTTP status (docs/API.md lists them). Every error answer is
// {"code": "...", "message": "...", "details": {}}.

#include <cstdint>
#include <string_view>

#include <boost/beast/http/status.hpp>

#include "base/result.hpp"

namespace voxgate::api {

enum class ApiErrorCode : std::uint8_t {
  InvalidArgument,   // 400: a malformed body, query or path parameter
  Unauthorized,      // 401: no or a wrong bearer token
  NotFound,          // 404: no such route
  SessionNotFound,   // 404: no session with that id (never, or no longer retained)
  MethodNotAllowed,  // 405
  InvalidState,      // 409: the session's state does not allow it (hang up an ended call)
  Conflict,          // 409: a concurrent change won
  PayloadTooLarge,   // 413
  Unsupported,       // 422: valid, but not something the session can do (DTMF without telephone-event)
  LimitExceeded,     // 429: a configured limit (metadata keys, calls)
  Internal,          // 500
  Unavailable,       // 503: draining, or no capacity
  Timeout,           // 504: the worker loop did not answer in time
};

std::string_view to_string(ApiErrorCode code) noexcept;
boost::beast::http::status http_status(ApiErrorCode code) noexcept;
// The code for an error from below; `not_found` says what NotFound means here.
ApiErrorCode code_for(const Error& error, ApiErrorCode not_found = ApiErrorCode::SessionNotFound) noexcept;

}  // namespace voxgate::api
