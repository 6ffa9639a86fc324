#pragma once
// Where a SIP message came from or goes to, and over what (RFC 3261 §18).
// These are the nouns shared by the transport and the layers above it.

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

#include "base/clock.hpp"
#include "base/strong_id.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

// The transports of RFC 3261 §18 we speak. TLS and WebSocket arrive with a
// later issue; adding them here is the seam.
enum class TransportKind : std::uint8_t { Udp, Tcp };

// The Via sent-protocol token: "UDP", "TCP".
std::string_view to_string(TransportKind kind) noexcept;
// Case-insensitive inverse of to_string (§20.42: transport tokens are
// case-insensitive); nullopt for transports we do not speak.
std::optional<TransportKind> transport_from_token(std::string_view token) noexcept;
// Reliable transports need no retransmissions (§17.1.1.2 Timer A).
constexpr bool is_reliable(TransportKind kind) noexcept {
  return kind != TransportKind::Udp;
}

// A TCP (later TLS/WS) connection. The high bits name the worker loop that
// owns the connection, so any loop can route to it without a shared map.
using ConnectionId = StrongId<struct ConnectionIdTag>;

struct Address {
  boost::asio::ip::address ip;
  std::uint16_t port = 0;

  friend bool operator==(const Address&, const Address&) = default;
};

// The path one message travelled: over which transport, between which
// addresses, and on which connection (ConnectionId{} for UDP).
struct Flow {
  TransportKind transport = TransportKind::Udp;
  Address remote;
  Address local;
  ConnectionId connection{};

  friend bool operator==(const Flow&, const Flow&) = default;
};

// Where to send a request: the next hop of §8.1.2 after resolution.
struct Target {
  TransportKind transport = TransportKind::Udp;
  Address address;

  friend bool operator==(const Target&, const Target&) = default;
};

// A message as the transport hands it up: parsed, validated, with the flow
// it arrived on. For requests the transport has already applied §18.2.1
// (received) and RFC 3581 §4 (rport) to the top Via.
struct InboundMessage {
  Message message;
  Flow flow;
  Clock::TimePoint received_at{};
};

}  // namespace voxgate::sip

template <>
struct fmt::formatter<voxgate::sip::Address> : fmt::formatter<std::string_view> {
  template <class Ctx>
  auto format(const voxgate::sip::Address& a, Ctx& ctx) const {
    if (a.ip.is_v6()) return fmt::format_to(ctx.out(), "[{}]:{}", a.ip.to_string(), a.port);
    return fmt::format_to(ctx.out(), "{}:{}", a.ip.to_string(), a.port);
  }
};
