#include "media/rtp/rtp_receive_stats.hpp"

#include <algorithm>

namespace voxgate::media {

namespace {

constexpr std::uint32_t kSeqMod = 1U << 16;
constexpr std::size_t kWindow = 128;

}  // namespace

void RtpReceiveStats::init_sequence(std::uint16_t sequence) noexcept {
  // A.1 init_seq().
  base_seq_ = sequence;
  max_seq_ = sequence;
  bad_seq_ = kSeqMod + 1;
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
  window_.reset();
  window_.set(sequence % kWindow);
}

void RtpReceiveStats::note_seen(std::uint16_t sequence) noexcept {
  window_.set(sequence % kWindow);
}

bool RtpReceiveStats::seen(std::uint16_t sequence) const noexcept {
  return window_.test(sequence % kWindow);
}

bool RtpReceiveStats::on_packet(std::uint16_t sequence, std::uint32_t rtp_timestamp, std::uint32_t arrival,
                                std::size_t payload_bytes) {
  ++counters_.packets;
  counters_.bytes += payload_bytes;

  // A.8: transit time differences, in timestamp units, smoothed by 1/16.
  const auto transit = static_cast<std::int64_t>(static_cast<std::int32_t>(arrival - rtp_timestamp));
  if (have_transit_) {
    const std::int64_t d = transit > last_transit_ ? transit - last_transit_ : last_transit_ - transit;
    const std::int64_t jitter = jitter_q4_;
    jitter_q4_ = static_cast<std::uint32_t>(std::max<std::int64_t>(0, jitter + d - ((jitter + 8) >> 4)));
  }
  have_transit_ = true;
  last_transit_ = transit;

  if (!started_) {
    // A.1: a new source starts in probation, max_seq one below its first packet.
    started_ = true;
    init_sequence(sequence);
    max_seq_ = static_cast<std::uint16_t>(sequence - 1);
    probation_ = kMinSequential;
  }

  const auto udelta = static_cast<std::uint16_t>(sequence - max_seq_);
  if (probation_ > 0) {
    // Packets must arrive in sequence before the source is trusted.
    if (sequence == static_cast<std::uint16_t>(max_seq_ + 1)) {
      --probation_;
      max_seq_ = sequence;
      if (probation_ == 0) {
        init_sequence(sequence);
        ++received_;
        return true;
      }
    } else {
      probation_ = kMinSequential - 1;
      max_seq_ = sequence;
    }
    return false;
  }
  if (udelta == 0) {
    ++counters_.duplicates;
  } else if (udelta < kMaxDropout) {
    // In order, possibly with a gap: forget what the window held for the
    // sequence numbers skipped over.
    const std::size_t skipped = std::min<std::size_t>(udelta, kWindow);
    for (std::size_t i = 1; i <= skipped; ++i) window_.reset((max_seq_ + i) % kWindow);
    if (sequence < max_seq_) cycles_ += kSeqMod;  // wrapped
    max_seq_ = sequence;
    note_seen(sequence);
  } else if (udelta <= kSeqMod - kMaxMisorder) {
    // A very large jump: believe it only when the next packet follows it.
    if (sequence == bad_seq_) {
      ++counters_.resyncs;
      init_sequence(sequence);
    } else {
      bad_seq_ = (sequence + 1U) & (kSeqMod - 1);
      return false;
    }
  } else {
    // Behind the highest: a duplicate, or a late (reordered) packet.
    const std::uint32_t behind = kSeqMod - udelta;
    if (behind < kWindow && seen(sequence)) {
      ++counters_.duplicates;
    } else {
      ++counters_.out_of_order;
      if (behind < kWindow) note_seen(sequence);
    }
  }
  ++received_;
  return true;
}

std::uint32_t RtpReceiveStats::expected() const noexcept {
  if (!started_ || probation_ > 0) return 0;
  return extended_highest() - base_seq_ + 1;
}

std::int64_t RtpReceiveStats::cumulative_lost() const noexcept {
  return static_cast<std::int64_t>(expected()) - received_;
}

ReportBlock RtpReceiveStats::make_report(std::uint32_t ssrc, std::uint32_t last_sr, std::uint32_t delay_since_last_sr) {
  // A.3: the fraction lost over the interval since the previous report.
  const std::uint32_t expected_now = expected();
  const std::uint32_t expected_interval = expected_now - expected_prior_;
  const std::uint32_t received_interval = received_ - received_prior_;
  expected_prior_ = expected_now;
  received_prior_ = received_;
  const std::int64_t lost_interval =
      static_cast<std::int64_t>(expected_interval) - static_cast<std::int64_t>(received_interval);
  std::uint8_t fraction = 0;
  if (expected_interval != 0 && lost_interval > 0) {
    fraction = static_cast<std::uint8_t>(std::min<std::int64_t>(255, (lost_interval << 8) / expected_interval));
  }
  ReportBlock block;
  block.ssrc = ssrc;
  block.fraction_lost = fraction;
  block.cumulative_lost = static_cast<std::int32_t>(std::clamp<std::int64_t>(cumulative_lost(), -0x800000, 0x7fffff));
  block.highest_sequence = extended_highest();
  block.jitter = jitter();
  block.last_sr = last_sr;
  block.delay_since_last_sr = delay_since_last_sr;
  return block;
}

}  // namespace voxgate::media
