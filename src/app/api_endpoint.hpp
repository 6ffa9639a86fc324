#pragma once
// Where the operator commands (`voxgate sessions`, `voxgate hangup`) find
// the running gateway's API, and how they call it.
//
// The URL, first found wins:
//   1. --api URL                   http://127.0.0.1:8080 (a path prefix is kept)
//   2. --config FILE               its [api] listen, read as `voxgate serve`
//                                  reads it (environment included); a
//                                  wildcard address (0.0.0.0, ::) means loopback
//   3. VOXGATE_API_URL
//   4. http://127.0.0.1:8080       (the configuration's default listen)
// The bearer token, first found wins:
//   1. --token T   2. VOXGATE_API_TOKEN   3. --config FILE's first [api] tokens
//   entry (or VOXGATE_API_TOKENS')   4. none: no Authorization header
// (enough for an API on loopback without tokens).

#include <chrono>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

#include "app/config.hpp"
#include "base/result.hpp"
#include "net/http/http_client.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace voxgate::app {

inline constexpr std::string_view kDefaultApiUrl = "http://127.0.0.1:8080";

struct ApiEndpointOptions {
  std::string api_url;      // --api; "" = find it
  std::string token;        // --token; "" = find it
  std::string config_path;  // --config; "" = none
};

struct ApiEndpoint {
  std::string base_url;  // "http://127.0.0.1:8080", no trailing '/'
  std::string token;     // "" = no Authorization header
};

// InvalidArgument naming the option or variable at fault: a malformed URL,
// a configuration that does not load, or an [api] listen the CLI cannot
// reach (off, or port 0).
Result<ApiEndpoint> resolve_api_endpoint(const ApiEndpointOptions& options, const EnvironmentLookup& getenv);

// Adds --api, --token and --config to `command`, with the rules above as
// its help footer, after `footer` (the command's own notes) if any.
void add_api_endpoint_options(CLI::App& command, ApiEndpointOptions& options, std::string_view footer = {});

// One request to the API (`target`: "/v1/sessions?..."), with the token.
// Any HTTP status is a response; errors are the client's (unreachable,
// timeout), their message naming the URL.
Result<net::HttpResponseData> call_api(const ApiEndpoint& endpoint, boost::beast::http::verb method,
                                       std::string_view target,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

// "SESSION_NOT_FOUND: no session 999999" from the API's error answer
// ({code, message, details}); "HTTP 502 Bad Gateway: <body>" when the body
// is not one.
std::string describe_api_error(const net::HttpResponseData& response);

// `text` percent-encoded for a query value or a path segment: everything
// but RFC 3986's unreserved characters (ALPHA DIGIT - . _ ~) as %HH.
std::string url_escape(std::string_view text);

}  // namespace voxgate::app
