#include "sdp/offer_answer.hpp"

#include <utility>

#include "sdp/detail/answer_builder.hpp"
#include "sdp/detail/negotiation.hpp"
#include "sdp/detail/offer_builder.hpp"

namespace voxgate::sdp {

Result<OfferAnswerSession> OfferAnswerSession::create(LocalMediaConfig local, SessionIdSource& ids) {
  if (auto ok = validate(local); !ok) return tl::unexpected(std::move(ok.error()));
  Origin origin;
  origin.username = local.username;
  origin.session_id = SessionId(ids.next_session_id());
  // RFC 4566 §5.2 suggests deriving both numbers from one clock reading;
  // starting the version at the id does the same with the injected source.
  origin.session_version = origin.session_id.value();
  origin.address_type = local.address_type;
  origin.address = local.address;
  return OfferAnswerSession(std::move(local), std::move(origin));
}

OfferAnswerSession::OfferAnswerSession(LocalMediaConfig local, Origin origin)
    : local_(std::move(local)), origin_(std::move(origin)) {}

Result<void> OfferAnswerSession::set_local(LocalMediaConfig local) {
  if (auto ok = validate(local); !ok) return ok;
  local_ = std::move(local);
  return {};
}

Result<OfferAnswerState> OfferAnswerSession::transition(OfferAnswerEvent event) const {
  const auto next = next_state(state_, event, current_.has_value());
  if (!next) {
    return make_error(Errc::InvalidState, "offer/answer: {} is not allowed in state {}", to_string(event),
                      to_string(state_));
  }
  return *next;
}

SessionDescription OfferAnswerSession::stamp(SessionDescription sdp) {
  sdp.origin = origin_;
  if (last_sent_) {
    // The same description again keeps its version; any change takes the
    // next one (RFC 3264 §8).
    if (sdp != *last_sent_) ++origin_.session_version;
    sdp.origin.session_version = origin_.session_version;
  }
  last_sent_ = sdp;
  return sdp;
}

Result<SessionDescription> OfferAnswerSession::create_offer() {
  auto next = transition(OfferAnswerEvent::CreateOffer);
  if (!next) return tl::unexpected(std::move(next.error()));
  detail::BuiltOffer built = current_ ? detail::build_offer(local_, &current_->local, current_->audio_slot)
                                      : detail::build_offer(local_, nullptr, std::nullopt);
  SessionDescription offer = stamp(std::move(built.sdp));
  pending_ = offer;
  pending_config_ = local_;
  pending_audio_slot_ = built.audio_slot;
  state_ = *next;
  return offer;
}

Result<void> OfferAnswerSession::receive_offer(SessionDescription offer) {
  auto next = transition(OfferAnswerEvent::ReceiveOffer);
  if (!next) return tl::unexpected(std::move(next.error()));
  if (current_ && offer.media.size() < current_->local.media.size()) {
    return make_error(Errc::InvalidArgument, "re-offer has {} m= lines, the session has {} (RFC 3264 §8)",
                      offer.media.size(), current_->local.media.size());
  }
  pending_ = std::move(offer);
  state_ = *next;
  return {};
}

Result<Answer> OfferAnswerSession::create_answer() {
  auto next = transition(OfferAnswerEvent::CreateAnswer);
  if (!next) return tl::unexpected(std::move(next.error()));
  auto built = detail::build_answer(*pending_, local_);
  if (!built) return tl::unexpected(std::move(built.error()));
  Answer answer;
  answer.sdp = stamp(std::move(built->sdp));
  answer.media = detail::negotiate(answer.sdp, *pending_, /*local_is_answer=*/true, local_);
  current_ = Exchange{answer.sdp, std::move(*pending_), answer.media, built->audio_slot};
  pending_.reset();
  state_ = *next;
  return answer;
}

Result<NegotiatedMedia> OfferAnswerSession::receive_answer(SessionDescription answer) {
  auto next = transition(OfferAnswerEvent::ReceiveAnswer);
  if (!next) return tl::unexpected(std::move(next.error()));
  if (auto ok = detail::check_answer(*pending_, answer); !ok) return tl::unexpected(std::move(ok.error()));
  NegotiatedMedia media = detail::negotiate(*pending_, answer, /*local_is_answer=*/false, pending_config_);
  current_ = Exchange{std::move(*pending_), std::move(answer), media, pending_audio_slot_};
  pending_.reset();
  state_ = *next;
  return media;
}

Result<void> OfferAnswerSession::rollback() {
  auto next = transition(OfferAnswerEvent::Rollback);
  if (!next) return tl::unexpected(std::move(next.error()));
  pending_.reset();
  state_ = *next;
  return {};
}

Result<void> OfferAnswerSession::reject() {
  auto next = transition(OfferAnswerEvent::Reject);
  if (!next) return tl::unexpected(std::move(next.error()));
  pending_.reset();
  state_ = *next;
  return {};
}

const NegotiatedMedia* OfferAnswerSession::negotiated() const noexcept {
  return current_ ? &current_->media : nullptr;
}

const SessionDescription* OfferAnswerSession::local_description() const noexcept {
  return current_ ? &current_->local : nullptr;
}

const SessionDescription* OfferAnswerSession::remote_description() const noexcept {
  return current_ ? &current_->remote : nullptr;
}

const SessionDescription* OfferAnswerSession::pending_offer() const noexcept {
  return pending_ ? &*pending_ : nullptr;
}

}  // namespace voxgate::sdp
