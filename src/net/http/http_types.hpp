#pragma once
// The HTTP message types of the control plane: Boost.Beast's, with string
// bodies (every body we take or give is JSON or text, and bounded by the
// server's limit), plus the few helpers every endpoint needs.

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace voxgate::net {

namespace http = boost::beast::http;

using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// A response to `request` (same version and keep-alive) with this body.
HttpResponse make_response(const HttpRequest& request, http::status status, std::string body,
                           std::string_view content_type = "application/json");

// The path of a request target without its query ("/v1/sessions?x=1" ->
// "/v1/sessions") and the query alone ("x=1").
std::string_view path_of(std::string_view target) noexcept;
std::string_view query_of(std::string_view target) noexcept;

// The JSON error body every endpoint answers with: {"code": "...",
// "message": "...", "details": {}}. Codes are stable identifiers
// (SESSION_NOT_FOUND, INVALID_ARGUMENT...); messages are for people.
std::string error_body(std::string_view code, std::string_view message);

}  // namespace voxgate::net
