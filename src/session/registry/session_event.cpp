#include "session/registry/session_event.hpp"

namespace voxgate::session {

std::string_view to_string(SessionEventKind kind) noexcept {
  switch (kind) {
    case SessionEventKind::Created: return "created";
    case SessionEventKind::Updated: return "updated";
    case SessionEventKind::Ended: return "ended";
    case SessionEventKind::Removed: return "removed";
    case SessionEventKind::Overflow: return "overflow";
  }
  return "unknown";
}

}  // namespace voxgate::session
