// Our re-offer: a new SDP offer for an established call, made from the
// config the application asks for (hold, resume, codec or address change),
// in a re-INVITE (RFC 3261 §14.1, RFC 3264 §8). Its 2xx is ACKed and the
// answer applied; a 491 (our offer crossed the peer's) is retried after
// §14.1's back-off; any other failure restores the session as it was before
// the offer, "as if no re-INVITE had been issued" (§14.1). Also what every
// re-INVITE of ours shares with the session timer's refresh: when one may
// go out, the back-off, the ACK of its 2xx.
//
// Version numbers (RFC 3264 §8: each new offer increments the o= version
// "by one from the previous SDP"): a failed re-offer is rolled back with the
// whole offer/answer session, its version included, so the next SDP we send
// takes the version after the last one in force, the failed one's again.
// The peer never accepted the failed SDP: for it the session went on as if
// that offer had not been made (§14.1), so the previous SDP is the one
// before it.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sdp/local_media.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/detail/call.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/dialog/glare.hpp"

namespace voxgate::sip {

using dialog_detail::CallPhase;
using dialog_detail::CallReoffer;

// ---- what every re-INVITE of ours shares ----

bool DialogLayer::can_send_reinvite(const Call& call, std::string* why) const {
  const auto blocked = [why](std::string_view reason) {
    if (why != nullptr) *why = reason;
    return false;
  };
  if (call.phase != CallPhase::Established) return blocked("the call is not established");
  if (call.current_dialog() == nullptr || !call.media) return blocked("the call has no dialog or no media session");
  // §14.1: no re-INVITE while another INVITE transaction of the dialog is
  // unfinished, in either direction.
  if (call.reoffer.phase == CallReoffer::Phase::Sent) return blocked("a re-offer of ours is out (RFC 3261 §14.1)");
  if (call.session_timer.refresh && call.session_timer.refresh_is_invite) {
    return blocked("our session refresh re-INVITE is out (RFC 3261 §14.1)");
  }
  // RFC 3264 §4: one offer/answer exchange at a time (an UPDATE's too).
  switch (call.media->state()) {
    case sdp::OfferAnswerState::LocalOfferSent: return blocked("an offer of ours is unanswered (RFC 3264 §4)");
    case sdp::OfferAnswerState::RemoteOfferReceived: return blocked("an offer of the peer is unanswered (RFC 3264 §4)");
    case sdp::OfferAnswerState::Idle: return blocked("no offer/answer exchange has completed yet");
    case sdp::OfferAnswerState::Complete: break;
  }
  if (call.two_hundred) return blocked("the peer's re-INVITE still awaits the ACK of our 2xx (RFC 3261 §14.1)");
  return true;
}

Clock::Duration DialogLayer::glare_delay(const Call& call) {
  // We own the Call-ID when we sent the dialog's initial INVITE.
  return glare_retry_delay(call.role == DialogRole::Uac, random_());
}

std::optional<dialog_detail::SentAck> DialogLayer::send_reinvite_ack(const Dialog& dialog, std::uint32_t cseq) {
  // §13.2.2.4, §14.1: built in the dialog with the re-INVITE's CSeq, a
  // transaction of its own (a new branch), kept for the 2xx's copies.
  auto ack = dialog.build_ack(cseq);
  if (!ack) return std::nullopt;
  auto target = dialog.next_hop();
  if (!target) return std::nullopt;
  auto flow = transport_.send_request(*ack, *target, make_branch(), [](const Error&) {});
  if (!flow) return std::nullopt;
  return dialog_detail::SentAck{ack->serialize(), *flow};
}

// ---- the re-offer ----

Result<void> DialogLayer::reoffer(CallHandle handle, const sdp::LocalMediaConfig& media) {
  Call* call = find(handle);
  if (call == nullptr) return make_error(Errc::NotFound, "no call {}", handle);
  if (call->reoffer.phase == CallReoffer::Phase::Waiting) {
    return make_error(Errc::InvalidState, "call {}: a re-offer of ours waits to be retried after 491 (RFC 3261 §14.1)",
                      handle);
  }
  std::string why;
  if (!can_send_reinvite(*call, &why)) return make_error(Errc::InvalidState, "call {}: {}", handle, why);
  if (auto valid = sdp::validate(media); !valid) return valid;
  call->reoffer.wanted = media;
  call->reoffer.glare_retries = 0;
  auto sent = send_reoffer(*call);
  collect();
  return sent;
}

Result<void> DialogLayer::send_reoffer(Call& call) {
  CallReoffer& reoffer = call.reoffer;
  Dialog* dialog = call.current_dialog();
  if (dialog == nullptr || !call.media) return make_error(Errc::InvalidState, "call {} has no dialog", call.handle);
  // What a failure restores: the session and our config as they are now.
  sdp::OfferAnswerSession before = *call.media;
  auto offer = call.media->set_local(reoffer.wanted).and_then([&call] { return call.media->create_offer(); });
  if (!offer) {
    call.media = std::move(before);
    return tl::unexpected(std::move(offer.error()));
  }
  auto request = dialog->build_request(Method::Invite);
  if (!request) {
    call.media = std::move(before);
    return tl::unexpected(std::move(request.error()));
  }
  // RFC 4028 §7.4: a re-INVITE is a session refresh request too.
  add_session_refresh_headers(call, *request);
  request->set_body(sdp::serialize(*offer), kSdpContentType);
  const std::uint32_t cseq = dialog->local_cseq().value_or(0);
  auto id = send_in_dialog(call, std::move(*request), *dialog);
  if (!id) {
    call.media = std::move(before);
    return tl::unexpected(std::move(id.error()));
  }
  ++stats_.reoffers_sent;
  reoffer.phase = CallReoffer::Phase::Sent;
  reoffer.before = std::move(before);
  reoffer.transaction = *id;
  reoffer.cseq = cseq;
  return {};
}

void DialogLayer::on_reoffer_response(Call& call, Dialog& dialog, ClientTransactionId in_transaction,
                                      const InboundMessage& in) {
  const Message& response = in.message;
  const std::uint16_t status = response.status();
  CallReoffer& reoffer = call.reoffer;
  if (status < 200) return;
  if (reoffer.acked == in_transaction) {
    // A copy of the 2xx we acknowledged: the same ACK again (§13.2.2.4).
    if (reoffer.ack) (void)transport_.resend(reoffer.ack->bytes, reoffer.ack->flow);
    return;
  }
  // §12.2.1.2: a 2xx refreshes the remote target; 481 and 408 end the dialog.
  const bool dialog_ended = dialog.on_response(response) == InDialogResponseEffect::Ended;
  reoffer.transaction.reset();
  reoffer.phase = CallReoffer::Phase::Idle;
  const CallHandle handle = call.handle;

  if (status < 300) {
    if (auto ack = send_reinvite_ack(dialog, reoffer.cseq)) {
      reoffer.ack = std::move(*ack);
      reoffer.acked = in_transaction;
    }
    on_session_refreshed_by_us(call, response);  // RFC 4028 §7.2: it was a refresh, whatever its answer
    auto answer = sdp::parse_sdp(response.body());
    if (response.body().empty() || !answer || !call.media->receive_answer(std::move(*answer))) {
      // The 2xx's answer is missing or does not match our offer (RFC 3264
      // §6): we keep the session we had, and the application decides
      // whether a call whose peer sent that is worth keeping.
      fail_reoffer(call, 488);
      return;
    }
    reoffer.before.reset();
    // Last: the observer may call back into the layer and end the call.
    call.observer->on_call_media_changed(handle, *call.media->negotiated());
    return;
  }

  if (status == 491 && !dialog_ended) {
    // §14.1: the offers crossed. Back to the session before ours, then the
    // same re-offer again after the back-off, unless that keeps happening.
    if (reoffer.before) {
      call.media = std::move(*reoffer.before);
      reoffer.before.reset();
    }
    if (reoffer.glare_retries < kMaxGlareRetries) {
      ++reoffer.glare_retries;
      ++stats_.glare_retries;
      reoffer.phase = CallReoffer::Phase::Waiting;
      timers_.cancel(reoffer.retry);
      reoffer.retry = timers_.schedule(glare_delay(call), [this, handle] { on_reoffer_retry(handle); });
      return;
    }
  }
  // Refused (488 an unacceptable offer, 4xx-6xx): the session stays as it
  // was (§14.1).
  fail_reoffer(call, status);
  if (dialog_ended) {
    // 481/408: the peer has no such dialog any more (§12.2.1.2).
    ++stats_.dialogs_ended[static_cast<std::size_t>(DialogEndReason::PeerGone)];
    if (Call* again = find(handle)) end_call(*again, DialogEndReason::PeerGone);
  }
}

void DialogLayer::on_reoffer_timeout(Call& call, TransactionEnd reason) {
  call.reoffer.transaction.reset();
  const CallHandle handle = call.handle;
  // §8.1.3.1: a transport failure counts as a 503, no answer as a 408.
  const bool timed_out = reason == TransactionEnd::Timeout;
  fail_reoffer(call, timed_out ? 408 : 503);
  if (!timed_out) return;
  // §12.2.1.2: no response at all to a request in the dialog ends it, as a
  // 408 would have.
  Call* again = find(handle);
  if (again == nullptr || again->phase != CallPhase::Established) return;
  ++stats_.dialogs_ended[static_cast<std::size_t>(DialogEndReason::PeerGone)];
  end_call(*again, DialogEndReason::PeerGone);
}

void DialogLayer::on_reoffer_retry(CallHandle handle) {
  Call* call = find(handle);
  if (call == nullptr) return;
  CallReoffer& reoffer = call->reoffer;
  reoffer.retry = {};
  // An ended call said so through on_call_ended: nothing more to report.
  if (reoffer.phase != CallReoffer::Phase::Waiting || call->phase != CallPhase::Established) return;
  if (!can_send_reinvite(*call)) {
    // The peer's re-INVITE (or our refresh) came during the back-off and is
    // not over (§14.1): look again after another back-off, at least 10 ms.
    const Clock::Duration delay = std::max<Clock::Duration>(kGlareUnit, glare_delay(*call));
    reoffer.retry = timers_.schedule(delay, [this, handle] { on_reoffer_retry(handle); });
    return;
  }
  // The session may have changed meanwhile (the peer's re-INVITE was
  // answered): the offer is made afresh from it and our wanted config.
  if (auto sent = send_reoffer(*call); !sent) fail_reoffer(*call, 503);
  collect();
}

void DialogLayer::fail_reoffer(Call& call, std::uint16_t status) {
  CallReoffer& reoffer = call.reoffer;
  if (reoffer.before) {
    call.media = std::move(*reoffer.before);
    reoffer.before.reset();
  }
  reoffer.phase = CallReoffer::Phase::Idle;
  reoffer.transaction.reset();
  timers_.cancel(std::exchange(reoffer.retry, runtime::TimerId{}));
  ++stats_.reoffers_failed;
  // Last: the observer may call back into the layer and end the call.
  call.observer->on_call_reoffer_failed(call.handle, status);
}

}  // namespace voxgate::sip
