#pragma once
// Call counters for /metrics, kept from the event journal (an observer, so
// every entry is seen once, under the journal's lock): calls started by
// direction, ended by who ended them, why and the final SIP status,
// call-setup latency (the INVITE to the answer), DTMF digits, and the RTP
// totals of every stream that stopped.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "api/event_journal.hpp"
#include "api/metrics/histogram.hpp"
#include "api/metrics/prometheus_text.hpp"

namespace voxgate::api {

class CallMetrics {
 public:
  CallMetrics();

  // The journal observer.
  void on_entry(const JournalEntry& entry);
  // Appends the families to `text`; any thread.
  void render(PrometheusText& text) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> started_;                                        // by direction
  std::map<std::tuple<std::string, std::string, std::uint16_t>, std::uint64_t> ended_;  // by, cause, status
  std::uint64_t dtmf_ = 0;
  std::uint64_t timer_expired_ = 0;
  std::uint64_t streams_ = 0;
  std::uint64_t packets_sent_ = 0;
  std::uint64_t packets_received_ = 0;
  std::int64_t packets_lost_ = 0;
  Histogram setup_latency_;
  Histogram jitter_;  // per stream, at its end (seconds)
};

}  // namespace voxgate::api
