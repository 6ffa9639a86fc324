#include "sip/dialog/dialog_layer.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sip/dialog/detail/call.hpp"
#include "sip/dialog/uas_checks.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/reason.hpp"
#include "sip/message/via.hpp"

namespace voxgate::sip {

using dialog_detail::CallPhase;

namespace {

// What an incoming call that never got established reports (§15.1.2: a BYE
// on an early dialog ends the INVITE with 487).
std::uint16_t failure_status(DialogEndReason reason) noexcept {
  switch (reason) {
    case DialogEndReason::Cancelled:
    case DialogEndReason::RemoteBye: return 487;
    case DialogEndReason::NoAck: return 408;
    default: return 480;
  }
}

}  // namespace

DialogLayer::DialogLayer(runtime::Timers& timers, MessageTransport& transport, IncomingCallHandler& incoming,
                         sdp::SessionIdSource& session_ids, DialogLayerConfig config, RandomBits random)
    : config_(std::move(config)),
      timers_(timers),
      transport_(transport),
      incoming_(incoming),
      session_ids_(session_ids),
      random_(std::move(random)),
      transactions_(timers, transport, *this, config_.timers, config_.limits, random_) {}

DialogLayer::~DialogLayer() = default;

// ---- lookups and bookkeeping ----

DialogLayer::Call* DialogLayer::find(CallHandle handle) {
  auto it = calls_.find(handle);
  return it == calls_.end() ? nullptr : it->second.get();
}

const DialogLayer::Call* DialogLayer::find(CallHandle handle) const {
  auto it = calls_.find(handle);
  return it == calls_.end() ? nullptr : it->second.get();
}

DialogLayer::Call* DialogLayer::find(const DialogId& id) {
  auto it = by_dialog_.find(id);
  return it == by_dialog_.end() ? nullptr : find(it->second);
}

const Dialog* DialogLayer::dialog_of(CallHandle handle) const {
  const Call* call = find(handle);
  return call == nullptr ? nullptr : call->current_dialog();
}

std::optional<DialogSetId> DialogLayer::identity_of(CallHandle handle) const {
  const Call* call = find(handle);
  if (call == nullptr) return std::nullopt;
  if (call->role == DialogRole::Uac) {
    if (!call->dialogs) return std::nullopt;
    return call->dialogs->id();
  }
  if (!call->invite) return std::nullopt;
  return DialogSetId{std::string(call->invite->call_id().value_or("")), call->local_tag};
}

void DialogLayer::index(Call& call, const Dialog& dialog) {
  by_dialog_[dialog.id()] = call.handle;
  call.indexed.push_back(dialog.id());
}

void DialogLayer::count_created(const Dialog& dialog) {
  ++stats_.dialogs_created;
  if (dialog.state() == DialogState::Confirmed) count_confirmed();
}

void DialogLayer::end_dialog(Dialog& dialog, DialogEndReason reason) {
  if (dialog.state() == DialogState::Terminated) return;
  (void)dialog.terminate(reason);  // Early or Confirmed: always allowed
  ++stats_.dialogs_ended[static_cast<std::size_t>(reason)];
}

void DialogLayer::end_call(Call& call, DialogEndReason reason) {
  if (call.phase == CallPhase::Ended) return;
  const bool was_established = call.phase == CallPhase::Established;
  call.phase = CallPhase::Ended;
  finished_.push_back(call.handle);
  call.two_hundred.reset();
  if (Dialog* dialog = call.current_dialog()) end_dialog(*dialog, reason);
  if (call.dialogs) {
    call.dialogs->for_each([this, reason](Dialog& d) { end_dialog(d, reason); });
  }
  if (call.observer == nullptr) return;
  if (was_established) {
    call.observer->on_call_ended(call.handle, reason);
  } else {
    call.observer->on_call_failed(call.handle, failure_status(reason));
  }
}

void DialogLayer::fail_call(Call& call, std::uint16_t status) {
  if (call.phase == CallPhase::Ended) return;
  call.phase = CallPhase::Ended;
  finished_.push_back(call.handle);
  call.two_hundred.reset();
  if (call.media && call.media->state() == sdp::OfferAnswerState::LocalOfferSent) (void)call.media->rollback();
  if (call.observer != nullptr) call.observer->on_call_failed(call.handle, status);
}

void DialogLayer::respond(ServerTransactionId id, Message response) {
  // Errors mean the transaction is gone (it told us, or will): nothing to add.
  (void)transactions_.respond(id, std::move(response));
}

void DialogLayer::track(Call& call, ServerTransactionId id) {
  by_server_[id] = call.handle;
  call.server_transactions.push_back(id);
}

void DialogLayer::track(Call& call, ClientTransactionId id) {
  by_client_[id] = call.handle;
  call.client_transactions.push_back(id);
}

std::string DialogLayer::make_branch() {
  return std::string(kMagicCookie) + make_tag(random_);
}

Result<ClientTransactionId> DialogLayer::send_in_dialog(Call& call, Message request, const Dialog& dialog) {
  auto target = dialog.next_hop();
  if (!target) return tl::unexpected(std::move(target.error()));
  auto id = transactions_.send_request(std::move(request), *target, *this);
  if (!id) return id;
  track(call, *id);
  return id;
}

Result<void> DialogLayer::send_bye(Call& call, Dialog& dialog, std::string_view reason) {
  auto bye = dialog.build_bye();
  if (!bye) return tl::unexpected(std::move(bye.error()));
  if (!reason.empty()) bye->add_header(HeaderId::Reason, reason);
  auto sent = send_in_dialog(call, std::move(*bye), dialog);
  if (!sent) return tl::unexpected(std::move(sent.error()));
  return {};
}

void DialogLayer::collect() {
  std::vector<CallHandle> candidates;
  candidates.swap(finished_);
  for (CallHandle handle : candidates) {
    auto it = calls_.find(handle);
    if (it == calls_.end()) continue;
    Call& call = *it->second;
    if (call.phase != CallPhase::Ended) continue;
    for (const DialogId& id : call.indexed) {
      auto entry = by_dialog_.find(id);
      if (entry != by_dialog_.end() && entry->second == handle) by_dialog_.erase(entry);
    }
    // What still runs (Timers D, J, K, L, M of the call's last
    // transactions) finishes without the call, absorbing retransmissions
    // alone: an ended call's memory goes now, not 32 s later (BENCHMARKS.md,
    // "SIP core under load"). A copy of a 2xx or a request that arrives
    // later finds no dialog (an ACK is dropped, a request gets 481).
    for (const ServerTransactionId id : call.server_transactions) by_server_.erase(id);
    for (const ClientTransactionId id : call.client_transactions) {
      by_client_.erase(id);
      transactions_.detach(id);
    }
    timers_.cancel(call.session_timer.timer);
    timers_.cancel(call.reoffer.retry);
    timers_.cancel(call.transfer.deadline);
    calls_.erase(it);
  }
}

void DialogLayer::release(Call& call, ServerTransactionId id) {
  auto& ids = call.server_transactions;
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
}

void DialogLayer::release(Call& call, ClientTransactionId id) {
  auto& ids = call.client_transactions;
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
}

// ---- ServerTransactionUser ----

void DialogLayer::on_request(ServerTransactionId id, InboundMessage&& in) {
  const Message& request = in.message;
  std::string local_tag = make_tag(random_);
  RequestDecision decision = check_request(request, local_tag);
  if (draining_ && decision.kind == RequestDecision::Kind::Respond && request.method() == Method::Options) {
    // Draining: a load balancer's OPTIONS probe learns we take no new calls
    // (RFC 3261 §21.5.4: 503 with Retry-After; RFC 3263 §4.3 peers fail over).
    auto to = request.to();
    if (!(to && to->tag().has_value())) {
      respond(id, make_response(request, 503, {}, local_tag)
                      .header(HeaderId::RetryAfter, fmt::format_int(config_.overload_retry_after_seconds).c_str())
                      .build());
      return;
    }
  }
  if (decision.kind == RequestDecision::Kind::Respond) {
    ++stats_.rejected_by_checks;
    respond(id, std::move(*decision.response));
    return;
  }
  if (decision.kind == RequestDecision::Kind::Drop) return;

  auto to = request.to();
  const bool in_dialog = to && to->tag().has_value();
  if (in_dialog) {
    on_in_dialog_request(id, std::move(in));
  } else if (request.method() == Method::Invite) {
    on_new_invite(id, std::move(in), std::move(local_tag));
  } else {
    // BYE (or another dialog method) without a To tag names no dialog.
    ++stats_.no_dialog;
    respond(id, make_no_dialog_response(request));
  }
  collect();
}

void DialogLayer::on_server_transaction_ended(ServerTransactionId id, TransactionEnd reason) {
  auto it = by_server_.find(id);
  if (it == by_server_.end()) return;
  const CallHandle handle = it->second;
  by_server_.erase(it);
  if (Call* call = find(handle)) {
    release(*call, id);
    // The INVITE transaction died before we answered (its transport failed).
    if (call->phase == CallPhase::Offered && call->invite_transaction == id) {
      if (call->dialog) end_dialog(*call->dialog, DialogEndReason::PeerGone);
      fail_call(*call, reason == TransactionEnd::Timeout ? 408 : 503);
    }
  }
  collect();
}

// ---- ClientTransactionUser ----

void DialogLayer::on_response(ClientTransactionId id, InboundMessage&& in) {
  auto it = by_client_.find(id);
  if (it == by_client_.end()) return;
  Call* call = find(it->second);
  if (call == nullptr) return;
  if (call->role == DialogRole::Uac && call->invite_client == id) {
    on_invite_response(*call, std::move(in));
  } else if (Dialog* dialog = call->current_dialog()) {
    if (call->reoffer.transaction == id || call->reoffer.acked == id) {
      on_reoffer_response(*call, *dialog, id, in);  // it applies §12.2.1.2 itself
    } else if (call->transfer.transaction == id) {
      on_refer_response(*call, *dialog, in);  // and so does this, as RFC 5057 refines it
    } else if (dialog->on_response(in.message) == InDialogResponseEffect::Ended) {
      // BYE and other requests in the dialog: 481/408 end it (§12.2.1.2).
      ++stats_.dialogs_ended[static_cast<std::size_t>(DialogEndReason::PeerGone)];
      end_call(*call, DialogEndReason::PeerGone);
    } else if (call->session_timer.refresh == id || call->session_timer.acked_refresh == id) {
      on_session_refresh_response(*call, id, in);
    }
  }
  collect();
}

void DialogLayer::on_client_transaction_ended(ClientTransactionId id, TransactionEnd reason) {
  auto it = by_client_.find(id);
  if (it == by_client_.end()) return;
  const CallHandle handle = it->second;
  by_client_.erase(it);
  if (Call* call = find(handle)) {
    release(*call, id);
    if (call->role == DialogRole::Uac && call->invite_client == id && call->phase == CallPhase::Inviting) {
      // No final response: Timer B, no answer to our CANCEL, or the transport.
      if (call->dialogs) {
        call->dialogs->for_each([this](Dialog& d) { end_dialog(d, DialogEndReason::PeerGone); });
      }
      const std::uint16_t status =
          call->cancel_requested ? 487 : (reason == TransactionEnd::TransportError ? 503 : 408);
      fail_call(*call, status);
    } else if (call->reoffer.transaction == id) {
      on_reoffer_timeout(*call, reason);
    } else if (call->transfer.transaction == id) {
      on_refer_timeout(*call, reason);
    } else if (call->reoffer.acked == id) {
      call->reoffer.acked.reset();  // its 2xx can come no more
      call->reoffer.ack.reset();
    }
  }
  collect();
}

// ---- application calls ----

Result<void> DialogLayer::hangup(CallHandle handle) {
  return hangup(handle, {});
}

Result<void> DialogLayer::hangup(CallHandle handle, std::string_view reason) {
  Call* call = find(handle);
  if (call == nullptr) return make_error(Errc::NotFound, "no call {}", handle);
  // RFC 3326 §2: never a header the peer cannot parse.
  if (!reason.empty() && (!parse_reason(reason) || reason.find_first_of("\r\n") != std::string_view::npos)) {
    return make_error(Errc::InvalidArgument, "not a Reason header value (RFC 3326 §2): {}", reason);
  }
  Result<void> result;
  switch (call->phase) {
    case CallPhase::Inviting:
      // The CANCEL (§9.1) carries the reason, and so does the BYE of a 2xx
      // that crosses it.
      call->cancel_requested = true;
      call->hangup_reason = std::string(reason);
      if (auto cancelled = transactions_.cancel(call->invite_client, reason); !cancelled) result = cancelled;
      break;
    case CallPhase::Offered: {
      MessageBuilder unavailable = make_response(*call->invite, 480, {}, call->local_tag);
      if (!reason.empty()) unavailable.header(HeaderId::Reason, reason);
      send_final_failure(*call, std::move(unavailable), 480);
      break;
    }
    case CallPhase::Accepting:  // §15: BYE after the ACK
      call->hangup_after_ack = true;
      call->hangup_reason = std::string(reason);
      break;
    case CallPhase::Established: {
      Dialog* dialog = call->current_dialog();
      if (dialog != nullptr) result = send_bye(*call, *dialog, reason);
      end_call(*call, DialogEndReason::LocalBye);
      break;
    }
    case CallPhase::Ended: result = make_error(Errc::InvalidState, "call {} has ended", handle); break;
  }
  collect();
  return result;
}

}  // namespace voxgate::sip
