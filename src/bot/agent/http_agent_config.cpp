#include "bot/agent/http_agent_config.hpp"

#include <algorithm>
#include <string_view>

#include "base/ascii.hpp"
#include "net/http/url.hpp"

namespace voxgate::bot {
namespace {

// tchar of RFC 9110 §5.6.2: a field name is a token.
bool is_token(std::string_view name) noexcept {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return ascii::is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

}  // namespace

Result<void> validate(const HttpAgentConfig& config) {
  if (config.url.empty()) return make_error(Errc::InvalidArgument, "url: required for the HTTP agent");
  if (auto url = net::parse_http_url(config.url); !url) {
    return make_error(url.error().code, "url: {}", url.error().message);
  }
  for (const auto& [name, value] : config.headers) {
    if (!is_token(name)) {
      return make_error(Errc::InvalidArgument, "headers: '{}' is not a header name (RFC 9110 §5.1)", name);
    }
    // A CR or LF would let a value inject header fields (RFC 9110 §5.5).
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return make_error(Errc::InvalidArgument, "headers: {} contains CR, LF or NUL", name);
    }
    for (const std::string_view framing : {"connection", "content-length", "transfer-encoding"}) {
      if (ascii::iequals(name, framing)) {
        return make_error(Errc::InvalidArgument, "headers: {} is set by the HTTP client", name);
      }
    }
  }
  return {};
}

}  // namespace voxgate::bot
