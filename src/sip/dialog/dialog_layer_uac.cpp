// The UAC side of the dialog layer: the INVITE we send, its provisional
// responses and early dialogs (several with forking), the ACK of every 2xx
// (§13.2.2.4), and the one answer we keep.

#include <optional>
#include <utility>

#include <fmt/format.h>

#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sip/dialog/capabilities.hpp"
#include "sip/dialog/detail/call.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/dialog/invite_builder.hpp"
#include "sip/dialog/next_hop.hpp"

namespace voxgate::sip {

using dialog_detail::CallPhase;

namespace {

// RFC 4028 §7.1: our interval (no refresher: the UAS chooses) and, when
// not the default, our Min-SE; replacing what the INVITE had.
void set_invite_timer_headers(Message& invite, const TimerRequestHeaders& timer) {
  invite.set_header(HeaderId::SessionExpires, fmt::format_int(timer.session_expires).c_str());
  if (timer.min_se) invite.set_header(HeaderId::MinSE, fmt::format_int(*timer.min_se).c_str());
}

}  // namespace

Result<CallHandle> DialogLayer::make_call(const OutgoingCall& outgoing, CallObserver& observer) {
  auto session = sdp::OfferAnswerSession::create(outgoing.media, session_ids_);
  if (!session) return tl::unexpected(std::move(session.error()));
  auto offer = session->create_offer();
  if (!offer) return tl::unexpected(std::move(offer.error()));

  const OutgoingInvite spec{outgoing.request_uri, outgoing.from,  outgoing.to,
                            config_.contact_uri,  outgoing.route, sdp::serialize(*offer)};
  InviteIdentity identity = new_invite_identity(random_, config_.host);
  // With N loops, one draw in N is ours: a few draws at most.
  while (config_.owns_call_id && !config_.owns_call_id(identity.call_id)) {
    identity = new_invite_identity(random_, config_.host);
  }
  auto invite = build_invite(spec, identity);
  if (!invite) return tl::unexpected(std::move(invite.error()));
  // RFC 4028 §7.1: the interval we want; the UAS picks the refresher.
  const std::optional<TimerRequestHeaders> timer = initial_request(config_.session_timer);
  if (timer) set_invite_timer_headers(*invite, *timer);
  auto target = next_hop_of_request(*invite);
  if (!target) return tl::unexpected(std::move(target.error()));
  auto dialogs = DialogSet::from_invite(*invite);
  if (!dialogs) return tl::unexpected(std::move(dialogs.error()));
  auto id = transactions_.send_request(std::move(*invite), *target, *this);
  if (!id) return tl::unexpected(std::move(id.error()));

  auto owned = std::make_unique<Call>();
  Call& call = *owned;
  call.handle = new_handle();
  call.role = DialogRole::Uac;
  call.phase = CallPhase::Inviting;
  call.observer = &observer;
  call.media.emplace(std::move(*session));
  call.invite_client = *id;
  call.dialogs.emplace(std::move(*dialogs));
  call.invite_timer = timer;
  const CallHandle handle = call.handle;
  calls_.emplace(handle, std::move(owned));
  track(call, *id);
  ++stats_.calls_out;
  return handle;
}

void DialogLayer::on_invite_response(Call& call, InboundMessage&& in) {
  using Kind = DialogSetUpdate::Kind;
  const Message& response = in.message;
  const std::size_t early_before = call.dialogs->count(DialogState::Early);
  auto update = call.dialogs->on_invite_response(response);
  if (!update) return;  // not ours, or beyond the fork limit: ignored
  const CallHandle handle = call.handle;
  const bool inviting = call.phase == CallPhase::Inviting;

  switch (update->kind) {
    case Kind::Provisional:
      if (inviting) call.observer->on_call_progress(handle, response.status(), {});
      break;
    case Kind::EarlyCreated:
    case Kind::EarlyUpdated:
      if (update->kind == Kind::EarlyCreated) count_created(*update->dialog);
      if (inviting) call.observer->on_call_progress(handle, response.status(), update->dialog->id().remote_tag);
      break;
    case Kind::Ignored: break;
    case Kind::Failed: {
      const std::size_t ended = early_before - call.dialogs->count(DialogState::Early);
      stats_.dialogs_ended[static_cast<std::size_t>(DialogEndReason::Rejected)] += ended;
      if (inviting && response.status() == 422 && retry_invite_after_422(call, response)) break;
      if (inviting) fail_call(call, response.status());
      break;
    }
    case Kind::Retransmission: resend_ack(call, update->dialog->id().remote_tag); break;
    case Kind::Confirmed: {
      Dialog& dialog = *update->dialog;
      if (update->created) {
        count_created(dialog);
      } else {
        count_confirmed();
      }
      send_ack(call, dialog);
      if (!inviting || call.cancel_requested || call.answered_tag) {
        // A second branch answered, or the answer lost the race with our
        // CANCEL: ACKed above, now ended (§13.2.2.4, §15).
        drop_extra_dialog(call, dialog);
        if (inviting) fail_call(call, 487);
        break;
      }
      call.answered_tag = dialog.id().remote_tag;
      index(call, dialog);
      auto answer = sdp::parse_sdp(response.body());
      const bool media_ok = !response.body().empty() && answer && call.media->receive_answer(std::move(*answer));
      if (!media_ok) {
        // Our offer got no usable answer: the call cannot go on (RFC 3264 §6).
        drop_extra_dialog(call, dialog);
        fail_call(call, 488);
        break;
      }
      call.phase = CallPhase::Established;
      // §13.2.2.4: the other branches' early dialogs will not be answered here.
      stats_.dialogs_ended[static_cast<std::size_t>(DialogEndReason::Superseded)] +=
          call.dialogs->terminate_early(DialogEndReason::Superseded);
      // RFC 4028 §7.2: the 2xx decides the session timer.
      call.session_timer.peer_allows_update = peer_allows(response, Method::Update);
      if (auto se = response.find<HeaderId::SessionExpires>()) agree_session_timer(call, agreed_as_uac(*se));
      call.observer->on_call_answered(handle, *call.media->negotiated());
      break;
    }
  }
}

void DialogLayer::send_ack(Call& call, Dialog& dialog, std::string_view sdp_answer) {
  auto ack = dialog.build_ack(call.dialogs->invite_cseq(), sdp_answer);
  if (!ack) return;
  auto target = dialog.next_hop();
  if (!target) return;
  // The ACK of a 2xx is a transaction of its own (§17.1.1.3): a new branch,
  // straight to the transport. A lost ACK needs no handling: the peer sends
  // its 2xx again, and resend_ack answers it.
  auto flow = transport_.send_request(*ack, *target, make_branch(), [](const Error&) {});
  if (!flow) return;
  call.acks[dialog.id().remote_tag] = dialog_detail::SentAck{ack->serialize(), *flow};
}

void DialogLayer::resend_ack(Call& call, std::string_view remote_tag) {
  auto it = call.acks.find(remote_tag);
  if (it == call.acks.end()) return;
  (void)transport_.resend(it->second.bytes, it->second.flow);
}

void DialogLayer::drop_extra_dialog(Call& call, Dialog& dialog) {
  if (dialog.state() == DialogState::Terminated) return;
  // A 2xx that crossed our CANCEL: the BYE says why we hung up (RFC 3326).
  (void)send_bye(call, dialog, call.cancel_requested ? std::string_view(call.hangup_reason) : std::string_view{});
  end_dialog(dialog, DialogEndReason::LocalBye);
}

bool DialogLayer::retry_invite_after_422(Call& call, const Message& response) {
  if (call.cancel_requested) return false;
  // RFC 4028 §7.4 (and §7.1's retry_after_422): Session-Expires and Min-SE
  // raised to the 422's Min-SE, once per increase, so a peer that keeps
  // answering 422 cannot make us loop.
  auto min_se = response.find<HeaderId::MinSE>();
  const std::optional<std::uint32_t> asked =
      min_se && *min_se ? std::optional<std::uint32_t>((*min_se)->interval) : std::nullopt;
  const auto retry = retry_after_422(call.invite_timer.value_or(TimerRequestHeaders{}), asked);
  if (!retry) return false;
  // RFC 3261 §8.1.3.5: a new transaction, with the same Call-ID, To and
  // From (tag included) and the CSeq one higher; the transaction layer
  // picks a new branch. The offer is the same one (our session still
  // waits for its answer).
  Message invite = call.dialogs->invite();
  invite.set_header(HeaderId::CSeq, fmt::format("{} INVITE", call.dialogs->invite_cseq() + 1));
  set_invite_timer_headers(invite, *retry);
  auto target = next_hop_of_request(invite);
  if (!target) return false;
  auto dialogs = DialogSet::from_invite(invite);
  if (!dialogs) return false;
  auto id = transactions_.send_request(std::move(invite), *target, *this);
  if (!id) return false;
  // The 422's transaction finishes alone (it ACKed the 422, §17.1.1.3).
  call.invite_client = *id;
  track(call, *id);
  call.dialogs.emplace(std::move(*dialogs));
  call.invite_timer = *retry;
  ++stats_.invites_retried_after_422;
  return true;
}

}  // namespace voxgate::sip
