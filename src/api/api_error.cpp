#include "api/api_error.hpp"

namespace voxgate::api {

using boost::beast::http::status;

std::string_view to_string(ApiErrorCode code) noexcept {
  switch (code) {
    case ApiErrorCode::InvalidArgument: return "INVALID_ARGUMENT";
    case ApiErrorCode::Unauthorized: return "UNAUTHORIZED";
    case ApiErrorCode::NotFound: return "NOT_FOUND";
    case ApiErrorCode::SessionNotFound: return "SESSION_NOT_FOUND";
    case ApiErrorCode::MethodNotAllowed: return "METHOD_NOT_ALLOWED";
    case ApiErrorCode::InvalidState: return "INVALID_STATE";
    case ApiErrorCode::Conflict: return "CONFLICT";
    case ApiErrorCode::PayloadTooLarge: return "PAYLOAD_TOO_LARGE";
    case ApiErrorCode::Unsupported: return "UNSUPPORTED";
    case ApiErrorCode::LimitExceeded: return "LIMIT_EXCEEDED";
    case ApiErrorCode::Internal: return "INTERNAL";
    case ApiErrorCode::Unavailable: return "UNAVAILABLE";
    case ApiErrorCode::Timeout: return "TIMEOUT";
  }
  return "INTERNAL";
}

status http_status(ApiErrorCode code) noexcept {
  switch (code) {
    case ApiErrorCode::InvalidArgument: return status::bad_request;
    case ApiErrorCode::Unauthorized: return status::unauthorized;
    case ApiErrorCode::NotFound:
    case ApiErrorCode::SessionNotFound: return status::not_found;
    case ApiErrorCode::MethodNotAllowed: return status::method_not_allowed;
    case ApiErrorCode::InvalidState:
    case ApiErrorCode::Conflict: return status::conflict;
    case ApiErrorCode::PayloadTooLarge: return status::payload_too_large;
    case ApiErrorCode::Unsupported: return status::unprocessable_entity;
    case ApiErrorCode::LimitExceeded: return status::too_many_requests;
    case ApiErrorCode::Internal: return status::internal_server_error;
    case ApiErrorCode::Unavailable: return status::service_unavailable;
    case ApiErrorCode::Timeout: return status::gateway_timeout;
  }
  return status::internal_server_error;
}

ApiErrorCode code_for(const Error& error, ApiErrorCode not_found) noexcept {
  switch (error.code) {
    case Errc::InvalidArgument: return ApiErrorCode::InvalidArgument;
    case Errc::NotFound: return not_found;
    case Errc::InvalidState: return ApiErrorCode::InvalidState;
    case Errc::LimitExceeded: return ApiErrorCode::LimitExceeded;
    case Errc::Unsupported: return ApiErrorCode::Unsupported;
    case Errc::Timeout: return ApiErrorCode::Timeout;
    case Errc::Io: return ApiErrorCode::Unavailable;
    case Errc::Internal: return ApiErrorCode::Internal;
  }
  return ApiErrorCode::Internal;
}

}  // namespace voxgate::api
