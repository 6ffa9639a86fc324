#pragma once
// One call as the dialog layer keeps it: its dialog (or, for a call we
// place, the set of dialogs its INVITE created), its offer/answer session,
// its 2xx retransmission, its session timer, our re-offer and the
// transactions that still refer to it.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/small_vector.hpp"
#include "runtime/timer_service.hpp"
#include "sdp/local_media.hpp"
#include "sdp/offer_answer.hpp"
#include "sip/dialog/call_observer.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_set.hpp"
#include "sip/dialog/refer_subscription.hpp"
#include "sip/dialog/reliable_two_hundred.hpp"
#include "sip/dialog/session_timer.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_ids.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip::dialog_detail {

enum class CallPhase : std::uint8_t {
  Inviting,     // UAC: our INVITE is out, no 2xx yet
  Offered,      // UAS: the INVITE is in, no final response yet
  Accepting,    // UAS: our 2xx is out, waiting for the ACK
  Established,  // the call is up
  Ended,        // over; erased at the end of the entry point that ended it
};

// The ACK we sent for one 2xx, sent again for every copy of that 2xx.
struct SentAck {
  std::string bytes;
  Flow flow;
};

// The 2xx we retransmit until its ACK (§13.3.1.4), with its machine.
struct PendingTwoHundred {
  ServerTransactionId transaction;
  Message response;
  Flow flow;
  std::uint32_t cseq = 0;
  std::unique_ptr<ReliableTwoHundred> machine;
};

// A call's RFC 4028 session timer (dialog_layer_session_timer.cpp).
struct CallSessionTimer {
  std::optional<UasTimerDecision> answer;      // decided on the peer's request, for our 2xx to it
  std::optional<AgreedTimer> agreed;           // in force; nullopt: no session timer
  std::optional<std::uint32_t> min_se;         // the largest Min-SE of the dialog, for our refreshes (§7.4)
  runtime::TimerId timer{};                    // the refresh (we refresh) or the expiry (they do)
  bool peer_allows_update = false;             // UPDATE in the peer's Allow (RFC 3311 §5.1)
  std::optional<ClientTransactionId> refresh;  // our refresh request in flight
  bool refresh_is_invite = false;
  std::uint32_t refresh_cseq = 0;
  std::optional<SentAck> refresh_ack;                // the ACK of a re-INVITE refresh's 2xx, for its retransmissions
  std::optional<ClientTransactionId> acked_refresh;  // that re-INVITE's transaction
  std::uint32_t glare_retries = 0;                   // 491s in a row to our refresh re-INVITEs
};

// Our re-offer (dialog_layer_reoffer.cpp): a re-INVITE with a new offer
// made from the config the application asked for (RFC 3261 §14.1, RFC 3264
// §8). At most one per call, and never while another offer/answer exchange
// or INVITE transaction of the dialog is unfinished.
struct CallReoffer {
  enum class Phase : std::uint8_t {
    Idle,     // none (the last one, if any, is over)
    Sent,     // our re-INVITE is out, no final response yet
    Waiting,  // it got 491: the retry waits for the §14.1 back-off
  };
  Phase phase = Phase::Idle;
  sdp::LocalMediaConfig wanted;                    // what the application asked for
  std::optional<sdp::OfferAnswerSession> before;   // the session before our offer: restored when it fails
  std::optional<ClientTransactionId> transaction;  // the re-INVITE in flight (Sent)
  std::uint32_t cseq = 0;                          // its CSeq, for the ACK
  std::uint32_t glare_retries = 0;                 // 491s so far for this re-offer
  runtime::TimerId retry{};                        // the back-off (Waiting), or a re-check
  std::optional<SentAck> ack;                      // the ACK of its 2xx, for the 2xx's retransmissions
  std::optional<ClientTransactionId> acked;        // that re-INVITE's transaction
};

// Our blind transfer (dialog_layer_refer.cpp, RFC 3515): the REFER, then
// the NOTIFYs of its implicit subscription until a final status.
struct CallTransfer {
  TransferPhase phase = TransferPhase::Idle;
  std::optional<ClientTransactionId> transaction;  // the REFER in flight (Referring)
  std::uint32_t cseq = 0;                          // its CSeq: the subscription's Event id (§2.4.6)
  runtime::TimerId deadline{};                     // kTransferOutcomeTimeout after the REFER
};

struct Call {
  CallHandle handle;
  DialogRole role = DialogRole::Uas;
  CallPhase phase = CallPhase::Offered;
  CallObserver* observer = nullptr;
  std::optional<sdp::OfferAnswerSession> media;
  // The transactions mapped to this call that still run. When the call is
  // erased they are unmapped (and client ones detached): they finish alone.
  SmallVector<ServerTransactionId, 3> server_transactions;
  SmallVector<ClientTransactionId, 2> client_transactions;
  std::vector<DialogId> indexed;  // its entries in the layer's dialog index
  CallSessionTimer session_timer;
  CallReoffer reoffer;
  CallTransfer transfer;
  // RFC 3326: the Reason of a hangup() whose BYE waits (for the ACK of our
  // 2xx, or for the 2xx that crosses our CANCEL).
  std::string hangup_reason;

  // UAS: the INVITE and where it came from, our To tag, our dialog.
  ServerTransactionId invite_transaction;
  std::optional<Message> invite;
  Flow invite_flow;
  std::string local_tag;
  std::optional<Dialog> dialog;
  std::optional<sdp::SessionDescription> remote_offer;  // the INVITE's offer, until we answer
  std::optional<PendingTwoHundred> two_hundred;
  std::unique_ptr<ReliableTwoHundred::User> two_hundred_user;
  bool hangup_after_ack = false;  // hangup() before the ACK: BYE once it comes (§15)

  // UAC: the INVITE's transaction, its dialogs, the one that answered.
  ClientTransactionId invite_client;
  std::optional<DialogSet> dialogs;
  std::optional<std::string> answered_tag;  // set once a 2xx is taken as the answer
  bool cancel_requested = false;
  std::map<std::string, SentAck, std::less<>> acks;  // by remote tag
  // RFC 4028 §7.1/§7.4: the timer headers of our INVITE (nullopt: none), to
  // retry it once per Min-SE increase after a 422.
  std::optional<TimerRequestHeaders> invite_timer;

  // The dialog of the established (or establishing) call, whichever side.
  Dialog* current_dialog() {
    if (role == DialogRole::Uas) return dialog ? &*dialog : nullptr;
    if (!dialogs || !answered_tag) return nullptr;
    return dialogs->find(*answered_tag);
  }
  [[nodiscard]] const Dialog* current_dialog() const {
    if (role == DialogRole::Uas) return dialog ? &*dialog : nullptr;
    if (!dialogs || !answered_tag) return nullptr;
    return dialogs->find(*answered_tag);
  }
};

}  // namespace voxgate::sip::dialog_detail
