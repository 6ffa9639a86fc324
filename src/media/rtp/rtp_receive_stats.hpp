#pragma once
// What a receiver knows about one RTP source (RFC 3550): the extended
// highest sequence number, packets expected and lost (Appendix A.1,
// including its probation of a new source and its resynchronisation after
// a large jump), loss since the last report (A.3), interarrival jitter
// (A.8), and per-stream counters the media stats report: packets, bytes,
// duplicates and out-of-order (late) arrivals. Feeds the report blocks of
// our RTCP (§6.4.1).
//
// Pure logic: the caller passes each packet's sequence number, RTP
// timestamp and arrival time in RTP timestamp units (the media clock of the
// codec), so tests need no clock.

#include <bitset>
#include <cstdint>

#include "media/rtp/rtcp_packet.hpp"

namespace voxgate::media {

struct RtpReceiveCounters {
  std::uint64_t packets = 0;       // every packet accepted from the source, probation included
  std::uint64_t bytes = 0;         // their payload bytes
  std::uint64_t duplicates = 0;    // a sequence number seen before (within the last 128)
  std::uint64_t out_of_order = 0;  // arrived after a higher sequence number
  std::uint64_t resyncs = 0;       // the source restarted its sequence (A.1 large jump confirmed)
};

class RtpReceiveStats {
 public:
  // Appendix A.1's constants.
  static constexpr std::uint32_t kMaxDropout = 3000;
  static constexpr std::uint32_t kMaxMisorder = 100;
  static constexpr std::uint32_t kMinSequential = 2;

  // Counts one packet. Returns false when A.1 says not to use it yet (a
  // source in probation, or the first packet after a large jump).
  bool on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp, std::uint32_t arrival, std::size_t payload_bytes);

  [[nodiscard]] const RtpReceiveCounters& counters() const noexcept { return counters_; }
  // Cycles count * 65536 + highest sequence number received (A.1).
  [[nodiscard]] std::uint32_t extended_highest() const noexcept { return cycles_ + max_seq_; }
  [[nodiscard]] std::uint32_t expected() const noexcept;
  // Expected minus received: negative with duplicates, as §6.4.1 allows.
  [[nodiscard]] std::int64_t cumulative_lost() const noexcept;
  // Interarrival jitter in RTP timestamp units (A.8).
  [[nodiscard]] std::uint32_t jitter() const noexcept { return jitter_q4_ >> 4; }

  // A report block on this source for `ssrc`, and the start of the next
  // reporting interval (A.3: fraction lost since the previous call).
  // `last_sr`/`delay_since_last_sr` come from the SR timing the caller keeps.
  ReportBlock make_report(std::uint32_t ssrc, std::uint32_t last_sr, std::uint32_t delay_since_last_sr);

 private:
  void init_sequence(std::uint16_t sequence) noexcept;
  void note_seen(std::uint16_t sequence) noexcept;
  bool seen(std::uint16_t sequence) const noexcept;

  bool started_ = false;
  std::uint32_t probation_ = kMinSequential;
  std::uint16_t max_seq_ = 0;
  std::uint32_t cycles_ = 0;
  std::uint32_t base_seq_ = 0;
  std::uint32_t bad_seq_ = 65536 + 1;
  std::uint32_t received_ = 0;
  std::uint32_t expected_prior_ = 0;
  std::uint32_t received_prior_ = 0;
  bool have_transit_ = false;
  std::int64_t last_transit_ = 0;
  std::uint32_t jitter_q4_ = 0;  // jitter * 16 (A.8's fixed point)
  std::bitset<128> window_;      // sequence numbers seen, by sequence % 128
  RtpReceiveCounters counters_;
};

}  // namespace voxgate::media
