#include "session/registry/session_record.hpp"

namespace voxgate::session {

std::string_view to_string(Direction direction) noexcept {
  switch (direction) {
    case Direction::Inbound: return "inbound";
    case Direction::Outbound: return "outbound";
  }
  return "unknown";
}

std::string_view to_string(EndedBy by) noexcept {
  switch (by) {
    case EndedBy::Local: return "local";
    case EndedBy::Remote: return "remote";
    case EndedBy::System: return "system";
  }
  return "unknown";
}

}  // namespace voxgate::session
