#pragma once
// One dialog (RFC 3261 §12): the state both ends keep between an INVITE and
// its BYE, and the rules for requests inside it. Pure logic over Message: the
// dialog neither sends nor schedules anything; the dialog layer does that
// with what it returns.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sip/dialog/dialog_id.hpp"
#include "sip/dialog/dialog_state.hpp"
#include "sip/dialog/request_decision.hpp"
#include "sip/dialog/route_set.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

enum class DialogRole : std::uint8_t { Uac, Uas };

// What a further response to the dialog's INVITE did (UAC, §12.1.2, §13.2.2.4).
enum class InviteResponseEffect : std::uint8_t {
  None,            // nothing to do (a late 1xx after the 2xx, a non-2xx on a confirmed dialog)
  EarlyUpdated,    // a 1xx: the remote target follows its Contact
  Confirmed,       // the first 2xx: confirmed, route set and remote target recomputed
  Retransmission,  // another copy of the 2xx: send the ACK again (§13.2.2.4)
  Ended,           // a non-2xx final response ended the early dialog (§12.3)
};

// What the response to one of our requests inside the dialog did (§12.2.1.2).
enum class InDialogResponseEffect : std::uint8_t {
  None,
  TargetRefreshed,  // a 2xx to a target refresh request carried a new Contact
  Ended,            // 481 or 408: the peer has no such dialog any more
};

// The Retry-After of the 500 that answers an out-of-order request
// (§12.2.2, and §14.2's 0-10 s range for the retry).
inline constexpr std::uint32_t kOutOfOrderRetryAfterSeconds = 5;

// §12.2.1.1, §13.2.1: "Max-Forwards ... SHOULD be 70".
inline constexpr std::string_view kMaxForwards = "70";

// Target refresh requests replace the remote target (§12.2): re-INVITE, and
// UPDATE (RFC 3311 §5.2).
constexpr bool is_target_refresh(Method method) noexcept {
  return method == Method::Invite || method == Method::Update;
}

class Dialog {
 public:
  // §12.1.1: we are the UAS. `invite` is the request received, `response`
  // our 1xx (with a To tag: early) or 2xx (confirmed), carrying our Contact.
  // Fails when the INVITE has no usable Contact (answer it 400) or the
  // response cannot create a dialog.
  static Result<Dialog> create_uas(const Message& invite, const Message& response);

  // §12.1.2: we are the UAC. `request` is the INVITE we sent (with our From
  // tag and Contact), `response` a 1xx with a To tag (early) or a 2xx
  // (confirmed). The route set is the response's Record-Route reversed;
  // the remote target its Contact (the Request-URI when a 1xx lacks one).
  static Result<Dialog> create_uac(const Message& request, const Message& response);

  [[nodiscard]] const DialogId& id() const noexcept { return id_; }
  [[nodiscard]] DialogRole role() const noexcept { return role_; }
  [[nodiscard]] DialogState state() const noexcept { return state_; }
  [[nodiscard]] std::optional<DialogEndReason> end_reason() const noexcept { return end_reason_; }
  [[nodiscard]] std::optional<std::uint32_t> local_cseq() const noexcept { return local_cseq_; }
  [[nodiscard]] std::optional<std::uint32_t> remote_cseq() const noexcept { return remote_cseq_; }
  [[nodiscard]] const std::string& local_uri() const noexcept { return local_uri_; }
  [[nodiscard]] const std::string& remote_uri() const noexcept { return remote_uri_; }
  [[nodiscard]] const std::string& remote_target() const noexcept { return remote_target_; }
  [[nodiscard]] const std::string& local_contact() const noexcept { return local_contact_; }
  [[nodiscard]] const RouteSet& route_set() const noexcept { return route_set_; }

  // Early -> Confirmed: our 2xx was sent (UAS) or a 2xx arrived (UAC).
  Result<void> confirm();
  // -> Terminated, remembering why.
  Result<void> terminate(DialogEndReason reason);

  // UAC: a further response to the INVITE that created the dialog, with the
  // dialog's remote tag.
  Result<InviteResponseEffect> on_invite_response(const Message& response);

  // A request from the peer inside the dialog (§12.2.2): 481 once the dialog
  // is terminated; 500 with Retry-After when its CSeq is lower than the
  // remote CSeq; otherwise the remote CSeq is recorded, a target refresh
  // replaces the remote target, and the request proceeds. ACK and CANCEL
  // proceed without the CSeq rule: they carry their INVITE's number.
  RequestDecision on_request(const Message& request, std::uint32_t retry_after_seconds = kOutOfOrderRetryAfterSeconds);

  // The response to a request we sent inside the dialog (§12.2.1.2).
  InDialogResponseEffect on_response(const Message& response);

  // A new request inside the dialog (§12.2.1.1): Request-URI and Route from
  // the route set (loose or strict routing), From/To with the tags, Call-ID,
  // the next local CSeq, Max-Forwards, Contact for target refresh requests.
  // No Via: the transport adds it with the transaction's branch. Fails on a
  // terminated dialog, for ACK/CANCEL (see build_ack; CANCEL belongs to the
  // transaction), and when the local CSeq would overflow.
  Result<Message> build_request(Method method);
  // The ACK for a 2xx to an INVITE we sent (§13.2.2.4, §14.1): built like
  // a request in the dialog, with the CSeq number of the INVITE it
  // acknowledges; `sdp` is the answer when the 2xx carried the offer.
  Result<Message> build_ack(std::uint32_t invite_cseq, std::string_view sdp = {}) const;
  // BYE (§15.1.1). A UAS must not send BYE on an early dialog.
  Result<Message> build_bye();

  // Where requests built by this dialog go (§8.1.2): the first route (a loose
  // router, or a strict one whose URI became the Request-URI), else the
  // remote target.
  [[nodiscard]] Result<Target> next_hop() const;

 private:
  Dialog() = default;

  Result<void> set_state(DialogState to);
  [[nodiscard]] Result<Message> build(Method method, std::uint32_t cseq, bool with_contact) const;

  DialogId id_;
  DialogRole role_ = DialogRole::Uas;
  DialogState state_ = DialogState::Early;
  std::optional<DialogEndReason> end_reason_;
  std::optional<std::uint32_t> local_cseq_;   // empty until we send a request (UAS)
  std::optional<std::uint32_t> remote_cseq_;  // empty until the peer sends one (UAC)
  std::string local_uri_;                     // our address, without the tag
  std::string remote_uri_;                    // the peer's address, without the tag
  std::string remote_target_;                 // the peer's Contact URI
  std::string local_contact_;                 // our Contact URI
  RouteSet route_set_;
};

}  // namespace voxgate::sip
