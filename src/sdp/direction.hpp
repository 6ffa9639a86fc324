#pragma once
// Media direction attributes (RFC 4566 §6: a=sendrecv, a=sendonly,
// a=recvonly, a=inactive) and the offer/answer arithmetic on them (RFC 3264
// §6.1). A direction is always from the point of view of the description
// that carries it: "sendonly" in a peer's SDP means the peer sends.

#include <cstdint>
#include <optional>
#include <string_view>

namespace voxgate::sdp {

enum class Direction : std::uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };

// The attribute name: "sendrecv", "sendonly", "recvonly", "inactive".
std::string_view to_string(Direction direction) noexcept;
// From an attribute name (ASCII case-insensitive); nullopt for other names.
std::optional<Direction> direction_from_name(std::string_view name) noexcept;

constexpr bool sends(Direction d) noexcept {
  return d == Direction::SendRecv || d == Direction::SendOnly;
}
constexpr bool receives(Direction d) noexcept {
  return d == Direction::SendRecv || d == Direction::RecvOnly;
}
constexpr Direction make_direction(bool send, bool receive) noexcept {
  if (send) return receive ? Direction::SendRecv : Direction::SendOnly;
  return receive ? Direction::RecvOnly : Direction::Inactive;
}

// The same stream seen from the other end: sendonly <-> recvonly.
constexpr Direction reverse(Direction d) noexcept {
  return make_direction(receives(d), sends(d));
}

// RFC 3264 §6.1: the answer's direction for an offered one, given what the
// answerer wants. We may send only if the offerer receives, and receive only
// if it sends: offer sendonly -> answer recvonly, recvonly -> sendonly,
// inactive -> inactive, sendrecv -> whatever we want.
constexpr Direction answer_direction(Direction offered, Direction wanted) noexcept {
  return make_direction(receives(offered) && sends(wanted), sends(offered) && receives(wanted));
}

}  // namespace voxgate::sdp
