#include "sip/dialog/dialog_set.hpp"

#include <utility>

#include "sip/dialog/detail/parsed.hpp"

namespace voxgate::sip {

using dialog_detail::checked;

std::string_view to_string(DialogSetUpdate::Kind kind) noexcept {
  using Kind = DialogSetUpdate::Kind;
  switch (kind) {
    case Kind::Provisional: return "Provisional";
    case Kind::EarlyCreated: return "EarlyCreated";
    case Kind::EarlyUpdated: return "EarlyUpdated";
    case Kind::Confirmed: return "Confirmed";
    case Kind::Retransmission: return "Retransmission";
    case Kind::Failed: return "Failed";
    case Kind::Ignored: return "Ignored";
  }
  return "Unknown";
}

Result<DialogSet> DialogSet::from_invite(Message invite) {
  if (!invite.is_request() || invite.method() != Method::Invite) {
    return make_error(Errc::InvalidArgument, "a dialog set is created by an INVITE");
  }
  auto call_id = checked(invite.call_id());
  if (!call_id) return tl::unexpected(std::move(call_id.error()));
  auto from = checked(invite.from());
  if (!from) return tl::unexpected(std::move(from.error()));
  auto cseq = checked(invite.cseq());
  if (!cseq) return tl::unexpected(std::move(cseq.error()));
  const auto tag = from->tag();
  if (!tag || tag->empty()) return make_error(Errc::InvalidArgument, "our INVITE has no From tag");
  DialogSetId id{std::string(*call_id), std::string(*tag)};
  const std::uint32_t sequence = cseq->sequence;
  return DialogSet(std::move(invite), std::move(id), sequence);
}

Dialog* DialogSet::find(std::string_view remote_tag) {
  auto it = dialogs_.find(remote_tag);
  return it == dialogs_.end() ? nullptr : &it->second;
}

const Dialog* DialogSet::find(std::string_view remote_tag) const {
  auto it = dialogs_.find(remote_tag);
  return it == dialogs_.end() ? nullptr : &it->second;
}

std::size_t DialogSet::count(DialogState state) const noexcept {
  std::size_t n = 0;
  for (const auto& [tag, dialog] : dialogs_) n += dialog.state() == state ? 1 : 0;
  return n;
}

void DialogSet::for_each(const std::function<void(Dialog&)>& fn) {
  for (auto& [tag, dialog] : dialogs_) fn(dialog);
}

std::size_t DialogSet::terminate_early(DialogEndReason reason) {
  std::size_t ended = 0;
  for (auto& [tag, dialog] : dialogs_) {
    if (dialog.state() == DialogState::Early && dialog.terminate(reason)) ++ended;
  }
  return ended;
}

void DialogSet::remove_terminated() {
  std::erase_if(dialogs_, [](const auto& entry) { return entry.second.state() == DialogState::Terminated; });
}

Result<DialogSetUpdate> DialogSet::add(const Message& response, DialogSetUpdate::Kind kind) {
  auto dialog = Dialog::create_uac(invite_, response);
  if (!dialog) return tl::unexpected(std::move(dialog.error()));
  std::string tag = dialog->id().remote_tag;
  auto existing = dialogs_.find(tag);
  if (existing == dialogs_.end() && dialogs_.size() >= kMaxDialogsPerSet) {
    return make_error(Errc::LimitExceeded, "more than {} dialogs for one INVITE", kMaxDialogsPerSet);
  }
  Dialog* stored = nullptr;
  if (existing != dialogs_.end()) {
    existing->second = std::move(*dialog);  // replaces a terminated one
    stored = &existing->second;
  } else {
    stored = &dialogs_.emplace(std::move(tag), std::move(*dialog)).first->second;
  }
  return DialogSetUpdate{kind, stored, kind == DialogSetUpdate::Kind::Confirmed};
}

Result<DialogSetUpdate> DialogSet::on_invite_response(const Message& response) {
  using Kind = DialogSetUpdate::Kind;
  if (!response.is_response()) return make_error(Errc::InvalidArgument, "expected a response, got a request");
  auto id = dialog_id_of_response(response);
  if (!id) return tl::unexpected(std::move(id.error()));
  auto cseq = checked(response.cseq());
  if (!cseq) return tl::unexpected(std::move(cseq.error()));
  if (id->call_id != id_.call_id || id->local_tag != id_.local_tag || cseq->method != Method::Invite ||
      cseq->sequence != invite_cseq_) {
    return make_error(Errc::InvalidArgument, "response does not belong to this INVITE");
  }

  const std::uint16_t status = response.status();
  if (status >= 300) {
    terminate_early(DialogEndReason::Rejected);
    return DialogSetUpdate{Kind::Failed, nullptr, false};
  }
  const bool final = status >= 200;
  // §12.1.2: a provisional response without To tag creates no dialog.
  if (!final && (status == 100 || id->remote_tag.empty())) return DialogSetUpdate{Kind::Provisional, nullptr, false};

  Dialog* dialog = find(id->remote_tag);
  if (dialog == nullptr || (final && dialog->state() == DialogState::Terminated)) {
    // A new branch, or a 2xx for a branch we had given up on (it arrived
    // after our CANCEL or after the other branches ended): still a dialog,
    // which the caller must ACK and may then BYE (§15).
    return add(response, final ? Kind::Confirmed : Kind::EarlyCreated);
  }
  auto effect = dialog->on_invite_response(response);
  if (!effect) return tl::unexpected(std::move(effect.error()));
  switch (*effect) {
    case InviteResponseEffect::EarlyUpdated: return DialogSetUpdate{Kind::EarlyUpdated, dialog, false};
    case InviteResponseEffect::Confirmed: return DialogSetUpdate{Kind::Confirmed, dialog, false};
    case InviteResponseEffect::Retransmission: return DialogSetUpdate{Kind::Retransmission, dialog, false};
    case InviteResponseEffect::None:
    case InviteResponseEffect::Ended: break;
  }
  return DialogSetUpdate{Kind::Ignored, dialog, false};
}

}  // namespace voxgate::sip
