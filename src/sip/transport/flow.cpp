#include "sip/transport/flow.hpp"

#include "base/ascii.hpp"

namespace voxgate::sip {

std::string_view to_string(TransportKind kind) noexcept {
  switch (kind) {
    case TransportKind::Udp: return "UDP";
    case TransportKind::Tcp: return "TCP";
  }
  return "UDP";
}

std::optional<TransportKind> transport_from_token(std::string_view token) noexcept {
  if (ascii::iequals(token, "UDP")) return TransportKind::Udp;
  if (ascii::iequals(token, "TCP")) return TransportKind::Tcp;
  return std::nullopt;
}

}  // namespace voxgate::sip
