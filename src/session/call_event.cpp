#include "session/call_event.hpp"

namespace voxgate::session {

std::string_view to_string(CallEventKind kind) noexcept {
  switch (kind) {
    case CallEventKind::Dtmf: return "dtmf";
    case CallEventKind::MediaStarted: return "media-started";
    case CallEventKind::MediaStopped: return "media-stopped";
    case CallEventKind::TimerExpired: return "timer-expired";
    case CallEventKind::App: return "app";
    case CallEventKind::TransferRequested: return "transfer-requested";
    case CallEventKind::TransferAccepted: return "transfer-accepted";
    case CallEventKind::TransferProgress: return "transfer-progress";
    case CallEventKind::TransferSucceeded: return "transfer-succeeded";
    case CallEventKind::TransferFailed: return "transfer-failed";
  }
  return "?";
}

}  // namespace voxgate::session
