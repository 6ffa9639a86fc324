#include "api/call_metrics.hpp"

#include <array>
#include <chrono>

#include <fmt/format.h>

#include "api/json_codec.hpp"

namespace voxgate::api {
namespace {

// RFC 3550 interarrival jitter on a phone call: a few ms is normal, tens
// of ms hurt.
constexpr std::array<double, 8> kJitterBuckets{0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25};

}  // namespace

CallMetrics::CallMetrics() : jitter_(kJitterBuckets) {}

void CallMetrics::on_entry(const JournalEntry& entry) {
  const std::lock_guard lock(mutex_);
  const session::SessionRecord& record = entry.record;
  if (entry.type == "session.created") {
    ++started_[std::string(session::to_string(record.direction))];
  } else if (entry.type == "session.ended" && record.end_info) {
    ++ended_[{std::string(session::to_string(record.end_info->by)),
              snake_case(session::to_string(record.end_info->cause)), record.end_info->sip_status}];
  } else if (entry.type == "session.updated" && record.state == session::SessionState::Connected &&
             record.last_cause == session::TransitionCause::Answered && record.answered) {
    // The one move to Connected that answers the call (a resume comes
    // with another cause).
    setup_latency_.observe(std::chrono::duration_cast<std::chrono::nanoseconds>(*record.answered - record.created));
  } else if (entry.type == "call.dtmf") {
    ++dtmf_;
  } else if (entry.type == "call.timer_expired") {
    ++timer_expired_;
  } else if (entry.totals) {
    ++streams_;
    packets_sent_ += entry.totals->packets_sent;
    packets_received_ += entry.totals->packets_received;
    packets_lost_ += entry.totals->packets_lost;
    jitter_.observe(std::chrono::milliseconds(entry.totals->jitter_ms));
  }
}

void CallMetrics::render(PrometheusText& text) const {
  const std::lock_guard lock(mutex_);
  text.family("voxgate_calls_started_total", "Sessions created, by direction.", MetricType::Counter);
  for (const auto& [direction, count] : started_) text.sample({{"direction", direction}}, count);
  text.family("voxgate_calls_ended_total",
              "Sessions ended, by who ended them, why, and the final SIP status (0: ended by BYE).",
              MetricType::Counter);
  for (const auto& [key, count] : ended_) {
    const std::string status = fmt::format("{}", std::get<2>(key));
    text.sample({{"ended_by", std::get<0>(key)}, {"cause", std::get<1>(key)}, {"sip_status", status}}, count);
  }
  text.family("voxgate_call_setup_seconds", "From the INVITE to the answer, answered calls only.",
              MetricType::Histogram);
  text.histogram({}, setup_latency_.snapshot());
  text.family("voxgate_dtmf_digits_total", "DTMF digits received (RFC 4733, in-band, SIP INFO).", MetricType::Counter);
  text.sample(dtmf_);
  text.family("voxgate_session_timer_expirations_total", "Sessions whose RFC 4028 session timer ran out.",
              MetricType::Counter);
  text.sample(timer_expired_);
  text.family("voxgate_rtp_streams_total", "RTP streams that ran and stopped.", MetricType::Counter);
  text.sample(streams_);
  text.family("voxgate_rtp_packets_sent_total", "RTP packets sent by streams that stopped.", MetricType::Counter);
  text.sample(packets_sent_);
  text.family("voxgate_rtp_packets_received_total", "RTP packets received by streams that stopped.",
              MetricType::Counter);
  text.sample(packets_received_);
  text.family("voxgate_rtp_packets_lost", "RTP packets lost (RFC 3550 cumulative loss) over streams that stopped.",
              MetricType::Gauge);
  text.sample(packets_lost_);
  text.family("voxgate_rtp_jitter_seconds", "Interarrival jitter of each stream at its end (RFC 3550 §6.4.1).",
              MetricType::Histogram);
  text.histogram({}, jitter_.snapshot());
}

}  // namespace voxgate::api
