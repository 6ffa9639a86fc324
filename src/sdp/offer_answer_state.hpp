#pragma once
// The RFC 3264 offer/answer state machine as a table: one state variable,
// one event type, and next_state() saying where each event leads. The
// OfferAnswerSession class (offer_answer.hpp) runs it; keeping the table
// apart makes every state/event pair testable on its own.
//
//   Idle ----------create_offer---------> LocalOfferSent ---receive_answer---> Complete
//   Idle ----------receive_offer--------> RemoteOfferReceived --create_answer-> Complete
//   Complete ------create_offer / receive_offer (re-offers, RFC 3264 §8) ----> as from Idle
//   LocalOfferSent ------rollback-------> the last stable state (Idle or Complete)
//   RemoteOfferReceived --reject--------> the last stable state (Idle or Complete)
//
// Everything else is an error. In SIP terms: an offer while one of ours is
// pending is glare (491, RFC 3261 §14.2); rollback is our offer refused
// (488/491/timeout/CANCEL, RFC 3261 §14.1: the session stays as it was);
// reject is our 488 to the peer's offer.

#include <cstdint>
#include <optional>
#include <string_view>

namespace voxgate::sdp {

enum class OfferAnswerState : std::uint8_t {
  Idle,                 // no exchange has completed yet and none is pending
  LocalOfferSent,       // our offer is out; waiting for the answer
  RemoteOfferReceived,  // the peer's offer is in; we must answer (or reject)
  Complete,             // an exchange completed: the session is stable
};

enum class OfferAnswerEvent : std::uint8_t {
  CreateOffer,
  ReceiveOffer,
  CreateAnswer,
  ReceiveAnswer,
  Rollback,
  Reject,
};

std::string_view to_string(OfferAnswerState state) noexcept;
std::string_view to_string(OfferAnswerEvent event) noexcept;

// Where `event` leads from `from`; nullopt when it is not allowed there.
// `has_completed`: whether an exchange has completed before, which decides
// where rollback and reject return to.
std::optional<OfferAnswerState> next_state(OfferAnswerState from, OfferAnswerEvent event, bool has_completed) noexcept;

}  // namespace voxgate::sdp
