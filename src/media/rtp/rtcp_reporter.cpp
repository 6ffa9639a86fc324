#include "media/rtp/rtcp_reporter.hpp"

namespace voxgate::media {

namespace {
constexpr std::uint32_t kMinimumIntervalMs = 5000;  // RFC 3550 §6.2
}  // namespace

void RtcpReporter::on_rtp_sent(std::uint32_t /*rtp_timestamp*/, std::size_t payload_bytes) noexcept {
  // §6.4.1: both counts wrap modulo 2^32.
  ++packets_sent_;
  octets_sent_ += static_cast<std::uint32_t>(payload_bytes);
  sent_since_report_ = true;
}

void RtcpReporter::on_received(const RtcpCompound& compound, std::uint64_t ntp_now) {
  ++reports_received_;
  for (const RtcpReport& report : compound.reports) {
    if (report.sender) {
      last_sr_ = ntp_middle32(report.sender->ntp_timestamp);
      last_sr_arrival_ = ntp_now;
    }
    for (const ReportBlock& block : report.blocks) {
      if (block.ssrc != ssrc_) continue;
      peer_report_ = block;
      // §6.4.1, Figure 2: RTT = A - LSR - DLSR, all in 1/65536 s. No SR of
      // ours reached the peer yet when LSR is 0.
      if (block.last_sr == 0) continue;
      const std::uint32_t arrival = ntp_middle32(ntp_now);
      const auto rtt_units = static_cast<std::int32_t>(arrival - block.last_sr - block.delay_since_last_sr);
      if (rtt_units >= 0) rtt_ = static_cast<double>(rtt_units) / 65536.0;
    }
  }
}

std::size_t RtcpReporter::write_report(RtpReceiveStats* received, std::uint32_t remote_ssrc, std::uint64_t ntp_now,
                                       std::uint32_t rtp_now, bool bye, std::vector<std::uint8_t>& out) {
  RtcpOutgoing packet;
  packet.ssrc = ssrc_;
  if (sent_since_report_) packet.sender = SenderInfo{ntp_now, rtp_now, packets_sent_, octets_sent_};
  if (received != nullptr) {
    std::uint32_t lsr = 0;
    std::uint32_t dlsr = 0;
    if (last_sr_) {
      lsr = *last_sr_;
      dlsr = ntp_middle32(ntp_now - last_sr_arrival_);
    }
    packet.blocks.push_back(received->make_report(remote_ssrc, lsr, dlsr));
  }
  packet.cname = cname_;
  packet.bye = bye;
  sent_since_report_ = false;
  ++reports_sent_;
  return write_rtcp(packet, out);
}

std::uint32_t RtcpReporter::next_interval_ms(double uniform01) noexcept {
  const double factor = 0.5 + (uniform01 < 0 ? 0 : uniform01 > 1 ? 1 : uniform01);
  return static_cast<std::uint32_t>(kMinimumIntervalMs * factor);
}

}  // namespace voxgate::media
