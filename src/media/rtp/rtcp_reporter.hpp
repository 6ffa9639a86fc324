#pragma once
// Our side of RTCP for one stream (RFC 3550 §6): what goes into the report
// we send (an SR when we sent RTP since the previous report, else an RR,
// §6.4), the timing of the peer's last SR that our report block echoes
// (LSR/DLSR, §6.4.1), the round-trip time computed from the peer's report
// block about us (§6.4.1, Figure 2), and when the next report is due (§6.2:
// at least 5 s apart for a two-party session; randomised by [0.5, 1.5],
// §6.3.1, so that streams started together do not report in lockstep).
//
// Pure logic: times are NTP timestamps (64-bit, 32.32 fixed point) the
// caller supplies, so tests need no clock.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_receive_stats.hpp"

namespace voxgate::media {

// The middle 32 bits of an NTP timestamp: the unit of LSR and of RTT
// arithmetic (1/65536 s).
constexpr std::uint32_t ntp_middle32(std::uint64_t ntp) noexcept {
  return static_cast<std::uint32_t>(ntp >> 16);
}

class RtcpReporter {
 public:
  RtcpReporter(std::uint32_t ssrc, std::string cname) : ssrc_(ssrc), cname_(std::move(cname)) {}

  // Counts an RTP packet we sent (the SR's sender information).
  void on_rtp_sent(std::uint32_t rtp_timestamp, std::size_t payload_bytes) noexcept;

  // A compound from the peer, arrived at `ntp_now`: remembers its SR's
  // timing and takes the round-trip time from a report block about us.
  void on_received(const RtcpCompound& compound, std::uint64_t ntp_now);

  // Appends our compound: SR or RR, a report block on the peer's stream
  // when `received` is given (its SSRC `remote_ssrc`), SDES CNAME, and BYE
  // when `bye`. `rtp_now` is our RTP timestamp at `ntp_now`.
  std::size_t write_report(RtpReceiveStats* received, std::uint32_t remote_ssrc, std::uint64_t ntp_now,
                           std::uint32_t rtp_now, bool bye, std::vector<std::uint8_t>& out);

  // Round-trip time in seconds, from the newest report block about us that
  // echoed one of our SRs; nullopt before.
  [[nodiscard]] std::optional<double> round_trip_seconds() const noexcept { return rtt_; }
  // The newest report block the peer sent about our stream.
  [[nodiscard]] const std::optional<ReportBlock>& peer_report() const noexcept { return peer_report_; }
  [[nodiscard]] std::uint64_t reports_sent() const noexcept { return reports_sent_; }
  [[nodiscard]] std::uint64_t reports_received() const noexcept { return reports_received_; }
  [[nodiscard]] std::uint32_t ssrc() const noexcept { return ssrc_; }

  // §6.2/§6.3.1: the interval to the next report, in milliseconds, from a
  // uniform random value in [0, 1).
  static std::uint32_t next_interval_ms(double uniform01) noexcept;

 private:
  std::uint32_t ssrc_;
  std::string cname_;
  std::uint32_t packets_sent_ = 0;
  std::uint32_t octets_sent_ = 0;
  bool sent_since_report_ = false;
  std::optional<std::uint32_t> last_sr_;  // middle 32 bits of the peer's last SR NTP time
  std::uint64_t last_sr_arrival_ = 0;     // our NTP time when it arrived
  std::optional<double> rtt_;
  std::optional<ReportBlock> peer_report_;
  std::uint64_t reports_sent_ = 0;
  std::uint64_t reports_received_ = 0;
};

}  // namespace voxgate::media
