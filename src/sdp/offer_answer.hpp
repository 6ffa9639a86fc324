#pragma once
// One SIP session's SDP offer/answer negotiation (RFC 3264), as an explicit
// state machine (offer_answer_state.hpp has the table). The SIP layer feeds it
// the SDP it receives, asks it for the SDP to send, and gets back what the
// media layer needs (NegotiatedMedia).
//
// Typical uses, in SIP terms:
//   INVITE with offer:      receive_offer(sdp); create_answer() -> 200 OK body
//                           (an Errc::Unsupported error -> 488 + Warning, then reject())
//   INVITE without offer:   create_offer() -> 200 OK body; receive_answer(ACK body)
//                           (the delayed offer of RFC 3261 §13.2.1)
//   our INVITE:             create_offer() -> INVITE body; receive_answer(2xx body)
//   re-INVITE, hold/resume: set_local() with the new direction/address/codecs,
//                           create_offer(); a refused re-offer -> rollback()
//                           (RFC 3261 §14.1: the session stays as it was)
//
// Rules it keeps (RFC 3264):
//   - o= (§8): one session id for the whole session, drawn from the injected
//     SessionIdSource; username and address fixed from the first SDP; the
//     version goes up by one for every SDP we send that differs from the
//     previous one we sent, and stays when we send the same again.
//   - Answers (§6) are computed afresh from the current offer and our current
//     config every time, never replayed from a cache; they mirror the offer's
//     m= lines (rejected ones with port 0).
//   - Re-offers (§8) keep the m= lines of the session in order; a peer's
//     re-offer with fewer m= lines is refused.
// Not thread-safe: it lives on the call's event loop.

#include <cstddef>
#include <optional>

#include "base/result.hpp"
#include "sdp/local_media.hpp"
#include "sdp/negotiated_media.hpp"
#include "sdp/offer_answer_state.hpp"
#include "sdp/session_description.hpp"
#include "sdp/session_id_source.hpp"

namespace voxgate::sdp {

// Our answer and what it means for the media layer.
struct Answer {
  SessionDescription sdp;
  NegotiatedMedia media;
};

class OfferAnswerSession {
 public:
  // Errc::InvalidArgument when `local` does not validate().
  static Result<OfferAnswerSession> create(LocalMediaConfig local, SessionIdSource& ids);

  [[nodiscard]] OfferAnswerState state() const noexcept { return state_; }
  [[nodiscard]] const LocalMediaConfig& local() const noexcept { return local_; }
  [[nodiscard]] SessionId session_id() const noexcept { return origin_.session_id; }

  // Replaces our config, for the next offer or answer we create (allowed in
  // any state; an exchange in flight keeps the config it started with).
  Result<void> set_local(LocalMediaConfig local);

  // Idle/Complete -> LocalOfferSent. Our offer: our audio stream, plus the
  // session's other m= lines disabled when this is a re-offer.
  Result<SessionDescription> create_offer();

  // Idle/Complete -> RemoteOfferReceived. Errc::InvalidArgument (state
  // unchanged) for a re-offer with fewer m= lines than the session (§8).
  Result<void> receive_offer(SessionDescription offer);

  // RemoteOfferReceived -> Complete. Errc::Unsupported when nothing in the
  // offer can be accepted, with a reason starting "no common codec:" or "no
  // acceptable media:" for SIP's 488 + Warning 305; the state stays
  // RemoteOfferReceived: call reject(), or change the config and try again.
  Result<Answer> create_answer();

  // LocalOfferSent -> Complete. Errc::InvalidArgument (state unchanged) when
  // the answer does not match the offer's m= lines (§6). An answer that
  // rejects every stream completes the exchange with empty media.
  Result<NegotiatedMedia> receive_answer(SessionDescription answer);

  // LocalOfferSent -> the last stable state: our offer was refused or
  // withdrawn; the previous negotiation (if any) stays in force.
  Result<void> rollback();
  // RemoteOfferReceived -> the last stable state: we refused the peer's
  // offer; the previous negotiation (if any) stays in force.
  Result<void> reject();

  // The last completed exchange: nullptr before the first one completes.
  [[nodiscard]] const NegotiatedMedia* negotiated() const noexcept;
  [[nodiscard]] const SessionDescription* local_description() const noexcept;
  [[nodiscard]] const SessionDescription* remote_description() const noexcept;
  // The offer in flight (ours in LocalOfferSent, the peer's in
  // RemoteOfferReceived), else nullptr.
  [[nodiscard]] const SessionDescription* pending_offer() const noexcept;

 private:
  struct Exchange {
    SessionDescription local;
    SessionDescription remote;
    NegotiatedMedia media;
    std::optional<std::size_t> audio_slot;  // our audio m= line
  };

  OfferAnswerSession(LocalMediaConfig local, Origin origin);

  // The state `event` leads to, or an error naming the state and the event.
  [[nodiscard]] Result<OfferAnswerState> transition(OfferAnswerEvent event) const;
  // Sets o= and the version rule of RFC 3264 §8, and remembers what we sent.
  SessionDescription stamp(SessionDescription sdp);

  OfferAnswerState state_ = OfferAnswerState::Idle;
  LocalMediaConfig local_;
  Origin origin_;  // session_version: the version of the last SDP we sent
  std::optional<SessionDescription> last_sent_;
  std::optional<Exchange> current_;            // the last completed exchange
  std::optional<SessionDescription> pending_;  // the offer in flight
  LocalMediaConfig pending_config_;            // the config our pending offer was built from
  std::size_t pending_audio_slot_ = 0;
};

}  // namespace voxgate::sdp
