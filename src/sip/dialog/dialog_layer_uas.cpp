// The UAS side of the dialog layer: incoming INVITEs, the application's
// decision, offer/answer for the 2xx, its retransmission until the ACK,
// CANCEL, and requests inside our dialogs (RFC 3261 §12.2.2, §13.3, §14.2,
// §15.1.2; INFO, RFC 6086), whichever side created them.

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/detail/call.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/dialog/dialog_response.hpp"
#include "sip/dialog/uas_checks.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/dtmf_relay.hpp"
#include "sip/message/name_addr.hpp"

namespace voxgate::sip {

namespace dialog_detail {

// Binds a call's 2xx retransmission machine to the layer.
class TwoHundredUser final : public ReliableTwoHundred::User {
 public:
  TwoHundredUser(DialogLayer& layer, CallHandle call) : layer_(layer), call_(call) {}
  void retransmit_two_hundred() override { layer_.retransmit_two_hundred(call_); }
  void two_hundred_not_acknowledged() override { layer_.on_two_hundred_timeout(call_); }

 private:
  DialogLayer& layer_;
  CallHandle call_;
};

}  // namespace dialog_detail

using dialog_detail::CallPhase;

void DialogLayer::on_new_invite(ServerTransactionId id, InboundMessage&& in, std::string local_tag) {
  // §8.1.1.8: the Contact of an INVITE is the dialog's remote target.
  if (!in.message.has(HeaderId::Contact)) {
    respond(id, make_response(in.message, 400, "Missing Contact header", local_tag).build());
    return;
  }
  std::optional<sdp::SessionDescription> offer;
  if (!in.message.body().empty()) {
    auto parsed = sdp::parse_sdp(in.message.body());
    if (!parsed) {
      respond(id, make_response(in.message, 400, "Malformed SDP", local_tag).build());
      return;
    }
    offer = std::move(*parsed);
  }
  // RFC 4028 §9: an interval below our Min-SE is refused before the
  // application sees the call (the UAC retries with a larger one).
  auto timer = decide_session_timer(nullptr, in.message, local_tag);
  if (!timer) {
    respond(id, std::move(timer.error()));
    return;
  }

  auto owned = std::make_unique<Call>();
  Call& call = *owned;
  call.handle = new_handle();
  call.role = DialogRole::Uas;
  call.phase = CallPhase::Offered;
  call.observer = &incoming_;
  call.invite_transaction = id;
  call.invite_flow = in.flow;
  call.invite = std::move(in.message);
  call.local_tag = std::move(local_tag);
  call.remote_offer = std::move(offer);
  call.session_timer.answer = *timer;
  call.session_timer.peer_allows_update = peer_allows(*call.invite, Method::Update);
  const CallHandle handle = call.handle;
  calls_.emplace(handle, std::move(owned));
  track(call, id);
  ++stats_.calls_in;

  const IncomingInvite invite{handle, *call.invite, call.invite_flow,
                              call.remote_offer ? &*call.remote_offer : nullptr};
  const CallDecision decision = incoming_.on_invite(invite);
  // The handler may have acted on the call already (answer, reject, hangup).
  Call* again = find(handle);
  if (again != nullptr && again->phase == CallPhase::Offered) apply(*again, decision);
}

void DialogLayer::apply(Call& call, const CallDecision& decision) {
  switch (decision.kind) {
    case CallDecision::Kind::Answer: answer_call(call, decision.media); break;
    case CallDecision::Kind::Reject: {
      const bool final_failure = decision.status >= 300 && decision.status <= 699;
      reject_call(call, final_failure ? decision.status : 500, final_failure ? decision.reason : "");
      break;
    }
    case CallDecision::Kind::Ring: ring_call(call); break;
    case CallDecision::Kind::Defer: break;
    case CallDecision::Kind::Redirect:
      // A redirect we cannot send as asked is a server error (§21.5.1).
      if (!redirect_call(call, decision.status, decision.contacts)) reject_call(call, 500, {});
      break;
  }
}

void DialogLayer::ring_call(Call& call) {
  Message ringing = make_dialog_response(*call.invite, 180, call.local_tag, config_.contact_uri).build();
  if (!call.dialog) {
    auto dialog = Dialog::create_uas(*call.invite, ringing);
    if (!dialog) {
      reject_call(call, 500, {});
      return;
    }
    call.dialog = std::move(*dialog);
    index(call, *call.dialog);
    count_created(*call.dialog);
  }
  respond(call.invite_transaction, std::move(ringing));
}

void DialogLayer::reject_call(Call& call, std::uint16_t status, std::string_view reason, std::string_view warning) {
  if (call.phase != CallPhase::Offered) return;
  MessageBuilder response = make_response(*call.invite, status, reason, call.local_tag);
  if (!warning.empty()) response.header(HeaderId::Warning, warning);
  send_final_failure(call, std::move(response), status);
}

void DialogLayer::send_final_failure(Call& call, MessageBuilder response, std::uint16_t status) {
  if (call.phase != CallPhase::Offered) return;
  // §21.5.4: an overloaded server says when to come back (make_overload_response's rule).
  if (status == 503) {
    response.header(HeaderId::RetryAfter, fmt::format_int(config_.overload_retry_after_seconds).c_str());
  }
  respond(call.invite_transaction, response.build());
  if (call.dialog) end_dialog(*call.dialog, DialogEndReason::Rejected);
  fail_call(call, status);
}

Result<void> DialogLayer::redirect_call(Call& call, std::uint16_t status, const std::vector<std::string>& contacts) {
  if (status < 300 || status > 399) return make_error(Errc::InvalidArgument, "{} is not a redirection (3xx)", status);
  // §8.3, §21.3: the Contacts say where to try instead; only 380 (Alternative
  // Service, §21.3.5) may describe it in a body instead.
  if (contacts.empty() && status != 380) {
    return make_error(Errc::InvalidArgument, "a {} needs at least one Contact (RFC 3261 §8.3)", status);
  }
  for (const std::string& contact : contacts) {
    auto parsed = parse_contact(contact);
    // "*" is a REGISTER's (§10.2.2); a line break would end the header.
    if (!parsed || parsed->star || contact.find_first_of("\r\n") != std::string::npos) {
      return make_error(Errc::InvalidArgument, "not a Contact address for a redirect: {}", contact);
    }
  }
  if (call.phase != CallPhase::Offered) return make_error(Errc::InvalidState, "call {} is answered", call.handle);
  MessageBuilder response = make_response(*call.invite, status, {}, call.local_tag);
  for (const std::string& contact : contacts) response.header(HeaderId::Contact, contact);
  send_final_failure(call, std::move(response), status);
  return {};
}

void DialogLayer::answer_call(Call& call, const sdp::LocalMediaConfig& media) {
  if (call.phase != CallPhase::Offered) return;
  auto session = sdp::OfferAnswerSession::create(media, session_ids_);
  if (!session) {
    reject_call(call, 500, "Bad Local Media Configuration");
    return;
  }
  call.media.emplace(std::move(*session));
  std::string body;
  if (call.remote_offer) {
    auto answer =
        call.media->receive_offer(*call.remote_offer).and_then([&call] { return call.media->create_answer(); });
    if (!answer) {
      // RFC 3261 §13.3.1.3 / RFC 3264 §6: nothing we can accept.
      if (call.media->state() == sdp::OfferAnswerState::RemoteOfferReceived) (void)call.media->reject();
      ++stats_.incompatible_media;
      reject_call(call, 488, {}, fmt::format("305 {} \"Incompatible media format\"", config_.host));
      return;
    }
    body = sdp::serialize(answer->sdp);
  } else {
    // §13.2.1: no offer in the INVITE -> ours in the 2xx, the answer in the ACK.
    auto offer = call.media->create_offer();
    if (!offer) {
      reject_call(call, 500, {});
      return;
    }
    body = sdp::serialize(*offer);
  }
  call.remote_offer.reset();

  MessageBuilder ok_builder = make_dialog_response(*call.invite, 200, call.local_tag, config_.contact_uri);
  add_session_timer_headers(call, ok_builder);
  Message ok = ok_builder.body(kSdpContentType, body).build();
  if (call.dialog) {
    if (call.dialog->confirm()) count_confirmed();
  } else {
    auto dialog = Dialog::create_uas(*call.invite, ok);
    if (!dialog) {
      reject_call(call, 500, {});
      return;
    }
    call.dialog = std::move(*dialog);
    index(call, *call.dialog);
    count_created(*call.dialog);
  }
  call.phase = CallPhase::Accepting;
  send_two_hundred(call, call.invite_transaction, std::move(ok), call.invite_flow);
  // RFC 4028 §9: the timer runs from our 2xx.
  agree_session_timer(call, call.session_timer.answer ? call.session_timer.answer->agreed() : std::nullopt);
}

void DialogLayer::send_two_hundred(Call& call, ServerTransactionId id, Message response, const Flow& flow) {
  if (!call.two_hundred_user)
    call.two_hundred_user = std::make_unique<dialog_detail::TwoHundredUser>(*this, call.handle);
  auto cseq = response.cseq();
  call.two_hundred.emplace(dialog_detail::PendingTwoHundred{
      id, response, flow, cseq ? cseq->sequence : 0,
      std::make_unique<ReliableTwoHundred>(timers_, *call.two_hundred_user,
                                           TwoHundredTimings{config_.timers.t1, config_.timers.t2})});
  (void)call.two_hundred->machine->start();
  respond(id, std::move(response));
}

void DialogLayer::retransmit_two_hundred(CallHandle handle) {
  Call* call = find(handle);
  if (call == nullptr || !call->two_hundred) return;
  const dialog_detail::PendingTwoHundred& pending = *call->two_hundred;
  // Through the transaction while it is in Accepted (RFC 6026 §7.1), else
  // straight to the transport.
  if (!transactions_.respond(pending.transaction, pending.response)) {
    (void)transport_.send_response(pending.response, pending.flow, [](const Error&) {});
  }
}

void DialogLayer::on_two_hundred_timeout(CallHandle handle) {
  Call* call = find(handle);
  if (call == nullptr) return;
  ++stats_.no_ack_timeouts;
  // §13.3.1.4: the dialog is confirmed but the session ends, with a BYE.
  if (Dialog* dialog = call->current_dialog()) (void)send_bye(*call, *dialog);
  end_call(*call, DialogEndReason::NoAck);  // destroys the machine calling us: it allows that
}

void DialogLayer::on_ack(InboundMessage&& in) {
  const Message& ack = in.message;
  auto id = dialog_id_of_request(ack);
  Call* call = id ? find(*id) : nullptr;
  Dialog* dialog = call != nullptr ? call->current_dialog() : nullptr;
  auto cseq = ack.cseq();
  if (dialog == nullptr || !call->two_hundred || !cseq || cseq->sequence != call->two_hundred->cseq ||
      !dialog->on_request(ack).proceeds()) {
    ++stats_.stray_acks;  // a duplicate, or for nothing of ours
    return;
  }
  (void)call->two_hundred->machine->on_ack();
  call->two_hundred.reset();

  bool media_ok = true;
  bool media_completed = false;
  if (call->media && call->media->state() == sdp::OfferAnswerState::LocalOfferSent) {
    // Our offer went in the 2xx: the ACK must carry the answer (§13.2.1).
    auto answer = sdp::parse_sdp(ack.body());
    media_ok = !ack.body().empty() && answer && call->media->receive_answer(std::move(*answer));
    if (!media_ok) (void)call->media->rollback();
    media_completed = media_ok;
  }

  if (call->phase == CallPhase::Accepting) {
    if (!media_ok) {
      (void)send_bye(*call, *dialog);
      end_dialog(*dialog, DialogEndReason::LocalBye);
      fail_call(*call, 488);
    } else {
      call->phase = CallPhase::Established;
      const CallHandle handle = call->handle;
      const sdp::NegotiatedMedia* negotiated = call->media ? call->media->negotiated() : nullptr;
      call->observer->on_call_answered(handle, negotiated != nullptr ? *negotiated : sdp::NegotiatedMedia{});
      call = find(handle);
      if (call != nullptr && call->phase == CallPhase::Established && call->hangup_after_ack) {
        const std::string reason = call->hangup_reason;
        (void)hangup(handle, reason);
      }
    }
  } else if (media_completed && call->phase == CallPhase::Established) {
    call->observer->on_call_media_changed(call->handle, *call->media->negotiated());
  }
  // A re-INVITE whose offer got no usable answer in the ACK was rolled back
  // above: the session stays as it was (RFC 3261 §14.1).
  collect();
}

void DialogLayer::on_cancel(ServerTransactionId invite, const InboundMessage& /*cancel*/) {
  auto it = by_server_.find(invite);
  Call* call = it == by_server_.end() ? nullptr : find(it->second);
  if (call == nullptr || call->phase != CallPhase::Offered || call->invite_transaction != invite) return;
  // §9.2: the INVITE ends with 487.
  respond(invite, make_response(*call->invite, 487, {}, call->local_tag).build());
  if (call->dialog) end_dialog(*call->dialog, DialogEndReason::Cancelled);
  fail_call(*call, 487);
  collect();
}

void DialogLayer::on_in_dialog_request(ServerTransactionId id, InboundMessage&& in) {
  const Message& request = in.message;
  auto dialog_id = dialog_id_of_request(request);
  Call* call = dialog_id ? find(*dialog_id) : nullptr;
  Dialog* dialog = call != nullptr ? call->current_dialog() : nullptr;
  if (dialog == nullptr || dialog->id() != *dialog_id) {
    ++stats_.no_dialog;
    respond(id, make_no_dialog_response(request));
    return;
  }
  RequestDecision decision = dialog->on_request(request, config_.retry_after_seconds);
  if (decision.kind == RequestDecision::Kind::Respond) {
    respond(id, std::move(*decision.response));
    return;
  }
  if (decision.kind == RequestDecision::Kind::Drop) return;

  switch (request.method()) {
    case Method::Bye:
      respond(id, make_response(request, 200).build());
      if (call->role == DialogRole::Uas && call->phase == CallPhase::Offered) {
        // §15.1.2: BYE on an early dialog ends the INVITE with 487.
        respond(call->invite_transaction, make_response(*call->invite, 487, {}, call->local_tag).build());
        end_dialog(*dialog, DialogEndReason::RemoteBye);
        fail_call(*call, 487);
      } else {
        end_call(*call, DialogEndReason::RemoteBye);
      }
      break;
    case Method::Invite: on_reinvite(*call, id, in); break;
    case Method::Update: on_update(*call, id, request); break;
    case Method::Info: on_info(*call, id, request); break;
    case Method::Notify: on_notify(*call, id, request); break;  // our REFER's (dialog_layer_refer.cpp)
    default: respond(id, make_response(request, 405).header(HeaderId::Allow, kAllowHeader).build()); break;
  }
}

void DialogLayer::on_reinvite(Call& call, ServerTransactionId id, const InboundMessage& in) {
  const Message& request = in.message;
  // §14.2: while another INVITE of the dialog is unfinished, 500 + Retry-After.
  if (call.phase != CallPhase::Established || !call.media || call.two_hundred) {
    respond(id, make_response(request, 500)
                    .header(HeaderId::RetryAfter, fmt::format_int(config_.retry_after_seconds).c_str())
                    .build());
    return;
  }
  // §14.2: our own re-INVITE or UPDATE offer is out: the offers crossed.
  if (call.media->state() == sdp::OfferAnswerState::LocalOfferSent) {
    respond(id, make_response(request, 491).build());
    return;
  }
  auto timer = decide_session_timer(&call, request, {});
  if (!timer) {
    respond(id, std::move(timer.error()));
    return;
  }
  call.session_timer.answer = *timer;
  std::string body;
  bool media_changed = false;
  if (!request.body().empty()) {
    auto answer = answer_offer(call, request);
    if (!answer) {
      respond(id, std::move(answer.error()));
      return;
    }
    body = std::move(*answer);
    media_changed = true;
  } else {
    auto offer = call.media->create_offer();
    if (!offer) {
      respond(id, make_response(request, 500).build());
      return;
    }
    body = sdp::serialize(*offer);
  }
  track(call, id);
  MessageBuilder ok = make_dialog_response(request, 200, {}, config_.contact_uri);
  add_session_timer_headers(call, ok);
  send_two_hundred(call, id, ok.body(kSdpContentType, body).build(), in.flow);
  agree_session_timer(call, call.session_timer.answer->agreed());  // a refresh (RFC 4028 §9)
  if (media_changed) call.observer->on_call_media_changed(call.handle, *call.media->negotiated());
}

tl::expected<std::string, Message> DialogLayer::answer_offer(Call& call, const Message& request) {
  auto offer = sdp::parse_sdp(request.body());
  if (!offer) return tl::unexpected(make_response(request, 400, "Malformed SDP").build());
  auto answer = call.media->receive_offer(std::move(*offer)).and_then([&call] { return call.media->create_answer(); });
  if (!answer) {
    // §14.2 / RFC 3264 §8: refused, and the session stays as it was.
    if (call.media->state() == sdp::OfferAnswerState::RemoteOfferReceived) (void)call.media->reject();
    ++stats_.incompatible_media;
    return tl::unexpected(
        make_response(request, 488)
            .header(HeaderId::Warning, fmt::format("305 {} \"Incompatible media format\"", config_.host))
            .build());
  }
  return sdp::serialize(answer->sdp);
}

void DialogLayer::on_update(Call& call, ServerTransactionId id, const Message& request) {
  // RFC 3311 §5.2, and a session refresh request (RFC 4028 §9).
  auto timer = decide_session_timer(&call, request, {});
  if (!timer) {
    respond(id, std::move(timer.error()));
    return;
  }
  // Without a body it changes no media (a session timer refresh, a target
  // refresh): 200, with our Contact.
  if (request.body().empty()) {
    call.session_timer.answer = *timer;
    MessageBuilder ok = make_dialog_response(request, 200, {}, config_.contact_uri);
    add_session_timer_headers(call, ok);
    respond(id, ok.build());
    if (call.phase == CallPhase::Established) agree_session_timer(call, timer->agreed());
    return;
  }
  const auto state = call.media ? call.media->state() : sdp::OfferAnswerState::Idle;
  if (state == sdp::OfferAnswerState::LocalOfferSent) {
    // Our offer is unanswered: the offers crossed (glare).
    respond(id, make_response(request, 491).build());
    return;
  }
  if (state != sdp::OfferAnswerState::Complete) {
    // An offer of theirs is unanswered (the INVITE's, before our 200), or
    // no exchange completed yet: 500 with a random 0-10 s Retry-After.
    respond(id,
            make_response(request, 500).header(HeaderId::RetryAfter, fmt::format_int(random_() % 11).c_str()).build());
    return;
  }
  auto answer = answer_offer(call, request);
  if (!answer) {
    respond(id, std::move(answer.error()));
    return;
  }
  call.session_timer.answer = *timer;
  MessageBuilder ok = make_dialog_response(request, 200, {}, config_.contact_uri);
  add_session_timer_headers(call, ok);
  respond(id, ok.body(kSdpContentType, *answer).build());
  // Last: the observer may call back into the layer and end the call.
  if (call.phase == CallPhase::Established) {
    agree_session_timer(call, timer->agreed());
    call.observer->on_call_media_changed(call.handle, *call.media->negotiated());
  }
}

void DialogLayer::on_info(Call& call, ServerTransactionId id, const Message& request) {
  // RFC 6086 §4.2.2: an INFO for an Info Package we did not announce (we
  // announce none) gets 469 with our Recv-Info, empty. What we read is the
  // legacy usage (§9), which names no package.
  if (request.first_value("Info-Package")) {
    respond(id, make_response(request, 469).header("Recv-Info", "").build());
    return;
  }
  // A body is optional in an INFO (RFC 6086 §4.2): one without is still a
  // valid request in the dialog (peers probe the dialog with it), answered
  // 200 with no digit to report.
  if (request.body().empty()) {
    respond(id, make_response(request, 200).build());
    return;
  }
  // check_request let only the types of kInfoAcceptHeader through (§8.2.3).
  auto type = request.find<HeaderId::ContentType>();
  const bool relay = type && *type && (*type)->is("application", "dtmf-relay");
  const DtmfParsed dtmf = relay ? parse_dtmf_relay(request.body()) : parse_dtmf(request.body());
  if (!dtmf) {
    respond(id, make_response(request, 400, reason_phrase(dtmf.error())).build());
    return;
  }
  respond(id, make_response(request, 200).build());
  // Last: the observer may call back into the layer and end the call.
  call.observer->on_call_dtmf(call.handle, dtmf->digit, dtmf->duration_ms);
}

// ---- deferred decisions ----

Result<void> DialogLayer::answer(CallHandle handle, const sdp::LocalMediaConfig& media) {
  Call* call = find(handle);
  if (call == nullptr) return make_error(Errc::NotFound, "no call {}", handle);
  if (call->role != DialogRole::Uas || call->phase != CallPhase::Offered) {
    return make_error(Errc::InvalidState, "call {} is not an unanswered incoming call", handle);
  }
  answer_call(*call, media);
  collect();
  return {};
}

Result<void> DialogLayer::reject(CallHandle handle, std::uint16_t status, std::string_view reason) {
  Call* call = find(handle);
  if (call == nullptr) return make_error(Errc::NotFound, "no call {}", handle);
  if (call->role != DialogRole::Uas || call->phase != CallPhase::Offered) {
    return make_error(Errc::InvalidState, "call {} is not an unanswered incoming call", handle);
  }
  if (status < 300 || status > 699)
    return make_error(Errc::InvalidArgument, "{} is not a final failure status", status);
  reject_call(*call, status, reason);
  collect();
  return {};
}

// By value: the Session layer's API (callers move their list in).
// NOLINTNEXTLINE(performance-unnecessary-value-param)
Result<void> DialogLayer::redirect(CallHandle handle, std::uint16_t status, std::vector<std::string> contacts) {
  Call* call = find(handle);
  if (call == nullptr) return make_error(Errc::NotFound, "no call {}", handle);
  if (call->role != DialogRole::Uas || call->phase != CallPhase::Offered) {
    return make_error(Errc::InvalidState, "call {} is not an unanswered incoming call", handle);
  }
  auto redirected = redirect_call(*call, status, contacts);
  collect();
  return redirected;
}

Result<void> DialogLayer::ring(CallHandle handle) {
  Call* call = find(handle);
  if (call == nullptr) return make_error(Errc::NotFound, "no call {}", handle);
  if (call->role != DialogRole::Uas || call->phase != CallPhase::Offered) {
    return make_error(Errc::InvalidState, "call {} is not an unanswered incoming call", handle);
  }
  ring_call(*call);
  collect();
  return {};
}

}  // namespace voxgate::sip
