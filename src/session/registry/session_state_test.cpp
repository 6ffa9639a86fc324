#include "session/registry/session_state.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace voxgate::session {
namespace {

using S = SessionState;
using M = MediaState;
using std::chrono::seconds;

constexpr S kAllStates[] = {S::Initializing, S::Dialing,      S::Ringing,     S::Early,     S::Connected,
                            S::OnHold,       S::Transferring, S::Terminating, S::Terminated};
constexpr M kAllMedia[] = {M::None, M::Negotiating, M::Active, M::Paused, M::Failed};

// The lifecycle, written out independently of the table in
// session_state.cpp: Initializing -> Dialing (UAC) / Ringing -> Early ->
// Connected -> (OnHold <-> Connected) -> (Transferring) -> Terminating ->
// Terminated, with early ends and remote ends going straight to Terminated.
const std::set<std::pair<S, S>>& expected_session_moves() {
  static const std::set<std::pair<S, S>> moves = {
      {S::Initializing, S::Dialing},    {S::Initializing, S::Ringing},
      {S::Initializing, S::Connected},  {S::Initializing, S::Terminated},
      {S::Dialing, S::Ringing},         {S::Dialing, S::Early},
      {S::Ringing, S::Early},           {S::Early, S::Ringing},
      {S::Dialing, S::Connected},       {S::Ringing, S::Connected},
      {S::Early, S::Connected},         {S::Dialing, S::Terminating},
      {S::Ringing, S::Terminating},     {S::Early, S::Terminating},
      {S::Dialing, S::Terminated},      {S::Ringing, S::Terminated},
      {S::Early, S::Terminated},        {S::Connected, S::OnHold},
      {S::OnHold, S::Connected},        {S::Connected, S::Transferring},
      {S::OnHold, S::Transferring},     {S::Transferring, S::Connected},
      {S::Transferring, S::OnHold},     {S::Connected, S::Terminating},
      {S::OnHold, S::Terminating},      {S::Transferring, S::Terminating},
      {S::Connected, S::Terminated},    {S::OnHold, S::Terminated},
      {S::Transferring, S::Terminated}, {S::Terminating, S::Terminated},
  };
  return moves;
}

const std::set<std::pair<M, M>>& expected_media_moves() {
  static const std::set<std::pair<M, M>> moves = {
      {M::None, M::Negotiating},   {M::None, M::Failed},      {M::Negotiating, M::Active}, {M::Negotiating, M::Paused},
      {M::Negotiating, M::Failed}, {M::Negotiating, M::None}, {M::Active, M::Negotiating}, {M::Paused, M::Negotiating},
      {M::Active, M::Paused},      {M::Paused, M::Active},    {M::Active, M::Failed},      {M::Paused, M::Failed},
      {M::Active, M::None},        {M::Paused, M::None},      {M::Failed, M::Negotiating}, {M::Failed, M::None},
  };
  return moves;
}

// The shortest path of allowed moves from the initial state to `target`.
template <class State, class Moves>
std::vector<State> path_to(State initial, State target, const Moves& moves) {
  std::map<State, State> parent;
  std::deque<State> queue{initial};
  parent.emplace(initial, initial);
  while (!queue.empty()) {
    const State at = queue.front();
    queue.pop_front();
    if (at == target) break;
    for (const auto& [from, to] : moves) {
      if (from == at && parent.emplace(to, at).second) queue.push_back(to);
    }
  }
  std::vector<State> path;
  for (State s = target; s != initial; s = parent.at(s)) path.insert(path.begin(), s);
  return path;
}

TEST(SessionStateTable, AllowsExactlyTheLifecycleMoves) {
  for (const S from : kAllStates) {
    for (const S to : kAllStates) {
      const bool expected = expected_session_moves().contains({from, to});
      const auto result = check_transition(from, to);
      EXPECT_EQ(result.has_value(), expected) << to_string(from) << " -> " << to_string(to);
      if (!result) {
        EXPECT_EQ(result.error().code, Errc::InvalidState);
        EXPECT_NE(result.error().message.find(std::string(to_string(from))), std::string::npos);
        EXPECT_NE(result.error().message.find(std::string(to_string(to))), std::string::npos);
      }
    }
  }
}

TEST(SessionStateTable, AllowsExactlyTheMediaMoves) {
  for (const M from : kAllMedia) {
    for (const M to : kAllMedia) {
      const bool expected = expected_media_moves().contains({from, to});
      const auto result = check_transition(from, to);
      EXPECT_EQ(result.has_value(), expected) << to_string(from) << " -> " << to_string(to);
      if (!result) {
        EXPECT_NE(
            result.error().message.find("from " + std::string(to_string(from)) + " to " + std::string(to_string(to))),
            std::string::npos)
            << result.error().message;
      }
    }
  }
}

TEST(SessionStateMachine, EveryAllowedMoveWorksFromAReachableStateAndEveryOtherIsRefusedWithoutChange) {
  for (const S from : kAllStates) {
    for (const S to : kAllStates) {
      TransitionCounts counts;
      const Clock::TimePoint t0{};
      SessionStateMachine machine(t0, &counts);
      int step = 0;
      for (const S s : path_to(S::Initializing, from, expected_session_moves())) {
        ASSERT_TRUE(machine.move_to(s, TransitionCause::Answered, t0 + seconds(++step)));
      }
      ASSERT_EQ(machine.state(), from);
      const auto history_before = machine.history().size();
      const auto result = machine.move_to(to, TransitionCause::HangupLocal, t0 + seconds(100));
      if (expected_session_moves().contains({from, to})) {
        ASSERT_TRUE(result) << result.error().message;
        EXPECT_EQ(machine.state(), to);
        ASSERT_EQ(machine.history().size(), history_before + 1);
        EXPECT_EQ(machine.history().back().from, from);
        EXPECT_EQ(machine.history().back().to, to);
        EXPECT_EQ(machine.history().back().cause, TransitionCause::HangupLocal);
        EXPECT_EQ(machine.history().back().at, t0 + seconds(100));
        EXPECT_EQ(counts.session[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)], 1U);
        EXPECT_EQ(counts.refused, 0U);
      } else {
        ASSERT_FALSE(result) << to_string(from) << " -> " << to_string(to);
        EXPECT_EQ(machine.state(), from);
        EXPECT_EQ(machine.history().size(), history_before);
        EXPECT_EQ(counts.refused, 1U);
      }
    }
  }
}

