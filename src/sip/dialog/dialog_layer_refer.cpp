// Our blind transfer: a REFER in an established dialog (RFC 3515 §2.4),
// then the NOTIFYs of the implicit subscription it creates (Event: refer,
// message/sipfrag bodies, §2.4.4-§2.4.5; RFC 6665 for the subscription's
// rules), until one carries a final status or the subscription ends. One
// transfer at a time per dialog (CallTransfer, refer_subscription.hpp); a
// NOTIFY that matches none is answered 481 (RFC 6665 §4.1.3).
//
// The call is not ended here, whatever the outcome: after a success the
// application hangs up (the transferee has a call with the target), after
// a failure the call goes on (RFC 3515 §2.4.5 leaves both to the REFER's
// sender).

#include <string>
#include <utility>

#include <fmt/format.h>

#include "sip/dialog/detail/call.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/dialog_headers.hpp"
#include "sip/message/media_type.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip {

using dialog_detail::CallPhase;

namespace {

// Characters that would let a target break out of Refer-To's <...> or the
// header line itself.
constexpr std::string_view kUnsafeInAddress = "<>\"\r\n \t";

Result<void> check_refer_target(std::string_view target) {
  if (target.find_first_of(kUnsafeInAddress) != std::string_view::npos) {
    return make_error(Errc::InvalidArgument, "transfer target '{}' is not a bare URI", target);
  }
  auto uri = parse_uri(target);
  if (!uri) return make_error(Errc::InvalidArgument, "transfer target '{}': {}", target, uri.error().reason);
  // RFC 3515 §2.1 allows any URI; the transferee of a SIP call can only be
  // asked for a SIP one (a tel: URI would need its own routing).
  if (!uri->is_sip())
    return make_error(Errc::InvalidArgument, "transfer target '{}' is not a sip: or sips: URI", target);
  return {};
}

}  // namespace

Result<void> DialogLayer::refer(CallHandle handle, std::string_view target, std::string_view referred_by) {
  Call* call = find(handle);
  if (call == nullptr) return make_error(Errc::NotFound, "no call {}", handle);
  if (call->phase != CallPhase::Established) {
    return make_error(Errc::InvalidState, "call {} is not established: no REFER (RFC 3515 §2.4)", handle);
  }
  if (call->transfer.phase != TransferPhase::Idle) {
    return make_error(Errc::InvalidState, "call {}: a transfer is already {} (one at a time per dialog)", handle,
                      to_string(call->transfer.phase));
  }
  if (auto valid = check_refer_target(target); !valid) return valid;
  if (!referred_by.empty() &&
      (referred_by.find_first_of("\r\n") != std::string_view::npos || !parse_name_addr(referred_by))) {
    return make_error(Errc::InvalidArgument, "Referred-By '{}' is not an address (RFC 3892 §3)", referred_by);
  }
  Dialog* dialog = call->current_dialog();
  if (dialog == nullptr) return make_error(Errc::InvalidState, "call {} has no dialog", handle);
  auto request = dialog->build_request(Method::Refer);
  if (!request) return tl::unexpected(std::move(request.error()));
  // §2.4.1: exactly one Refer-To. The name-addr form keeps a target's own
  // parameters and headers in the URI (RFC 3261 §20.10's rule for Contact).
  request->add_header(HeaderId::ReferTo, fmt::format("<{}>", target));
  if (!referred_by.empty()) request->add_header(HeaderId::ReferredBy, referred_by);
  // The REFER creates a subscription whose NOTIFYs come to our Contact
  // (RFC 6665 §4.1.2: a subscription-creating request carries one).
  request->add_header(HeaderId::Contact, fmt::format("<{}>", dialog->local_contact()));
  const std::uint32_t cseq = dialog->local_cseq().value_or(0);
  auto id = send_in_dialog(*call, std::move(*request), *dialog);
  if (!id) return tl::unexpected(std::move(id.error()));
  ++stats_.transfers_sent;
  (void)move_transfer(*call, TransferPhase::Referring);
  call->transfer.transaction = *id;
  call->transfer.cseq = cseq;
  call->transfer.deadline = timers_.schedule(kTransferOutcomeTimeout, [this, handle] { on_transfer_deadline(handle); });
  collect();
  return {};
}

bool DialogLayer::move_transfer(Call& call, TransferPhase to) {
  if (call.transfer.phase == to) return true;
  if (!check_transfer_move(call.transfer.phase, to)) return false;
  call.transfer.phase = to;
  return true;
}

void DialogLayer::report_transfer(CallHandle handle, TransferUpdate update) {
  Call* call = find(handle);
  if (call == nullptr || call->phase != CallPhase::Established || call->observer == nullptr) return;
  call->observer->on_call_transfer(handle, update);
}

void DialogLayer::finish_transfer(Call& call, TransferUpdate outcome) {
  (void)move_transfer(call, TransferPhase::Idle);
  call.transfer.transaction.reset();
  timers_.cancel(std::exchange(call.transfer.deadline, runtime::TimerId{}));
  if (outcome.kind == TransferUpdate::Kind::Failed) ++stats_.transfers_failed;
  report_transfer(call.handle, outcome);  // last: the observer may end the call
}

