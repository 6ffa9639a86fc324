// The UAC side of the dialog layer: the INVITE we send, its provisional
// responses and early dialogs (several with forking), the ACK of every 2xx
// (§13.2.2.4), and the one answer we keep.

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

Result<CallHandle> DialogLayer::make_call(const OutgoingCall& outgoing, CallObserver& observer) {
  auto session = sdp::OfferAnswerSession::create(outgoing.media, session_ids_);
  if (!session) return tl::unexpected(std::move(session.error()));
  auto offer = session->create_offer();
  if (!offer) return tl::unexpected(std::move(offer.error()));

  const OutgoingInvite spec{outgoing.request_uri, outgoing.from,  outgoing.to,
                            config_.contact_uri,  outgoing.route, sdp::serialize(*offer)};
  auto invite = build_invite(spec, new_invite_identity(random_, config_.host));
  if (!invite) return tl::unexpected(std::move(invite.error()));
  // RFC 4028 §7.1: the interval we want; the UAS picks the refresher.
  if (const auto timer = initial_request(config_.session_timer)) {
    invite->add_header(HeaderId::SessionExpires, fmt::format_int(timer->session_expires).c_str());
    if (timer->min_se) invite->add_header(HeaderId::MinSE, fmt::format_int(*timer->min_se).c_str());
  }
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
  (void)send_bye(call, dialog);
  end_dialog(dialog, DialogEndReason::LocalBye);
}

}  // namespace voxgate::sip
