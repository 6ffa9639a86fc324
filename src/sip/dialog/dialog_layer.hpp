#pragma once
// The UAS and UAC cores of one worker loop (RFC 3261 §8, §12-§15) on top of
// its transaction layer, which the dialog layer owns and is the user of.
//
// Incoming: every new request passes the §8.2 checks (uas_checks.hpp); a
// request with a To tag must name one of our dialogs (481); an INVITE goes
// to the application's IncomingCallHandler, whose decision (answer, reject,
// ring, defer) the layer carries out with SDP offer/answer (488 + Warning
// 305 when no codec is common), then retransmits the 2xx until the ACK
// (BYE after 64*T1 without). CANCEL -> 487; BYE -> 200 and the call ends;
// a re-INVITE is answered from the current media config, and so is an
// UPDATE's offer (RFC 3311; 491 when offers cross); an INFO carrying a
// DTMF digit -> 200 and the digit to the call's observer (RFC 6086).
//
// Outgoing: make_call() sends the INVITE with our offer, reports every
// provisional response, ACKs every 2xx (again for each retransmission),
// keeps the first answering dialog and BYEs any other, and ends early
// dialogs of other branches; a 422 is retried once per Min-SE increase
// (RFC 4028 §7.4). hangup() CANCELs or BYEs as the call stands.
//
// Either side: reoffer() changes the media of an established call with a
// re-INVITE (hold, resume, codec change; RFC 3261 §14.1, RFC 3264 §8),
// retried after the §14.1 back-off when the peer answers 491. refer()
// transfers the peer elsewhere (RFC 3515 blind transfer): a REFER, then the
// NOTIFYs of its subscription (dialog_layer_refer.cpp).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "runtime/timer_service.hpp"
#include "sdp/local_media.hpp"
#include "sdp/session_id_source.hpp"
#include "sip/dialog/call_observer.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_id.hpp"
#include "sip/dialog/dialog_layer_stats.hpp"
#include "sip/dialog/identifiers.hpp"
#include "sip/dialog/refer_subscription.hpp"
#include "sip/dialog/session_timer.hpp"
#include "sip/message/builder.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "sip/transport/message_transport.hpp"

namespace voxgate::sip {

namespace dialog_detail {
struct Call;
struct SentAck;
class TwoHundredUser;
}  // namespace dialog_detail

struct DialogLayerConfig {
  std::string contact_uri;  // where peers reach us: "sip:voxgate@192.0.2.10:5060"
  std::string host;         // our host, for Call-IDs and Warning headers: "192.0.2.10"
  TimerSettings timers;     // T1/T2 for the transactions and the 2xx retransmission
  TransactionLimits limits;
  // Retry-After of the 500 to a re-INVITE that overlaps another (§14.2).
  std::uint32_t retry_after_seconds = 5;
  // Retry-After of a 503 the application rejects a call with (§21.5.4).
  std::uint32_t overload_retry_after_seconds = 30;
  SessionTimerSettings session_timer;  // RFC 4028 (session_timer.hpp)
  // Whether a Call-ID would be routed to this layer's worker loop (the
  // transport hands each message to the loop its Call-ID hashes to,
  // LoopPool::index_for). The calls this layer places draw Call-IDs until
  // it says yes, so their responses and requests come back here; empty:
  // every Call-ID does (one loop).
  std::function<bool(std::string_view call_id)> owns_call_id;
};

struct OutgoingCall {
  std::string request_uri;         // "sip:bob@192.0.2.4"
  std::string from;                // "Voxgate <sip:gw@example.com>" (no tag)
  std::string to;                  // "<sip:bob@example.com>" (no tag)
  std::vector<std::string> route;  // preloaded route, each "<sip:...;lr>"
  sdp::LocalMediaConfig media;     // our offer is made from it
};

class DialogLayer final : public ServerTransactionUser, public ClientTransactionUser {
 public:
  // Every reference must outlive the layer. `random` feeds tags, Call-IDs
  // and branches (and the transaction layer's).
  DialogLayer(runtime::Timers& timers, MessageTransport& transport, IncomingCallHandler& incoming,
              sdp::SessionIdSource& session_ids, DialogLayerConfig config, RandomBits random);
  DialogLayer(const DialogLayer&) = delete;
  DialogLayer& operator=(const DialogLayer&) = delete;
  ~DialogLayer() override;

  // Where the transport delivers messages for this loop.
  [[nodiscard]] InboundMessageHandler& inbound() noexcept { return transactions_; }
  [[nodiscard]] TransactionLayer& transactions() noexcept { return transactions_; }
  [[nodiscard]] const DialogLayerStats& stats() const noexcept { return stats_; }
  [[nodiscard]] std::size_t calls() const noexcept { return calls_.size(); }