TEST(SessionStateMachine, MediaMovesAreCheckedRecordedAndCountedApart) {
  TransitionCounts counts;
  const Clock::TimePoint t0{};
  SessionStateMachine machine(t0, &counts);
  ASSERT_TRUE(machine.move_media_to(M::Negotiating, TransitionCause::OfferReceived, t0 + seconds(1)));
  ASSERT_TRUE(machine.move_media_to(M::Active, TransitionCause::AnswerApplied, t0 + seconds(2)));
  ASSERT_TRUE(machine.move_media_to(M::Negotiating, TransitionCause::OfferReceived, t0 + seconds(3)));
  // The re-offer failed: back to what held before (RFC 3264 §8 rollback).
  ASSERT_TRUE(machine.move_media_to(M::Active, TransitionCause::OfferFailed, t0 + seconds(4)));
  const auto refused = machine.move_media_to(M::Active, TransitionCause::AnswerApplied, t0 + seconds(5));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "session media cannot go from Active to Active");
  EXPECT_EQ(machine.media_state(), M::Active);
  EXPECT_EQ(machine.state(), S::Initializing);  // the call's own state did not move
  ASSERT_EQ(machine.media_history().size(), 4U);
  EXPECT_EQ(machine.media_history()[3].cause, TransitionCause::OfferFailed);
  EXPECT_EQ(counts.media[static_cast<std::size_t>(M::Negotiating)][static_cast<std::size_t>(M::Active)], 2U);
  EXPECT_EQ(counts.refused, 1U);
}

TEST(SessionStateMachine, TellsWhenTheSessionWasAnsweredAndEnded) {
  const Clock::TimePoint t0{};
  SessionStateMachine machine(t0);
  EXPECT_FALSE(machine.answered());
  EXPECT_FALSE(machine.ended());
  ASSERT_TRUE(machine.move_to(S::Ringing, TransitionCause::InviteReceived, t0 + seconds(1)));
  ASSERT_TRUE(machine.move_to(S::Connected, TransitionCause::Answered, t0 + seconds(2)));
  ASSERT_TRUE(machine.move_to(S::OnHold, TransitionCause::HoldRemote, t0 + seconds(3)));
  ASSERT_TRUE(machine.move_to(S::Connected, TransitionCause::ResumeRemote, t0 + seconds(4)));
  ASSERT_TRUE(machine.move_to(S::Terminated, TransitionCause::HangupRemote, t0 + seconds(5)));
  EXPECT_EQ(machine.answered(), t0 + seconds(2));  // the first answer, not the resume
  EXPECT_EQ(machine.ended(), t0 + seconds(5));
  EXPECT_EQ(machine.created(), t0);
  EXPECT_EQ(machine.history().size(), 5U);
}

TEST(TransitionCounts, SumLoopByLoop) {
  TransitionCounts a;
  TransitionCounts b;
  a.session[0][1] = 2;
  b.session[0][1] = 3;
  b.media[1][2] = 4;
  b.refused = 1;
  a += b;
  EXPECT_EQ(a.session[0][1], 5U);
  EXPECT_EQ(a.media[1][2], 4U);
  EXPECT_EQ(a.refused, 1U);
}

TEST(SessionState, EveryStateAndCauseHasAName) {
  for (const S s : kAllStates) EXPECT_NE(to_string(s), "Unknown");
  for (const M m : kAllMedia) EXPECT_NE(to_string(m), "Unknown");
  for (int c = 0; c <= static_cast<int>(TransitionCause::Transferred); ++c) {
    EXPECT_NE(to_string(static_cast<TransitionCause>(c)), "unknown") << c;
  }
}

}  // namespace
}  // namespace voxgate::session
