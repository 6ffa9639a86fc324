#include "sdp/direction.hpp"

#include "base/ascii.hpp"

namespace voxgate::sdp {

std::string_view to_string(Direction direction) noexcept {
  switch (direction) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> direction_from_name(std::string_view name) noexcept {
  for (const Direction d : {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive}) {
    if (ascii::iequals(name, to_string(d))) return d;
  }
  return std::nullopt;
}

}  // namespace voxgate::sdp
