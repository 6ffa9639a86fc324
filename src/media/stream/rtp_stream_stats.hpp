#pragma once
// The per-stream counters the media layer reports (issue 4: packets, bytes,
// loss, jitter, late/duplicate/out-of-order, concealment) and the call
// summary and the benchmark read.

#include <cstdint>
#include <optional>

#include "media/rtp/rtp_receive_stats.hpp"

namespace voxgate::media {

struct RtpStreamStats {
  // Sent.
  std::uint64_t packets_sent = 0;
  std::uint64_t bytes_sent = 0;  // RTP payload bytes
  std::uint64_t send_failures = 0;
  std::uint64_t dtmf_sent = 0;
  // Received (RFC 3550 A.1/A.8 bookkeeping of the peer's source).
  RtpReceiveCounters received;
  std::int64_t lost = 0;             // expected - received
  std::uint32_t jitter_ms = 0;       // interarrival jitter
  std::uint64_t malformed = 0;       // refused by the RTP/RTCP parsers
  std::uint64_t refused_source = 0;  // from a third address (RemoteLatch's hijack guard)
  std::uint64_t relatched = 0;
  std::uint64_t unknown_payload_type = 0;
  std::uint64_t stale_discarded = 0;  // left on a reused port by its previous call
  std::uint64_t dtmf_received = 0;
  // Playout: one of these per media tick while receiving.
  std::uint64_t frames_played = 0;
  std::uint64_t frames_concealed = 0;  // lost or late: packet-loss concealment
  std::uint64_t frames_silent = 0;     // nothing to play (start, DTX, a long outage)
  std::uint64_t jitter_buffer_resyncs = 0;
  std::uint64_t jitter_buffer_late = 0;     // arrived after their playout time: not played
  std::uint64_t jitter_buffer_skipped = 0;  // dropped unplayed to shrink the delay
  std::uint32_t jitter_buffer_delay_ms = 0;
  // RTCP.
  std::uint64_t rtcp_sent = 0;
  std::uint64_t rtcp_received = 0;
  std::optional<double> round_trip_ms;
  std::optional<std::int32_t> peer_reported_lost;  // what the peer's RR says about our stream
};

}  // namespace voxgate::media
