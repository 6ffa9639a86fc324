#include "sdp/offer_answer_state.hpp"

namespace voxgate::sdp {

std::string_view to_string(OfferAnswerState state) noexcept {
  switch (state) {
    case OfferAnswerState::Idle: return "Idle";
    case OfferAnswerState::LocalOfferSent: return "LocalOfferSent";
    case OfferAnswerState::RemoteOfferReceived: return "RemoteOfferReceived";
    case OfferAnswerState::Complete: return "Complete";
  }
  return "?";
}

std::string_view to_string(OfferAnswerEvent event) noexcept {
  switch (event) {
    case OfferAnswerEvent::CreateOffer: return "create_offer";
    case OfferAnswerEvent::ReceiveOffer: return "receive_offer";
    case OfferAnswerEvent::CreateAnswer: return "create_answer";
    case OfferAnswerEvent::ReceiveAnswer: return "receive_answer";
    case OfferAnswerEvent::Rollback: return "rollback";
    case OfferAnswerEvent::Reject: return "reject";
  }
  return "?";
}

std::optional<OfferAnswerState> next_state(OfferAnswerState from, OfferAnswerEvent event, bool has_completed) noexcept {
  using State = OfferAnswerState;
  using Event = OfferAnswerEvent;
  const State stable = has_completed ? State::Complete : State::Idle;
  switch (from) {
    case State::Idle:
    case State::Complete:
      if (event == Event::CreateOffer) return State::LocalOfferSent;
      if (event == Event::ReceiveOffer) return State::RemoteOfferReceived;
      return std::nullopt;
    case State::LocalOfferSent:
      if (event == Event::ReceiveAnswer) return State::Complete;
      if (event == Event::Rollback) return stable;
      return std::nullopt;
    case State::RemoteOfferReceived:
      if (event == Event::CreateAnswer) return State::Complete;
      if (event == Event::Reject) return stable;
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace voxgate::sdp