void DialogLayer::on_refer_response(Call& call, Dialog& dialog, const InboundMessage& in) {
  const Message& response = in.message;
  const std::uint16_t status = response.status();
  if (status < 200) return;
  call.transfer.transaction.reset();
  // A final NOTIFY that overtook the 2xx ended the transfer already
  // (RFC 6665 §4.1.2.4: NOTIFYs may arrive before the response).
  if (call.transfer.phase != TransferPhase::Referring) return;
  const CallHandle handle = call.handle;
  if (status < 300) {
    // §2.4.2: 2xx (202 Accepted, or 200) creates the implicit subscription.
    (void)move_transfer(call, TransferPhase::Subscribed);
    report_transfer(handle, TransferUpdate{TransferUpdate::Kind::Accepted, status});
    return;
  }
  // 481: the peer has no such dialog (RFC 3261 §12.2.1.2, RFC 5057 §5.1).
  // Other refusals, 408 included, concern the REFER's usage only (RFC 5057
  // §5.2): the call goes on.
  const bool dialog_gone = status == 481 && dialog.on_response(response) == InDialogResponseEffect::Ended;
  finish_transfer(call, TransferUpdate{TransferUpdate::Kind::Failed, status});
  if (!dialog_gone) return;
  ++stats_.dialogs_ended[static_cast<std::size_t>(DialogEndReason::PeerGone)];
  if (Call* again = find(handle)) end_call(*again, DialogEndReason::PeerGone);
}

void DialogLayer::on_refer_timeout(Call& call, TransactionEnd reason) {
  call.transfer.transaction.reset();
  if (call.transfer.phase != TransferPhase::Referring) return;
  // RFC 3261 §8.1.3.1: no answer counts as 408, a transport failure as 503.
  const std::uint16_t status = reason == TransactionEnd::Timeout ? kTransferTimeoutStatus : 503;
  finish_transfer(call, TransferUpdate{TransferUpdate::Kind::Failed, status});
}

void DialogLayer::on_transfer_deadline(CallHandle handle) {
  Call* call = find(handle);
  if (call == nullptr) return;
  call->transfer.deadline = {};
  if (call->transfer.phase == TransferPhase::Idle || call->phase != CallPhase::Established) return;
  finish_transfer(*call, TransferUpdate{TransferUpdate::Kind::Failed, kTransferTimeoutStatus});
  collect();
}

void DialogLayer::on_notify(Call& call, ServerTransactionId id, const Message& request) {
  // RFC 6665 §8.2.1: a NOTIFY names its package in Event.
  auto event = request.find<HeaderId::Event>();
  if (!event) {
    respond(id, make_response(request, 400, event.error().reason).build());
    return;
  }
  if (!*event) {
    respond(id, make_response(request, 400, "Missing Event header").build());
    return;
  }
  // RFC 6665 §4.1.3: a NOTIFY that matches no subscription of ours -> 481.
  // Ours is the REFER's: package refer, id its CSeq when given (RFC 3515
  // §2.4.6; the first REFER of a dialog may leave id out).
  const std::optional<std::string_view> event_id = (*event)->id();
  const bool ours = call.transfer.phase != TransferPhase::Idle && (*event)->package == "refer" &&
                    (!event_id || *event_id == fmt::format_int(call.transfer.cseq).str());
  if (!ours) {
    ++stats_.no_dialog;
    respond(id, make_response(request, 481, "Subscription does not exist").build());
    return;
  }
  // §8.2.3 of RFC 6665: every NOTIFY says the subscription's state.
  auto state = request.find<HeaderId::SubscriptionState>();
  if (!state || !*state) {
    respond(id, make_response(request, 400,
                              state ? std::string_view("Missing Subscription-State header") : state.error().reason)
                    .build());
    return;
  }
  // RFC 3515 §2.4.5: the body is a message/sipfrag with at least the
  // status line of the transferee's request to the target. uas_checks
  // refused other types already (415); an empty or broken one is 400.
  auto status = sipfrag_status(request.body());
  if (!status) {
    respond(id, make_response(request, 400, "Bad sipfrag").build());
    return;
  }
  respond(id, make_response(request, 200).build());

  const CallHandle handle = call.handle;
  const bool terminated = (*state)->status == SubscriptionStatus::Terminated;
  if (call.transfer.phase == TransferPhase::Referring) {
    // The NOTIFY overtook the REFER's 2xx (RFC 6665 §4.1.2.4): the
    // subscription exists. The 2xx, when it comes, is then ignored.
    (void)move_transfer(call, TransferPhase::Subscribed);
    report_transfer(handle, TransferUpdate{TransferUpdate::Kind::Accepted, 202});
  }
  Call* again = find(handle);
  if (again == nullptr || again->phase != CallPhase::Established || again->transfer.phase == TransferPhase::Idle) {
    return;
  }
  if (*status >= 200) {
    // A final status ends our interest; a NOTIFY still coming for the
    // subscription gets 481, which ends it at the notifier (RFC 6665 §4.1.3).
    const auto kind = *status < 300 ? TransferUpdate::Kind::Succeeded : TransferUpdate::Kind::Failed;
    finish_transfer(*again, TransferUpdate{kind, *status});
  } else if (terminated) {
    // Over without a final status: the outcome will never be told.
    finish_transfer(*again, TransferUpdate{TransferUpdate::Kind::Failed, kTransferAbandonedStatus});
  } else {
    report_transfer(handle, TransferUpdate{TransferUpdate::Kind::Progress, *status});
  }
}

}  // namespace voxgate::sip
