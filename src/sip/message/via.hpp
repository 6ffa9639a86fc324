#pragma once
// One Via value (via-parm, RFC 3261 §20.42 and §25.1; received/rport of
// RFC 3581; IPv6 forms of RFC 5118 §4.5).

#include <cstdint>
#include <optional>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip {

// The branch prefix that marks an RFC 3261 transaction id (§8.1.1.7).
inline constexpr std::string_view kMagicCookie = "z9hG4bK";

struct Via {
  // User-provided for the reason Uri's is (uri.hpp).
  Via();

  std::string_view protocol_name;     // "SIP"
  std::string_view protocol_version;  // "2.0"
  std::string_view transport;         // "UDP", "TCP", "TLS", "SCTP", "WS", ... as written
  std::string_view host;              // sent-by host as written (IPv6 keeps brackets)
  HostKind host_kind = HostKind::None;
  std::optional<std::uint16_t> port;
  Params params;

  [[nodiscard]] std::optional<std::string_view> branch() const noexcept { return params.get("branch"); }
  [[nodiscard]] std::optional<std::string_view> received() const noexcept { return params.get("received"); }
  [[nodiscard]] std::optional<std::string_view> maddr() const noexcept { return params.get("maddr"); }
  // rport present at all (a client asking for symmetric response routing).
  [[nodiscard]] bool has_rport() const noexcept { return params.has("rport"); }
  // The port a server filled in (RFC 3581 §4), when it did.
  [[nodiscard]] std::optional<std::uint16_t> rport() const noexcept;
  [[nodiscard]] std::optional<std::uint8_t> ttl() const noexcept;
  // True when the branch starts with the RFC 3261 magic cookie and has more
  // after it (a bare cookie identifies nothing; RFC 4475 §3.2.1).
  [[nodiscard]] bool has_rfc3261_branch() const noexcept;
};

inline Via::Via() = default;

Parsed<Via> parse_via(std::string_view value);
// In place, into a default-constructed Via (no moves of the value).
Parsed<void> parse_via_into(std::string_view value, Via& via);

}  // namespace voxgate::sip
