#pragma once
// What the dialog layer tells the application about calls, and how the
// application decides about an incoming one. Small typed interfaces: the
// layer calls them on its loop; they may call back into the layer (answer,
// reject, hangup...).
//
// Every call gets exactly one of on_call_answered / on_call_failed, and
// after on_call_answered exactly one on_call_ended.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strong_id.hpp"
#include "sdp/local_media.hpp"
#include "sdp/negotiated_media.hpp"
#include "sdp/session_description.hpp"
#include "sip/dialog/dialog_state.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/flow.hpp"

namespace voxgate::sip {

// One call of the dialog layer (incoming or outgoing), for the application.
using CallHandle = StrongId<struct CallHandleTag>;

// How our blind transfer (DialogLayer::refer, RFC 3515) goes, as the REFER's
// response and the NOTIFYs of its implicit subscription tell it.
struct TransferUpdate {
  enum class Kind : std::uint8_t {
    Accepted,   // a 2xx to the REFER: the subscription exists (§2.4.2)
    Progress,   // a NOTIFY whose sipfrag is 1xx: the transferee is trying (§2.4.5)
    Succeeded,  // a NOTIFY whose sipfrag is 2xx: the transferee reached the target
    Failed,     // the REFER refused (3xx-6xx), its timeout (408), a sipfrag >= 300,
                // or no final NOTIFY in time (408); `status` says which
  };
  Kind kind = Kind::Accepted;
  std::uint16_t status = 0;  // the REFER's response or the sipfrag's status

  friend bool operator==(const TransferUpdate&, const TransferUpdate&) = default;
};

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // Outgoing calls: a provisional response (180, 183...). `remote_tag` names
  // the early dialog ("" when the response created none); forking gives
  // several.
  virtual void on_call_progress(CallHandle /*call*/, std::uint16_t /*status*/, std::string_view /*remote_tag*/) {}
  // Established: outgoing, the 2xx arrived and was acknowledged; incoming,
  // the ACK of our 2xx arrived. `media` is what offer/answer agreed.
  virtual void on_call_answered(CallHandle call, const sdp::NegotiatedMedia& media) = 0;
  // Never established: the final status (ours for incoming calls, the
  // peer's for outgoing ones; 408 for a timeout, 487 once cancelled).
  virtual void on_call_failed(CallHandle call, std::uint16_t status) = 0;
  // An established call ended.
  virtual void on_call_ended(CallHandle call, DialogEndReason reason) = 0;
  // The media of an established call changed: the peer's re-INVITE or
  // UPDATE was answered, or our re-offer (DialogLayer::reoffer) was.
  virtual void on_call_media_changed(CallHandle /*call*/, const sdp::NegotiatedMedia& /*media*/) {}
  // Our re-offer (DialogLayer::reoffer) was refused (`status`: the peer's
  // final response), timed out (408) or could not be sent (503), after any
  // 491 retries (RFC 3261 §14.1). The media stays as it was before the
  // re-offer, and so does our media config (RFC 3261 §14.1, "as if no
  // re-INVITE had been issued"). A 481 or 408 also ends the call
  // (§12.2.1.2): on_call_ended follows.
  virtual void on_call_reoffer_failed(CallHandle /*call*/, std::uint16_t /*status*/) {}
  // The peer pressed a key, told in an INFO (RFC 6086 §9 legacy usage:
  // application/dtmf-relay or application/dtmf; sip/message/dtmf_relay.hpp):
  // `digit` is '0'-'9', '*', '#' or 'A'-'D'. Once per INFO (its transaction
  // absorbs retransmissions), after our 200 to it; also in an early dialog,
  // so possibly before on_call_answered. Digits sent as RTP telephone events
  // (RFC 4733) are the media layer's, not this.
  virtual void on_call_dtmf(CallHandle /*call*/, char /*digit*/, std::uint32_t /*duration_ms*/) {}
  // No session refresh came in time (RFC 4028 §10: the peer refreshes and
  // did not). Hangup: BYE with Reason: SIP;cause=408, the call ends with
  // SessionExpired. Keep: the call goes on, without a session timer.
  enum class SessionExpiry : std::uint8_t { Hangup, Keep };
  virtual SessionExpiry on_call_session_expired(CallHandle /*call*/) { return SessionExpiry::Hangup; }
  // Our REFER (DialogLayer::refer): accepted, progress, then exactly one of
  // Succeeded or Failed (none when the call ends first: on_call_ended says
  // so). The call itself goes on whatever the outcome; ending it after a
  // success is the application's decision.
  virtual void on_call_transfer(CallHandle /*call*/, TransferUpdate /*update*/) {}
};

// A new INVITE, after the UAS core checks passed. Valid during on_invite only.
struct IncomingInvite {
  CallHandle call;
  const Message& request;
  const Flow& flow;
  const sdp::SessionDescription* offer;  // nullptr: no offer, ours goes in the 200 (§13.2.1)
};

// What to do with an incoming INVITE.
struct CallDecision {
  enum class Kind : std::uint8_t {
    Answer,    // 200 now; offer/answer runs with `media`
    Reject,    // a final response `status` (300-699) now
    Ring,      // 180 now; answer/reject later through the layer
    Defer,     // nothing yet (the transaction sent 100 Trying); answer/reject later
    Redirect,  // a 3xx `status` with a Contact per `contacts` now (RFC 3261 §8.3, §21.3)
  };

  Kind kind = Kind::Defer;
  sdp::LocalMediaConfig media;        // with Answer
  std::uint16_t status = 0;           // with Reject (300-699) and Redirect (300-399)
  std::string reason;                 // with Reject: "" for the default phrase
  std::vector<std::string> contacts;  // with Redirect: Contact values, "<sip:bob@192.0.2.5>"

  static CallDecision answer(sdp::LocalMediaConfig media) {
    CallDecision d;
    d.kind = Kind::Answer;
    d.media = std::move(media);
    return d;
  }
  static CallDecision reject(std::uint16_t status, std::string reason = {}) {
    CallDecision d;
    d.kind = Kind::Reject;
    d.status = status;
    d.reason = std::move(reason);
    return d;
  }
  // An invalid redirect (status outside 300-399, no Contact where one is
  // needed, a Contact that does not parse) is answered 500 instead.
  static CallDecision redirect(std::uint16_t status, std::vector<std::string> contacts) {
    CallDecision d;
    d.kind = Kind::Redirect;
    d.status = status;
    d.contacts = std::move(contacts);
    return d;
  }
  static CallDecision ring() {
    CallDecision d;
    d.kind = Kind::Ring;
    return d;
  }
  static CallDecision defer() { return CallDecision{}; }
};

// The application's side of incoming calls: the decision, then the events.
class IncomingCallHandler : public CallObserver {
 public:
  virtual CallDecision on_invite(const IncomingInvite& invite) = 0;
};

}  // namespace voxgate::sip