  // Outgoing calls. Fails when the INVITE cannot be built or sent (bad
  // address, host name without DNS, transport refused, media config invalid).
  Result<CallHandle> make_call(const OutgoingCall& outgoing, CallObserver& observer);

  // A deferred decision on an incoming call (after Ring or Defer).
  Result<void> answer(CallHandle handle, const sdp::LocalMediaConfig& media);
  Result<void> reject(CallHandle handle, std::uint16_t status, std::string_view reason = {});
  Result<void> ring(CallHandle handle);

  // A 3xx (300-399) for an incoming call not yet answered, with one Contact
  // header per value of `contacts` ("<sip:bob@192.0.2.5>"), where the
  // caller should try instead (RFC 3261 §8.3, §21.3). Errc::InvalidArgument
  // for another status, no contact (only 380 Alternative Service may have
  // none, §21.3.5) or a value that is not a Contact address.
  Result<void> redirect(CallHandle handle, std::uint16_t status, std::vector<std::string> contacts);

  // Ends a call however it stands: CANCEL an outgoing call not yet
  // answered, 480 an incoming one not yet answered, BYE an established one
  // (for an incoming call whose 2xx awaits its ACK, once the ACK comes).
  Result<void> hangup(CallHandle handle);
  // The same, saying why in a Reason header (RFC 3326): `reason` is its
  // value, `SIP;cause=200;text="Call completed elsewhere"` or
  // `Q.850;cause=16` ("" for none; Errc::InvalidArgument when it does not
  // parse). It goes on the BYE, on the 480, on the CANCEL (RFC 3326 §2
  // allows it there) and on the BYE of a 2xx that crosses the CANCEL.
  Result<void> hangup(CallHandle handle, std::string_view reason);

  // Our new offer for an established call, made from `media` (a new o=
  // version, RFC 3264 §8), in a re-INVITE (RFC 3261 §14.1): hold is
  // `media.direction` sendonly or inactive, resume sendrecv. Its 2xx is
  // ACKed, the answer applied and on_call_media_changed reported; a 491 is
  // retried after the §14.1 back-off (2.1-4 s when we placed the call, else
  // 0-2 s), up to kMaxGlareRetries times; any other failure rolls back
  // (media and config as before) and reports on_call_reoffer_failed. A
  // hangup() meanwhile ends it with the call (on_call_ended only).
  // Errors: NotFound; InvalidState when the call is not established or an
  // offer/answer exchange or INVITE transaction of the dialog is unfinished
  // (ours or the peer's: RFC 3264 §4, RFC 3261 §14.1), the message says
  // which; InvalidArgument for a config that does not validate; the
  // transport's error when the re-INVITE cannot be sent (nothing changed).
  Result<void> reoffer(CallHandle handle, const sdp::LocalMediaConfig& media);
  // How many 491s in a row one re-offer retries before it fails with 491
  // (and a session refresh before it waits as after any other failure).
  static constexpr std::uint32_t kMaxGlareRetries = 5;

  // Blind transfer (RFC 3515): a REFER in the established dialog, built by
  // it (Request-URI, Route, CSeq, tags), with Refer-To: <target> and, when
  // `referred_by` is not empty, Referred-By: `referred_by` (RFC 3892, a
  // name-addr). The REFER's final response and the NOTIFYs of its implicit
  // subscription (Event: refer, message/sipfrag bodies, §2.4.4-§2.4.5) are
  // reported as on_call_transfer: Accepted (2xx), Progress (a 1xx
  // sipfrag), then Succeeded (a 2xx sipfrag) or Failed (the REFER's
  // 3xx-6xx, 408 for its timeout or for no final NOTIFY within
  // kTransferOutcomeTimeout, a sipfrag >= 300). The call stays up either
  // way. Errors: NotFound; InvalidState when the call is not established
  // or a transfer of the dialog is under way (one at a time); InvalidArgument
  // for a target that is not a SIP or SIPS URI or a Referred-By that is not
  // an address; the transport's error when the REFER cannot be sent.
  Result<void> refer(CallHandle handle, std::string_view target, std::string_view referred_by = {});

  // The dialog of a call (its answered one for an outgoing call), for
  // inspection; nullptr when there is none.
  [[nodiscard]] const Dialog* dialog_of(CallHandle handle) const;
  // While draining (shutdown), OPTIONS outside a dialog is answered 503
  // with Retry-After, so load balancers stop sending new calls; calls in
  // progress go on. New INVITEs are refused by the session limits.
  void set_draining(bool draining) noexcept { draining_ = draining; }

