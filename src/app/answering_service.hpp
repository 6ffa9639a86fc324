#pragma once
// What `voxgate serve` does with incoming calls until the session layer
// arrives: answer every INVITE (optionally after ringing for a while) with
// an SDP whose RTP port is really reserved for the call, run the call's
// media with the configured app once it is established (CallMedia), hang up
// when the media ends by itself (media timeout, a prompt played once), log
// every digit and a media summary per call, and account for every call. Over the configured number of calls
// it answers 503 with Retry-After (RFC 3261 §21.5.4) instead of degrading.
//
// One per worker loop; the call budget (CallBudget) is shared by all loops.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "app/call_media.hpp"
#include "base/log.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "runtime/timer_service.hpp"
#include "sdp/local_media.hpp"
#include "sip/dialog/call_observer.hpp"

namespace voxgate::sip {
class DialogLayer;
}

namespace voxgate::app {

// Calls in progress across every loop, against a limit. Lock-free.
class CallBudget {
 public:
  explicit CallBudget(std::uint32_t limit) : limit_(limit) {}
  // False when the limit is reached; then nothing was taken.
  bool try_take() noexcept;
  void give_back() noexcept { in_use_.fetch_sub(1, std::memory_order_relaxed); }
  [[nodiscard]] std::uint32_t in_use() const noexcept { return in_use_.load(std::memory_order_relaxed); }

 private:
  std::uint32_t limit_;
  std::atomic<std::uint32_t> in_use_{0};
};

struct AnsweringPolicy {
  std::chrono::milliseconds answer_delay{0};  // 180 Ringing this long before the 200
  sdp::LocalMediaConfig media;                // rtp_port is filled per call
};

// Per-loop counters; every call that reached on_invite ends in exactly one
// of answered-then-ended or failed.
struct AnsweringStats {
  std::uint64_t offered = 0;   // INVITEs that reached the service
  std::uint64_t answered = 0;  // 2xx acknowledged
  std::uint64_t failed = 0;    // never established (cancelled, rejected, no ACK...)
  std::uint64_t ended = 0;     // answered calls that ended
  std::uint64_t over_budget = 0;
  std::uint64_t no_rtp_port = 0;
  std::uint64_t media_failed = 0;  // established, but no stream could start: hung up
  std::uint64_t media_ended = 0;   // hung up because the media ended by itself
  std::uint64_t dtmf_digits = 0;   // digits received, every way
  // Media totals over the calls whose stream ended (the media benchmark's
  // server side): RtpStreamStats summed when each call's stream stops.
  std::uint64_t media_streams = 0;  // streams summed here
  std::uint64_t media_packets_received = 0;
  std::uint64_t media_packets_sent = 0;
  std::int64_t media_lost = 0;  // RtpStreamStats::lost: expected - received
  std::uint64_t media_concealed = 0;
};

class AnsweringService final : public sip::IncomingCallHandler, private CallMediaListener {
 public:
  // `media`: the loop's call media; nullptr answers calls without running
  // their media (signalling-only tests).
  AnsweringService(runtime::Timers& timers, media::RtpPortPool& ports, CallBudget& budget, AnsweringPolicy policy,
                   Logger log, CallMedia* media = nullptr);
  AnsweringService(const AnsweringService&) = delete;
  AnsweringService& operator=(const AnsweringService&) = delete;
  ~AnsweringService() override;

  // The layer deferred answers go through; before the first call.
  void attach(sip::DialogLayer& layer) noexcept { layer_ = &layer; }

  [[nodiscard]] const AnsweringStats& stats() const noexcept { return stats_; }
  [[nodiscard]] std::size_t calls_held() const noexcept { return calls_.size(); }

  sip::CallDecision on_invite(const sip::IncomingInvite& invite) override;
  void on_call_answered(sip::CallHandle call, const sdp::NegotiatedMedia& media) override;
  void on_call_failed(sip::CallHandle call, std::uint16_t status) override;
  void on_call_ended(sip::CallHandle call, sip::DialogEndReason reason) override;
  void on_call_media_changed(sip::CallHandle call, const sdp::NegotiatedMedia& media) override;
  // SIP INFO digits (RFC 6086, application/dtmf-relay).
  void on_call_dtmf(sip::CallHandle call, char digit, std::uint32_t duration_ms) override;

 private:
  struct HeldCall {
    media::RtpPortReservation ports;
    std::optional<runtime::TimerId> answer_timer;
    std::string call_id;
    std::string digits;  // every digit received, in order
  };

  void on_media_dtmf(sip::CallHandle call, char digit, std::string_view source) override;
  void on_call_media_ended(sip::CallHandle call, media::StreamEndReason reason) override;
  void log_media_summary(sip::CallHandle call, std::string_view outcome);

  void answer_later(sip::CallHandle call);
  void release(sip::CallHandle call);

  runtime::Timers& timers_;
  media::RtpPortPool& ports_;
  CallBudget& budget_;
  AnsweringPolicy policy_;
  Logger log_;
  CallMedia* media_;
  sip::DialogLayer* layer_ = nullptr;
  std::unordered_map<sip::CallHandle, HeldCall> calls_;
  AnsweringStats stats_;
};

}  // namespace voxgate::app
