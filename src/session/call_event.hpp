#pragma once
// What happens in a call beyond its state (which the registry's change feed
// carries): DTMF, media starting and stopping, the session timer expiring.
// The control plane turns them into events for its WebSocket clients,
// webhooks and CDRs; a session reports them to the CallEventSink of its
// services, on its worker loop.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::session {

enum class CallEventKind : std::uint8_t {
  Dtmf,          // detail: the digit; via: rfc4733, inband or sip-info
  MediaStarted,  // detail: the codec ("PCMU/8000")
  MediaStopped,  // totals: the stream's counters over its life
  TimerExpired,  // the session timer ran out (RFC 4028 §10)
  App,           // the application's own (Session::report_app_event): via: its
                 // type ("bot.transcript"); detail: a JSON object of its fields
  // Our blind transfer (Session::transfer, RFC 3515); detail: a JSON object
  // {"target": "sip:...", "status": N} (status 0 when there is none yet).
  TransferRequested,  // the REFER went out
  TransferAccepted,   // the transferee accepted it (2xx, usually 202)
  TransferProgress,   // a NOTIFY told a provisional status (100 Trying, 180...)
  TransferSucceeded,  // a NOTIFY told a 2xx: we hang up, CallEnded says transferred
  TransferFailed,     // refused, a final status >= 300, or no outcome in time (408)
};

// A stream's counters when it stopped (the CDR's RTP columns).
struct MediaTotals {
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;
  std::int64_t packets_lost = 0;
  std::uint32_t jitter_ms = 0;

  friend bool operator==(const MediaTotals&, const MediaTotals&) = default;
};

struct CallEvent {
  SessionId session;
  CallEventKind kind = CallEventKind::Dtmf;
  Clock::WallTime time;
  std::string detail;
  std::string via;
  MediaTotals totals;
};

std::string_view to_string(CallEventKind kind) noexcept;

class CallEventSink {
 public:
  CallEventSink() = default;
  CallEventSink(const CallEventSink&) = delete;
  CallEventSink& operator=(const CallEventSink&) = delete;
  virtual ~CallEventSink() = default;

  // On the session's worker loop; must be quick (queue and return).
  virtual void on_call_event(CallEvent event) = 0;
};

}  // namespace voxgate::session
