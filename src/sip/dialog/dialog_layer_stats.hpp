#pragma once
// Counters of one DialogLayer, for metrics. Plain integers: the layer runs on
// one loop; an exporter copies them on that loop.

#include <array>
#include <cstddef>
#include <cstdint>

#include "sip/dialog/dialog_state.hpp"

namespace voxgate::sip {

inline constexpr std::size_t kDialogEndReasons = static_cast<std::size_t>(DialogEndReason::Shutdown) + 1;

struct DialogLayerStats {
  std::uint64_t dialogs_created = 0;                             // early or confirmed, as UAS and UAC
  std::uint64_t dialogs_confirmed = 0;                           // reached Confirmed
  std::array<std::uint64_t, kDialogEndReasons> dialogs_ended{};  // indexed by DialogEndReason
  std::uint64_t no_ack_timeouts = 0;                             // 2xx never acknowledged within 64*T1 (§13.3.1.4)
  std::uint64_t rejected_by_checks = 0;          // §8.2 answered it (405, 415, 420, 483, ...) or OPTIONS
  std::uint64_t no_dialog = 0;                   // 481 to a request naming an unknown dialog
  std::uint64_t incompatible_media = 0;          // 488 for an offer we could not answer
  std::uint64_t calls_in = 0;                    // INVITEs that reached the application
  std::uint64_t calls_out = 0;                   // INVITEs we sent
  std::uint64_t stray_acks = 0;                  // ACKs for no dialog of ours, dropped
  std::uint64_t session_interval_too_small = 0;  // 422 to a Session-Expires below our Min-SE (RFC 4028 §9)
  std::uint64_t session_refreshes_sent = 0;      // UPDATE/re-INVITE refreshes we sent as the refresher
  std::uint64_t session_timer_expired = 0;       // no refresh from the peer in time (§10)
  std::uint64_t invites_retried_after_422 = 0;   // our INVITE again with a larger interval (RFC 4028 §7.4)
  std::uint64_t reoffers_sent = 0;               // re-INVITEs with a new offer of ours, retries included
  std::uint64_t reoffers_failed = 0;             // refused, timed out or out of 491 retries: rolled back
  std::uint64_t glare_retries = 0;               // 491 to a re-INVITE of ours: retried after §14.1's back-off
  std::uint64_t transfers_sent = 0;              // REFERs we sent (RFC 3515)
  std::uint64_t transfers_failed = 0;            // refused, timed out, or a final sipfrag >= 300

  [[nodiscard]] std::uint64_t ended_of(DialogEndReason reason) const noexcept {
    return dialogs_ended[static_cast<std::size_t>(reason)];
  }
};

}  // namespace voxgate::sip
