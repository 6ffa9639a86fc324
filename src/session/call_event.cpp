#include "session/call_event.hpp"

namespace voxgate::session {

std::string_view to_string(CallEventKind kind) noexcept {
  switch (kind) {
    case CallEventKind::Dtmf: return "dtmf";
    case CallEventKind::MediaStarted: return "media-started";
    case CallEventKind::MediaStopped: return "media-stopped";
    case CallEventKind::TimerExpired: return "timer-expired";
    case CallEventKind::App: return "app";
  }
  return "?";
}

}  // namespace voxgate::session
