// RFC 4028 session timers in the dialog layer: the peer's session refresh
// requests (its INVITE, re-INVITEs, UPDATEs) are answered with the decision
// of session_timer.hpp, our 2xx carries it, and from then on one timer per
// call either sends our refresh at half the interval (UPDATE when the peer
// allows it, else a re-INVITE with our unchanged offer) or, when the peer
// refreshes, ends the call at SE - min(32 s, SE/3) unless a refresh came.
// Every refresh, ours answered or theirs, restarts it. A re-INVITE refresh
// answered 491 is retried after RFC 3261 §14.1's back-off; our re-offer's
// re-INVITE (dialog_layer_reoffer.cpp) is a refresh too and carries the
// same headers.

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/detail/call.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/message/builder.hpp"

namespace voxgate::sip {

using dialog_detail::CallPhase;
using dialog_detail::CallSessionTimer;

namespace {

// A Session-Expires value: "1800;refresher=uas".
std::string session_expires_value(std::uint32_t interval, Refresher refresher) {
  return fmt::format("{};refresher={}", interval, refresher == Refresher::Uac ? "uac" : "uas");
}

// A refresh that could not be done (refused, or blocked by another
// exchange) is tried again at a quarter of the half-interval: well before
// the peer gives up at SE - min(32 s, SE/3) (§10).
Clock::Duration refresh_retry_delay(std::uint32_t interval) {
  return std::max<Clock::Duration>(std::chrono::seconds(1), refresh_delay(interval) / 4);
}

// The timer headers of a request: Session-Expires, Min-SE, and whether the
// sender knows timers (Supported or Require: timer).
tl::expected<TimerRequest, std::string> read_timer_request(const Message& request) {
  TimerRequest out;
  out.supports_timer =
      request.has_option_tag(HeaderId::Supported, "timer") || request.has_option_tag(HeaderId::Require, "timer");
  auto se = request.find<HeaderId::SessionExpires>();
  if (!se) return tl::unexpected(std::string(se.error().reason));
  out.session_expires = *se;
  auto min_se = request.find<HeaderId::MinSE>();
  if (!min_se) return tl::unexpected(std::string(min_se.error().reason));
  if (*min_se) out.min_se = (*min_se)->interval;
  return out;
}

}  // namespace

tl::expected<UasTimerDecision, Message> DialogLayer::decide_session_timer(const Call* call, const Message& request,
                                                                          std::string_view to_tag) {
  auto timer_request = read_timer_request(request);
  if (!timer_request) return tl::unexpected(make_response(request, 400, timer_request.error(), to_tag).build());
  std::optional<bool> we_refresh;
  if (call != nullptr && call->session_timer.agreed) we_refresh = call->session_timer.agreed->we_refresh;
  const UasTimerDecision decision = decide_as_uas(*timer_request, config_.session_timer, we_refresh);
  if (decision.kind == UasTimerDecision::Kind::TooSmall) {
    ++stats_.session_interval_too_small;
    return tl::unexpected(make_response(request, 422, {}, to_tag)
                              .header(HeaderId::MinSE, fmt::format_int(decision.min_se).c_str())
                              .build());
  }
  return decision;
}

void DialogLayer::add_session_timer_headers(const Call& call, MessageBuilder& two_hundred) const {
  const auto& answer = call.session_timer.answer;
  if (!answer || answer->kind != UasTimerDecision::Kind::Accept) return;
  two_hundred.header(HeaderId::SessionExpires, session_expires_value(answer->interval, answer->refresher));
  if (answer->require_timer) two_hundred.header(HeaderId::Require, "timer");
  two_hundred.header(HeaderId::Supported, supported_header_value());
}

void DialogLayer::agree_session_timer(Call& call, std::optional<AgreedTimer> agreed) {
  call.session_timer.agreed = agreed;
  if (!agreed) {
    timers_.cancel(std::exchange(call.session_timer.timer, runtime::TimerId{}));
    return;
  }
  schedule_session_timer(call, agreed->we_refresh ? refresh_delay(agreed->interval) : expiry_delay(agreed->interval));
}

void DialogLayer::schedule_session_timer(Call& call, Clock::Duration delay) {
  timers_.cancel(std::exchange(call.session_timer.timer, runtime::TimerId{}));
  const CallHandle handle = call.handle;
  call.session_timer.timer = timers_.schedule(delay, [this, handle] { on_session_timer(handle); });
}

void DialogLayer::on_session_timer(CallHandle handle) {
  Call* call = find(handle);
  if (call == nullptr) return;
  call->session_timer.timer = {};
  if (call->phase != CallPhase::Established || !call->session_timer.agreed) return;
  if (call->session_timer.agreed->we_refresh) {
    send_session_refresh(*call);
  } else {
    expire_session(*call);
  }
  collect();
}

void DialogLayer::expire_session(Call& call) {
  ++stats_.session_timer_expired;
  const CallHandle handle = call.handle;
  const auto decision = call.observer->on_call_session_expired(handle);
  Call* again = find(handle);  // the observer may have ended the call
  if (again == nullptr || again->phase != CallPhase::Established) return;
  if (decision == CallObserver::SessionExpiry::Keep) {
    again->session_timer.agreed.reset();
    return;
  }
  // §10: BYE; the Reason (RFC 3326) says why, as a 408 would have.
  if (Dialog* dialog = again->current_dialog()) {
    (void)send_bye(*again, *dialog, "SIP;cause=408;text=\"Session Timer Expired\"");
  }
  end_call(*again, DialogEndReason::SessionExpired);
}

void DialogLayer::add_session_refresh_headers(const Call& call, Message& request) const {
  const CallSessionTimer& timer = call.session_timer;
  if (timer.agreed) {
    const TimerRequestHeaders headers = refresh_request(*timer.agreed, timer.min_se);
    request.add_header(HeaderId::SessionExpires, session_expires_value(headers.session_expires, *headers.refresher));
    if (headers.min_se) request.add_header(HeaderId::MinSE, fmt::format_int(*headers.min_se).c_str());
  }
  request.add_header(HeaderId::Supported, supported_header_value());
  request.add_header(HeaderId::Allow, kAllowHeader);
}

void DialogLayer::on_session_refreshed_by_us(Call& call, const Message& two_hundred) {
  if (peer_allows(two_hundred, Method::Update)) call.session_timer.peer_allows_update = true;
  auto se = two_hundred.find<HeaderId::SessionExpires>();
  agree_session_timer(call, agreed_as_uac(se ? *se : std::nullopt));
}

void DialogLayer::send_session_refresh(Call& call) {
  CallSessionTimer& timer = call.session_timer;
  Dialog* dialog = call.current_dialog();
  if (dialog == nullptr || !timer.agreed || timer.refresh) return;
  // RFC 4028 §7.4 / §9: UPDATE when the peer allows it (no media touched),
  // else a re-INVITE with our offer unchanged (RFC 3264 §8: same version).
  const bool invite = !timer.peer_allows_update;
  if (invite && (!can_send_reinvite(call) || call.reoffer.phase != dialog_detail::CallReoffer::Phase::Idle)) {
    // An offer/answer or an INVITE transaction is under way (RFC 3261
    // §14.1), or our re-offer waits to retry: its re-INVITE will refresh
    // the session (RFC 4028 §7.4). Look again well before the peer's expiry.
    schedule_session_timer(call, refresh_retry_delay(timer.agreed->interval));
    return;
  }
  auto request = dialog->build_request(invite ? Method::Invite : Method::Update);
  if (!request) return;
  add_session_refresh_headers(call, *request);
  if (invite) {
    auto offer = call.media->create_offer();
    if (!offer) return;
    request->set_body(sdp::serialize(*offer), kSdpContentType);
  }
  const std::uint32_t cseq = dialog->local_cseq().value_or(0);
  auto id = send_in_dialog(call, std::move(*request), *dialog);
  if (!id) {
    if (invite) (void)call.media->rollback();
    return;  // the peer's expiry will tell; nothing else would reach it
  }
  ++stats_.session_refreshes_sent;
  timer.refresh = *id;
  timer.refresh_is_invite = invite;
  timer.refresh_cseq = cseq;
}

void DialogLayer::on_session_refresh_response(Call& call, ClientTransactionId in_transaction,
                                              const InboundMessage& in) {
  const Message& response = in.message;
  const std::uint16_t status = response.status();
  CallSessionTimer& timer = call.session_timer;
  if (status < 200) return;
  if (timer.acked_refresh == in_transaction) {
    // A retransmission of the 2xx we acknowledged: the same ACK again.
    if (timer.refresh_ack) (void)transport_.resend(timer.refresh_ack->bytes, timer.refresh_ack->flow);
    return;
  }
  const bool invite = timer.refresh_is_invite;
  timer.refresh.reset();
  Dialog* dialog = call.current_dialog();
  if (dialog == nullptr) return;
  if (status < 300) {
    if (invite) {
      // §13.2.2.4: the ACK, kept for the 2xx's retransmissions.
      if (auto ack = send_reinvite_ack(*dialog, timer.refresh_cseq)) {
        timer.refresh_ack = std::move(*ack);
        timer.acked_refresh = in_transaction;
      }
      auto answer = sdp::parse_sdp(response.body());
      if (!answer || !call.media->receive_answer(std::move(*answer))) (void)call.media->rollback();
    }
    timer.glare_retries = 0;
    on_session_refreshed_by_us(call, response);
    return;
  }
  if (invite) (void)call.media->rollback();
  if (status == 491 && call.phase == CallPhase::Established && timer.agreed && timer.glare_retries < kMaxGlareRetries) {
    // RFC 3261 §14.1: our re-INVITE crossed the peer's (or its UPDATE): the
    // same refresh again after the back-off. A refresh request of the peer
    // in the meantime restarts the timer instead (RFC 4028 §10). A peer
    // that keeps answering 491 gets the retries of any other failure.
    ++timer.glare_retries;
    ++stats_.glare_retries;
    schedule_session_timer(call, glare_delay(call));
    return;
  }
  if (status == 422) {
    // §7.4 / §7.1: the interval was too small for the peer (or a proxy).
    auto min_se = response.find<HeaderId::MinSE>();
    const TimerRequestHeaders sent = refresh_request(*timer.agreed, timer.min_se);
    const std::optional<std::uint32_t> asked = min_se && *min_se ? std::optional((*min_se)->interval) : std::nullopt;
    if (auto retry = retry_after_422(sent, asked)) {
      timer.min_se = retry->min_se;
      timer.agreed->interval = retry->session_expires;
      send_session_refresh(call);
      return;
    }
  }
  // 408/481 ended the dialog already (on_response). Any other failure
  // leaves the session as it was (§10); retry well before the peer's expiry.
  if (call.phase != CallPhase::Established || !timer.agreed) return;
  schedule_session_timer(call, refresh_retry_delay(timer.agreed->interval));
}

}  // namespace voxgate::sip
