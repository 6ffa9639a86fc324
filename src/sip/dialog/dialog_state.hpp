#pragma once
// The states of a dialog (RFC 3261 §12): early (created by a provisional
// response with a To tag), confirmed (by a 2xx), terminated. The only moves
// are the ones RFC 3261 describes; anything else is a bug in the caller and
// is refused with an error that names both states.

#include <cstdint>
#include <string_view>

#include "base/result.hpp"

namespace voxgate::sip {

enum class DialogState : std::uint8_t { Early, Confirmed, Terminated };

std::string_view to_string(DialogState state) noexcept;

// Why a dialog ended; counted per reason by the dialog layer.
enum class DialogEndReason : std::uint8_t {
  LocalBye,        // we sent BYE (§15.1.1)
  RemoteBye,       // the peer sent BYE (§15.1.2)
  Rejected,        // the INVITE got a non-2xx final response (§12.3, §13.2.2.3)
  Cancelled,       // the INVITE was cancelled before a 2xx (§9)
  Superseded,      // an early dialog of a forked INVITE that never got a 2xx (§13.2.2.4)
  NoAck,           // our 2xx got no ACK within 64*T1 (§13.3.1.4)
  PeerGone,        // a request in the dialog got 481 or 408 (§12.2.1.2)
  SessionExpired,  // no session refresh in time (RFC 4028 §10): we sent BYE
  Shutdown,        // we are shutting down
};

std::string_view to_string(DialogEndReason reason) noexcept;

// Early -> Confirmed (a 2xx), Early -> Terminated (a non-2xx final, CANCEL,
// BYE on an early dialog), Confirmed -> Terminated (BYE, 481/408).
Result<void> check_transition(DialogState from, DialogState to);

}  // namespace voxgate::sip