  // The Call-ID and our tag of a call, from its first moment (an incoming
  // call's during on_invite, an outgoing one's once make_call returns);
  // nullopt for an unknown handle.
  [[nodiscard]] std::optional<DialogSetId> identity_of(CallHandle handle) const;

 private:
  using Call = dialog_detail::Call;
  friend class dialog_detail::TwoHundredUser;

  // ServerTransactionUser
  void on_request(ServerTransactionId id, InboundMessage&& in) override;
  void on_ack(InboundMessage&& in) override;
  void on_cancel(ServerTransactionId invite, const InboundMessage& cancel) override;
  void on_server_transaction_ended(ServerTransactionId id, TransactionEnd reason) override;
  // ClientTransactionUser
  void on_response(ClientTransactionId id, InboundMessage&& in) override;
  void on_client_transaction_ended(ClientTransactionId id, TransactionEnd reason) override;

  // UAS (dialog_layer_uas.cpp)
  void on_new_invite(ServerTransactionId id, InboundMessage&& in, std::string local_tag);
  void apply(Call& call, const CallDecision& decision);
  void answer_call(Call& call, const sdp::LocalMediaConfig& media);
  void reject_call(Call& call, std::uint16_t status, std::string_view reason, std::string_view warning = {});
  // Sends `response` (a final failure, `status`) to the unanswered INVITE;
  // the call fails with `status`.
  void send_final_failure(Call& call, MessageBuilder response, std::uint16_t status);
  void ring_call(Call& call);
  void on_in_dialog_request(ServerTransactionId id, InboundMessage&& in);
  void on_reinvite(Call& call, ServerTransactionId id, const InboundMessage& in);
  void on_update(Call& call, ServerTransactionId id, const Message& request);
  // The SDP answer to the offer in `request`'s body, or the response that
  // refuses it (400 malformed, 488 incompatible; the session unchanged).
  tl::expected<std::string, Message> answer_offer(Call& call, const Message& request);
  void on_info(Call& call, ServerTransactionId id, const Message& request);
  void send_two_hundred(Call& call, ServerTransactionId id, Message response, const Flow& flow);
  void on_two_hundred_timeout(CallHandle handle);
  void retransmit_two_hundred(CallHandle handle);
  // A redirect's checks (status, contacts), then the 3xx; or why not.
  Result<void> redirect_call(Call& call, std::uint16_t status, const std::vector<std::string>& contacts);

  // UAC (dialog_layer_uac.cpp)
  void on_invite_response(Call& call, InboundMessage&& in);
  void send_ack(Call& call, Dialog& dialog, std::string_view sdp_answer = {});
  void resend_ack(Call& call, std::string_view remote_tag);
  void drop_extra_dialog(Call& call, Dialog& dialog);
  // RFC 4028 §7.4: the INVITE again after a 422 (same Call-ID and From tag,
  // CSeq + 1, a new branch, Session-Expires and Min-SE raised to the 422's
  // Min-SE). False when it does not apply (no Min-SE increase, cancelled,
  // cannot be sent): the call then fails with the 422.
  bool retry_invite_after_422(Call& call, const Message& response);

  // Session timers (dialog_layer_session_timer.cpp, RFC 4028)
  // Our decision on a session refresh request of the peer (its INVITE, a
  // re-INVITE, an UPDATE), kept for our 2xx; or the response refusing it
  // (422 with our Min-SE, 400 for a malformed header).
  tl::expected<UasTimerDecision, Message> decide_session_timer(const Call* call, const Message& request,
                                                               std::string_view to_tag);
  // Our 2xx to that request carries the kept decision; sent, it is in force.
  void add_session_timer_headers(const Call& call, MessageBuilder& two_hundred) const;
  void agree_session_timer(Call& call, std::optional<AgreedTimer> agreed);
  // (Re)starts the call's one session timer `delay` from now.
  void schedule_session_timer(Call& call, Clock::Duration delay);
  void on_session_timer(CallHandle handle);
  void send_session_refresh(Call& call);
  void on_session_refresh_response(Call& call, ClientTransactionId in_transaction, const InboundMessage& in);
  // Session-Expires (when a timer is agreed), Min-SE, Supported, Allow: the
  // headers of a session refresh request of ours (RFC 4028 §7.4), which
  // every re-INVITE of ours is.
  void add_session_refresh_headers(const Call& call, Message& request) const;
  // The 2xx to a refresh request of ours (any re-INVITE, or UPDATE) decides
  // the timer again (§7.2) and may tell us the peer allows UPDATE.
  void on_session_refreshed_by_us(Call& call, const Message& two_hundred);
  void expire_session(Call& call);

