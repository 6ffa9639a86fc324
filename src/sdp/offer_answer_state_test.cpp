#include "sdp/offer_answer_state.hpp"
#include "sdp/test_helpers.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <utility>

namespace voxgate::sdp {
namespace {

using State = OfferAnswerState;
using Event = OfferAnswerEvent;

constexpr State kStates[] = {State::Idle, State::LocalOfferSent, State::RemoteOfferReceived, State::Complete};

// The whole table, written out: every pair not listed is invalid.
std::optional<State> expected(State from, Event event, bool has_completed) {
  const State stable = has_completed ? State::Complete : State::Idle;
  const std::map<std::pair<State, Event>, State> valid = {
      {{State::Idle, Event::CreateOffer}, State::LocalOfferSent},
      {{State::Idle, Event::ReceiveOffer}, State::RemoteOfferReceived},
      {{State::Complete, Event::CreateOffer}, State::LocalOfferSent},
      {{State::Complete, Event::ReceiveOffer}, State::RemoteOfferReceived},
      {{State::LocalOfferSent, Event::ReceiveAnswer}, State::Complete},
      {{State::LocalOfferSent, Event::Rollback}, stable},
      {{State::RemoteOfferReceived, Event::CreateAnswer}, State::Complete},
      {{State::RemoteOfferReceived, Event::Reject}, stable},
  };
  const auto it = valid.find({from, event});
  if (it == valid.end()) return std::nullopt;
  return it->second;
}

TEST(OfferAnswerState, EveryStateEventPairFollowsTheTable) {
  int valid = 0;
  for (const bool has_completed : {false, true}) {
    for (const State from : kStates) {
      for (const Event event : test::kAllEvents) {
        EXPECT_EQ(next_state(from, event, has_completed), expected(from, event, has_completed))
            << to_string(from) << " + " << to_string(event) << " (completed before: " << has_completed << ")";
        if (expected(from, event, has_completed)) ++valid;
      }
    }
  }
  EXPECT_EQ(valid, 16);  // 8 valid pairs, counted for both values of has_completed
}

TEST(OfferAnswerState, RollbackAndRejectReturnToTheLastStableState) {
  EXPECT_EQ(next_state(State::LocalOfferSent, Event::Rollback, false), State::Idle);
  EXPECT_EQ(next_state(State::LocalOfferSent, Event::Rollback, true), State::Complete);
  EXPECT_EQ(next_state(State::RemoteOfferReceived, Event::Reject, false), State::Idle);
  EXPECT_EQ(next_state(State::RemoteOfferReceived, Event::Reject, true), State::Complete);
}

TEST(OfferAnswerState, GlareIsInvalid) {
  // RFC 3264 §4: no new offer while one is outstanding, in either direction.
  EXPECT_EQ(next_state(State::LocalOfferSent, Event::ReceiveOffer, true), std::nullopt);
  EXPECT_EQ(next_state(State::RemoteOfferReceived, Event::CreateOffer, true), std::nullopt);
  EXPECT_EQ(next_state(State::LocalOfferSent, Event::CreateOffer, true), std::nullopt);
  EXPECT_EQ(next_state(State::RemoteOfferReceived, Event::ReceiveOffer, true), std::nullopt);
}

TEST(OfferAnswerState, NamesStatesAndEvents) {
  EXPECT_EQ(to_string(State::Idle), "Idle");
  EXPECT_EQ(to_string(State::LocalOfferSent), "LocalOfferSent");
  EXPECT_EQ(to_string(State::RemoteOfferReceived), "RemoteOfferReceived");
  EXPECT_EQ(to_string(State::Complete), "Complete");
  EXPECT_EQ(to_string(Event::CreateOffer), "create_offer");
  EXPECT_EQ(to_string(Event::ReceiveOffer), "receive_offer");
  EXPECT_EQ(to_string(Event::CreateAnswer), "create_answer");
  EXPECT_EQ(to_string(Event::ReceiveAnswer), "receive_answer");
  EXPECT_EQ(to_string(Event::Rollback), "rollback");
  EXPECT_EQ(to_string(Event::Reject), "reject");
}

}  // namespace
}  // namespace voxgate::sdp
