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
                                   AnsweringPolicy policy, Logger log)
    : timers_(timers), ports_(ports), budget_(budget), policy_(std::move(policy)), log_(log) {}

AnsweringService::~AnsweringService() {
  for (auto& [handle, held] : calls_) {
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
  auto [it, inserted] = calls_.emplace(invite.call, HeldCall{std::move(*ports), std::nullopt});
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
  if (auto answered = layer_->answer(call, std::move(media)); !answered) {
    log_.warn("call {}: cannot answer: {}", call, answered.error().message);
  }
}

void AnsweringService::on_call_answered(sip::CallHandle call, const sdp::NegotiatedMedia& /*media*/) {
  ++stats_.answered;
  log_.debug("call {} established", call);
}

void AnsweringService::on_call_failed(sip::CallHandle call, std::uint16_t status) {
  ++stats_.failed;
  log_.debug("call {} not established: {}", call, status);
  release(call);
}

void AnsweringService::on_call_ended(sip::CallHandle call, sip::DialogEndReason reason) {
  ++stats_.ended;
  log_.debug("call {} ended: {}", call, sip::to_string(reason));
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
