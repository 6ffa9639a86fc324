#include "app/answering_service.hpp"

#include "sip/dialog/dialog_layer.hpp"

namespace voxgate::app {

bool CallBudget::try_take() noexcept {
  std::uint32_t current = in_use_.load(std::memory_order_relaxed);
  while (current < limit_) {
    if (in_use_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

AnsweringService::AnsweringService(runtime::Timers& timers, media::RtpPortPool& ports, CallBudget& budget,
                                   AnsweringPolicy policy, Logger log, CallMedia* media)
    : timers_(timers),
      ports_(ports),
      budget_(budget),
      policy_(std::move(policy)),
      log_(std::move(log)),
      media_(media) {}

AnsweringService::~AnsweringService() {
  for (auto& [handle, held] : calls_) {
    if (media_ != nullptr) media_->stop(handle);  // the stream goes before the ports it adopted
    if (held.answer_timer) timers_.cancel(*held.answer_timer);
    budget_.give_back();
  }
}

sip::CallDecision AnsweringService::on_invite(const sip::IncomingInvite& invite) {
  ++stats_.offered;
  if (!budget_.try_take()) {
    ++stats_.over_budget;
    return sip::CallDecision::reject(503);  // the dialog layer adds Retry-After (§21.5.4)
  }
  auto ports = ports_.reserve();
  if (!ports) {
    budget_.give_back();
    ++stats_.no_rtp_port;
    log_.warn("rejecting call {}: {}", invite.call, ports.error().message);
    return sip::CallDecision::reject(503);  // the dialog layer adds Retry-After (§21.5.4)
  }
  auto [it, inserted] = calls_.emplace(
      invite.call, HeldCall{std::move(*ports), std::nullopt, std::string(invite.request.call_id().value_or("")), {}});
  if (policy_.answer_delay.count() > 0) {
    const sip::CallHandle call = invite.call;
    it->second.answer_timer = timers_.schedule(policy_.answer_delay, [this, call] { answer_later(call); });
    return sip::CallDecision::ring();
  }
  sdp::LocalMediaConfig media = policy_.media;
  media.rtp_port = it->second.ports.rtp_port();
  return sip::CallDecision::answer(std::move(media));
}

void AnsweringService::answer_later(sip::CallHandle call) {
  auto it = calls_.find(call);
  if (it == calls_.end() || layer_ == nullptr) return;
  it->second.answer_timer.reset();
  sdp::LocalMediaConfig media = policy_.media;
  media.rtp_port = it->second.ports.rtp_port();
  if (auto answered = layer_->answer(call, media); !answered) {
    log_.warn("call {}: cannot answer: {}", call, answered.error().message);
  }
}

void AnsweringService::on_call_answered(sip::CallHandle call, const sdp::NegotiatedMedia& media) {
  ++stats_.answered;
  log_.debug("call {} established", call);
  auto it = calls_.find(call);
  if (media_ == nullptr || it == calls_.end()) return;
  if (auto started = media_->start(call, it->second.call_id, it->second.ports, media, *this); !started) {
    ++stats_.media_failed;
    log_.warn("call {} (Call-ID {}): no media: {}; hanging up", call, it->second.call_id, started.error().message);
    if (layer_ != nullptr) (void)layer_->hangup(call);
  }
}

void AnsweringService::on_call_media_changed(sip::CallHandle call, const sdp::NegotiatedMedia& media) {
  if (media_ == nullptr) return;
  if (auto updated = media_->update(call, media); !updated) {
    log_.warn("call {}: media not updated: {}", call, updated.error().message);
  }
}

void AnsweringService::on_call_dtmf(sip::CallHandle call, char digit, std::uint32_t /*duration_ms*/) {
  on_media_dtmf(call, digit, "sip-info");
}

void AnsweringService::on_media_dtmf(sip::CallHandle call, char digit, std::string_view source) {
  ++stats_.dtmf_digits;
  auto it = calls_.find(call);
  if (it != calls_.end()) it->second.digits.push_back(digit);
  log_.info("call {} (Call-ID {}): DTMF {} via {}", call, it != calls_.end() ? it->second.call_id : "?", digit, source);
}

void AnsweringService::on_call_media_ended(sip::CallHandle call, media::StreamEndReason reason) {
  ++stats_.media_ended;
  log_.info("call {}: {}; hanging up", call, media::to_string(reason));
  if (layer_ != nullptr) {
    if (auto hung_up = layer_->hangup(call); !hung_up)
      log_.warn("call {}: cannot hang up: {}", call, hung_up.error().message);
  }
}

void AnsweringService::log_media_summary(sip::CallHandle call, std::string_view outcome) {
  auto it = calls_.find(call);
  if (media_ == nullptr || it == calls_.end()) return;
  const auto stats = media_->stop(call);
  if (!stats) return;
  ++stats_.media_streams;
  stats_.media_packets_received += stats->received.packets;
  stats_.media_packets_sent += stats->packets_sent;
  stats_.media_lost += stats->lost;
  stats_.media_concealed += stats->frames_concealed;
  log_.info(
      "call {} (Call-ID {}) {}: media sent {} packets, received {} (lost {}, duplicate {}, out of order {}), "
      "played {} frames, concealed {}, silent {}, jitter {} ms, jitter buffer late {} skipped {} delay {} ms, "
      "refused sources {}, RTCP sent {} received {}, DTMF \"{}\"",
      call, it->second.call_id, outcome, stats->packets_sent, stats->received.packets, stats->lost,
      stats->received.duplicates, stats->received.out_of_order, stats->frames_played, stats->frames_concealed,
      stats->frames_silent, stats->jitter_ms, stats->jitter_buffer_late, stats->jitter_buffer_skipped,
      stats->jitter_buffer_delay_ms, stats->refused_source, stats->rtcp_sent, stats->rtcp_received, it->second.digits);
}

void AnsweringService::on_call_failed(sip::CallHandle call, std::uint16_t status) {
  ++stats_.failed;
  log_.debug("call {} not established: {}", call, status);
  log_media_summary(call, "not established");
  release(call);
}

void AnsweringService::on_call_ended(sip::CallHandle call, sip::DialogEndReason reason) {
  ++stats_.ended;
  log_.debug("call {} ended: {}", call, sip::to_string(reason));
  log_media_summary(call, fmt::format("ended ({})", sip::to_string(reason)));
  release(call);
}

void AnsweringService::release(sip::CallHandle call) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return;
  if (it->second.answer_timer) timers_.cancel(*it->second.answer_timer);
  calls_.erase(it);
  budget_.give_back();
}

}  // namespace voxgate::app