  // Our re-INVITEs and re-offer (dialog_layer_reoffer.cpp, RFC 3261 §14.1,
  // RFC 3264 §8)
  // Whether a re-INVITE of ours may go out now: the call is up, and no
  // offer/answer exchange (RFC 3264 §4) and no INVITE transaction of the
  // dialog (§14.1) is unfinished, ours or the peer's. `why` says what blocks it.
  [[nodiscard]] bool can_send_reinvite(const Call& call, std::string* why = nullptr) const;
  // §14.1's back-off before a re-INVITE of ours answered 491 is retried.
  [[nodiscard]] Clock::Duration glare_delay(const Call& call);
  // The ACK of a 2xx to our re-INVITE with CSeq `cseq` (§13.2.2.4, §14.1),
  // sent; nullopt when it could not be built or sent.
  std::optional<dialog_detail::SentAck> send_reinvite_ack(const Dialog& dialog, std::uint32_t cseq);
  // The re-INVITE with the offer made from call.reoffer.wanted; on error
  // nothing changed.
  Result<void> send_reoffer(Call& call);
  void on_reoffer_response(Call& call, Dialog& dialog, ClientTransactionId in_transaction, const InboundMessage& in);
  // The re-INVITE's transaction ended without a final response.
  void on_reoffer_timeout(Call& call, TransactionEnd reason);
  void on_reoffer_retry(CallHandle handle);
  // Back to the session before the offer, and the observer told (last).
  void fail_reoffer(Call& call, std::uint16_t status);

  // Our blind transfer (dialog_layer_refer.cpp, RFC 3515, RFC 6665)
  void on_refer_response(Call& call, Dialog& dialog, const InboundMessage& in);
  // The REFER's transaction ended without a final response.
  void on_refer_timeout(Call& call, TransactionEnd reason);
  void on_transfer_deadline(CallHandle handle);
  // A NOTIFY in the dialog: the subscription of our REFER, or 481.
  void on_notify(Call& call, ServerTransactionId id, const Message& request);
  // One move of the transfer's phase (refer_subscription.hpp); false when
  // the table refuses it (nothing changed).
  bool move_transfer(Call& call, TransferPhase to);
  // The transfer is over: back to Idle, deadline cancelled, then `outcome`
  // reported (last: the observer may end the call).
  void finish_transfer(Call& call, TransferUpdate outcome);
  // Tells the call's observer, if the call is still up.
  void report_transfer(CallHandle handle, TransferUpdate update);

  // Shared (dialog_layer.cpp)
  CallHandle new_handle() noexcept { return CallHandle{++last_handle_}; }
  Call* find(CallHandle handle);
  const Call* find(CallHandle handle) const;
  Call* find(const DialogId& id);
  void index(Call& call, const Dialog& dialog);
  void count_created(const Dialog& dialog);
  void count_confirmed() noexcept { ++stats_.dialogs_confirmed; }
  void end_dialog(Dialog& dialog, DialogEndReason reason);
  // The established call ends: dialog terminated, observer told.
  void end_call(Call& call, DialogEndReason reason);
  // The call never established: observer told `status`.
  void fail_call(Call& call, std::uint16_t status);
  // `reason`: a Reason header value (RFC 3326), "" for none.
  Result<void> send_bye(Call& call, Dialog& dialog, std::string_view reason = {});
  Result<ClientTransactionId> send_in_dialog(Call& call, Message request, const Dialog& dialog);
  void respond(ServerTransactionId id, Message response);
  void track(Call& call, ServerTransactionId id);
  void track(Call& call, ClientTransactionId id);
  // One transaction of the call is done: it is no longer the call's.
  void release(Call& call, ServerTransactionId id);
  void release(Call& call, ClientTransactionId id);
  // Erases the calls that ended, unmapping the transactions they leave
  // running. Runs at the
  // end of the entry points, so nothing below them holds a dangling Call&
  // (not from timer callbacks: those run inside objects of the call).
  void collect();
  std::string make_branch();

  DialogLayerConfig config_;
  runtime::Timers& timers_;
  MessageTransport& transport_;
  IncomingCallHandler& incoming_;
  sdp::SessionIdSource& session_ids_;
  RandomBits random_;
  DialogLayerStats stats_;
  bool draining_ = false;
  TransactionLayer transactions_;

  std::uint64_t last_handle_ = 0;
  std::unordered_map<CallHandle, std::unique_ptr<Call>> calls_;
  std::unordered_map<DialogId, CallHandle> by_dialog_;
  std::unordered_map<ServerTransactionId, CallHandle> by_server_;
  std::unordered_map<ClientTransactionId, CallHandle> by_client_;
  std::vector<CallHandle> finished_;  // calls that may be erasable: checked by collect()
};

}  // namespace voxgate::sip
