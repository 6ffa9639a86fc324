#pragma once
// WWW-Authenticate / Proxy-Authenticate challenges and Authorization /
// Proxy-Authorization credentials (RFC 3261 §20.7, §20.27, §20.28, §20.44,
// §25.1; RFC 8760 algorithms are just parameter values here). One header
// field carries one challenge or credential; its commas separate parameters.

#include <optional>
#include <string>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

struct AuthValue {
  std::string_view scheme;   // "Digest", or any other token (RFC 4475 §3.3.7)
  Params params;             // auth-param = token EQUAL ( token / quoted-string )
  std::string_view token68;  // for schemes that carry one opaque token instead ("Bearer x.y")

  [[nodiscard]] bool is_digest() const noexcept;
  // A parameter value with quotes removed and quoted-pairs resolved.
  [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
};

Parsed<AuthValue> parse_auth_value(std::string_view value);

}  // namespace voxgate::sip
