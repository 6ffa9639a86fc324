#pragma once
// The pieces of our blind transfer (RFC 3515) that need no transport: the
// one state variable of a call's transfer, with its allowed moves, and the
// reading of a NOTIFY's message/sipfrag body (RFC 3420) for the status of
// the request the transferee sent to the target (RFC 3515 §2.4.5).

#include <chrono>
#include <cstdint>
#include <string_view>

#include "base/result.hpp"

namespace voxgate::sip {

// A call's transfer (one at a time per dialog):
//   Idle       -> Referring   our REFER is out
//   Referring  -> Subscribed  its 2xx: the implicit subscription exists (§2.4.2)
//   Referring  -> Idle        refused, timed out, or a final NOTIFY before the 2xx
//   Subscribed -> Idle        the final NOTIFY, a terminated subscription, the deadline
enum class TransferPhase : std::uint8_t { Idle, Referring, Subscribed };

std::string_view to_string(TransferPhase phase) noexcept;

// Ok for a move of the table above; InvalidState naming both phases otherwise.
Result<void> check_transfer_move(TransferPhase from, TransferPhase to);

// How long a transfer may take from the REFER to the NOTIFY with a final
// status. RFC 3515 sets no bound; without one a transferee that never sends
// the final NOTIFY would hold the call in Transferring forever. 64*T1 (32 s,
// Timer F's) covers the REFER's own transaction plus a target that answers
// within the usual ringing time of an unanswered INVITE's 408.
inline constexpr std::chrono::seconds kTransferOutcomeTimeout{32};

// The status a transfer fails with when no final sipfrag arrived: the
// deadline passed, or the REFER's transaction timed out (RFC 3261 §8.1.3.1).
inline constexpr std::uint16_t kTransferTimeoutStatus = 408;
// The status a transfer fails with when the transferee terminated the
// subscription without a final status (RFC 6665 §4.1.3: the subscription is
// over, the outcome will never be told).
inline constexpr std::uint16_t kTransferAbandonedStatus = 487;

// The status code of the status line that opens a message/sipfrag body
// (RFC 3420 §2; RFC 3515 §2.4.5: "SIP/2.0 200 OK"). InvalidArgument when
// the body does not open with "SIP/2.0 <100-699>" followed by SP or the
// end of the line.
Result<std::uint16_t> sipfrag_status(std::string_view body);

}  // namespace voxgate::sip
