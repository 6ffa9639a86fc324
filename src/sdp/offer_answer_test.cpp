// Every state/event pair of OfferAnswerSession, driven through the class:
// valid ones move to the state the table says, invalid ones fail with an
// error naming the state and the event and change nothing.

#include "sdp/offer_answer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sdp/test_helpers.hpp"

namespace voxgate::sdp {
namespace {

using State = OfferAnswerState;
using Event = OfferAnswerEvent;
using test::make_session;
using test::peer_sdp;
using test::phone_offer;

// A session in `state`; `completed`: after an exchange has completed.
OfferAnswerSession session_in(State state, bool completed) {
  OfferAnswerSession s = make_session();
  if (completed) {
    if (!s.receive_offer(phone_offer()) || !s.create_answer()) ADD_FAILURE() << "could not complete";
  }
  switch (state) {
    case State::Idle:
    case State::Complete: break;
    case State::LocalOfferSent:
      if (!s.create_offer()) ADD_FAILURE() << "create_offer";
      break;
    case State::RemoteOfferReceived:
      if (!s.receive_offer(phone_offer("", 2))) ADD_FAILURE() << "receive_offer";
      break;
  }
  EXPECT_EQ(s.state(), state);
  return s;
}

// Runs `event` with inputs that are valid for it; returns the error if any.
std::optional<Error> run(OfferAnswerSession& s, Event event) {
  auto error_of = [](const auto& result) -> std::optional<Error> {
    if (result) return std::nullopt;
    return result.error();
  };
  switch (event) {
    case Event::CreateOffer: return error_of(s.create_offer());
    case Event::ReceiveOffer: return error_of(s.receive_offer(phone_offer("", 3)));
    case Event::CreateAnswer: return error_of(s.create_answer());
    case Event::ReceiveAnswer: return error_of(s.receive_answer(peer_sdp("m=audio 30000 RTP/AVP 0\n")));
    case Event::Rollback: return error_of(s.rollback());
    case Event::Reject: return error_of(s.reject());
  }
  return std::nullopt;
}

struct Start {
  State state;
  bool completed;
};

constexpr Start kStarts[] = {
    {State::Idle, false},    {State::LocalOfferSent, false}, {State::RemoteOfferReceived, false},
    {State::Complete, true}, {State::LocalOfferSent, true},  {State::RemoteOfferReceived, true},
};

TEST(OfferAnswerSession, EveryStateEventPairDoesWhatTheTableSays) {
  for (const Start& start : kStarts) {
    for (const Event event : test::kAllEvents) {
      SCOPED_TRACE(
          fmt::format("{} (completed before: {}) + {}", to_string(start.state), start.completed, to_string(event)));
      OfferAnswerSession s = session_in(start.state, start.completed);
      const auto expected = next_state(start.state, event, start.completed);
      const auto error = run(s, event);
      if (expected) {
        EXPECT_FALSE(error.has_value()) << error->message;
        EXPECT_EQ(s.state(), *expected);
      } else {
        ASSERT_TRUE(error.has_value());
        EXPECT_EQ(error->code, Errc::InvalidState);
        EXPECT_EQ(error->message,
                  fmt::format("offer/answer: {} is not allowed in state {}", to_string(event), to_string(start.state)));
        EXPECT_EQ(s.state(), start.state);
      }
    }
  }
}

TEST(OfferAnswerSession, InvalidEventsLeaveThePendingOfferAndNegotiationAlone) {
  OfferAnswerSession s = session_in(State::LocalOfferSent, true);
  const SessionDescription pending = *s.pending_offer();
  const NegotiatedMedia negotiated = *s.negotiated();
  EXPECT_TRUE(run(s, Event::ReceiveOffer).has_value());  // glare: the SIP layer answers 491
  EXPECT_TRUE(run(s, Event::CreateAnswer).has_value());
  EXPECT_TRUE(run(s, Event::Reject).has_value());
  EXPECT_EQ(*s.pending_offer(), pending);
  EXPECT_EQ(*s.negotiated(), negotiated);
}

TEST(OfferAnswerSession, InvalidStateErrorNamesStateAndEvent) {
  OfferAnswerSession s = make_session();
  auto answer = s.receive_answer(peer_sdp("m=audio 30000 RTP/AVP 0\n"));
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().message, "offer/answer: receive_answer is not allowed in state Idle");
}

TEST(OfferAnswerSession, RollbackBeforeAnyExchangeReturnsToIdle) {
  OfferAnswerSession s = session_in(State::LocalOfferSent, false);
  ASSERT_TRUE(s.rollback().has_value());
  EXPECT_EQ(s.state(), State::Idle);
  EXPECT_EQ(s.negotiated(), nullptr);
  EXPECT_EQ(s.local_description(), nullptr);
  EXPECT_EQ(s.remote_description(), nullptr);
  EXPECT_EQ(s.pending_offer(), nullptr);
}

TEST(OfferAnswerSession, SessionsAreMovable) {
  OfferAnswerSession a = session_in(State::Complete, true);
  OfferAnswerSession b = std::move(a);
  EXPECT_EQ(b.state(), State::Complete);
  EXPECT_NE(b.negotiated(), nullptr);
}

}  // namespace
}  // namespace voxgate::sdp
