#include "sip/dialog/dialog_state.hpp"

namespace voxgate::sip {

std::string_view to_string(DialogState state) noexcept {
  switch (state) {
    case DialogState::Early: return "Early";
    case DialogState::Confirmed: return "Confirmed";
    case DialogState::Terminated: return "Terminated";
  }
  return "Unknown";
}

std::string_view to_string(DialogEndReason reason) noexcept {
  switch (reason) {
    case DialogEndReason::LocalBye: return "local-bye";
    case DialogEndReason::RemoteBye: return "remote-bye";
    case DialogEndReason::Rejected: return "rejected";
    case DialogEndReason::Cancelled: return "cancelled";
    case DialogEndReason::Superseded: return "superseded";
    case DialogEndReason::NoAck: return "no-ack";
    case DialogEndReason::PeerGone: return "peer-gone";
    case DialogEndReason::SessionExpired: return "session-expired";
    case DialogEndReason::Shutdown: return "shutdown";
  }
  return "unknown";
}

Result<void> check_transition(DialogState from, DialogState to) {
  bool allowed = false;
  switch (from) {
    case DialogState::Early: allowed = to == DialogState::Confirmed || to == DialogState::Terminated; break;
    case DialogState::Confirmed: allowed = to == DialogState::Terminated; break;
    case DialogState::Terminated: allowed = false; break;
  }
  if (!allowed) {
    return make_error(Errc::InvalidState, "dialog cannot go from {} to {}", to_string(from), to_string(to));
  }
  return {};
}

}  // namespace voxgate::sip
