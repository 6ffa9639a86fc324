// RFC 3261 §17.1.2 (Figure 6), through the layer: every state, every timer,
// exact retransmission times.

#include "sip/transaction/client_non_invite_transaction.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_layer_fixture.hpp"

namespace voxgate::sip::testing {
namespace {

using Kind = FakeTransport::Kind;
using ::testing::HasSubstr;

using ClientNonInviteTest = LayerTest;

TEST_F(ClientNonInviteTest, TimerERetransmitsDoublingUpToT2UntilTimerFTimesOut) {
  const ClientTransactionId id = send("OPTIONS");
  EXPECT_EQ(layer().state(id), TransactionState::Trying);
  advance(32s - 1ms);
  // §17.1.2.2: T1, then MIN(2^n*T1, T2): 0.5, 1.5, 3.5, 7.5, then every 4 s.
  EXPECT_EQ(send_times(Kind::OnFlow), ms({500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  EXPECT_TRUE(client_user_.ended.empty());
  advance(1ms);  // Timer F = 64*T1
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].id, id);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Timeout);
  EXPECT_FALSE(layer().state(id).has_value());
}

TEST_F(ClientNonInviteTest, ProvisionalEntersProceedingWhereTimerERetransmitsEveryT2) {
  const ClientTransactionId id = send("BYE");
  advance(600ms);
  answer(100);
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  EXPECT_EQ(client_user_.statuses(), std::vector<std::uint16_t>{100});
  advance(14s);
  // The Timer E armed in Trying (1 s) fires at 1.5 s; from then on T2.
  EXPECT_EQ(send_times(Kind::OnFlow), ms({500, 1500, 5500, 9500, 13500}));
  answer(180);
  EXPECT_EQ(client_user_.statuses(), (std::vector<std::uint16_t>{100, 180}));
}

TEST_F(ClientNonInviteTest, TimerFTimesOutInProceedingToo) {
  const ClientTransactionId id = send("BYE");
  answer(100);
  advance(32s);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Timeout);
}

TEST_F(ClientNonInviteTest, FinalEntersCompletedAbsorbsRetransmissionsAndEndsOnTimerK) {
  const ClientTransactionId id = send("OPTIONS");
  advance(200ms);
  answer(200);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  EXPECT_EQ(client_user_.statuses(), std::vector<std::uint16_t>{200});
  answer(200);
  answer(200);
  EXPECT_EQ(client_user_.responses.size(), 1U);
  EXPECT_EQ(layer().stats().absorbed_retransmissions, 2U);
  // No more retransmissions of the request, and Timer K = T4 = 5 s.
  advance(5s - 1ms);
  EXPECT_TRUE(transport_.of_kind(Kind::OnFlow).empty());
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance(1ms);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Completed);
}

TEST_F(ClientNonInviteTest, FinalFromProceedingEntersCompleted) {
  const ClientTransactionId id = send("REGISTER");
  answer(100);
  answer(401);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  EXPECT_EQ(client_user_.statuses(), (std::vector<std::uint16_t>{100, 401}));
  answer(180);  // a late provisional is not Completed's business
  EXPECT_EQ(client_user_.responses.size(), 2U);
  EXPECT_EQ(layer().stats().rejected_events, 1U);
}

TEST_F(ClientNonInviteTest, ReliableTransportHasNoTimerEAndEndsAtOnceOnFinal) {
  const ClientTransactionId id = send("OPTIONS", TransportKind::Tcp);
  advance(10s);
  EXPECT_TRUE(transport_.of_kind(Kind::OnFlow).empty());
  answer(200);
  EXPECT_FALSE(layer().state(id).has_value());  // Timer K = 0
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Completed);
}

TEST_F(ClientNonInviteTest, ReliableTransportStillTimesOutOnTimerF) {
  send("OPTIONS", TransportKind::Tcp);
  advance(32s);
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Timeout);
}

TEST_F(ClientNonInviteTest, LateSendFailureEndsWithTransportErrorInTryingAndProceeding) {
  const ClientTransactionId trying = send("OPTIONS");
  transport_.fail_pending_sends();
  EXPECT_FALSE(layer().state(trying).has_value());
  const ClientTransactionId proceeding = send("OPTIONS");
  answer_request(transport_.sent.back().bytes, 100);
  transport_.fail_pending_sends();
  EXPECT_FALSE(layer().state(proceeding).has_value());
  ASSERT_EQ(client_user_.ended.size(), 2U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::TransportError);
  EXPECT_EQ(client_user_.ended[1].reason, TransactionEnd::TransportError);
}

TEST_F(ClientNonInviteTest, ExtensionMethodsMatchByTheirToken) {
  const ClientTransactionId id = send("FOOBAR");
  answer(200);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  EXPECT_EQ(client_user_.statuses(), std::vector<std::uint16_t>{200});
}

TEST(ClientNonInviteTransitions, FollowFigure6) {
  using State = ClientNonInviteTransaction::State;
  using Event = ClientNonInviteTransaction::Event;
  struct Row {
    State from;
    Event event;
    State to;
  };
  const std::vector<Row> allowed = {
      {State::Trying, Event::TimerE, State::Trying},
      {State::Trying, Event::Provisional, State::Proceeding},
      {State::Trying, Event::Final, State::Completed},
      {State::Trying, Event::TimerF, State::Terminated},
      {State::Trying, Event::TransportError, State::Terminated},
      {State::Proceeding, Event::TimerE, State::Proceeding},
      {State::Proceeding, Event::Provisional, State::Proceeding},
      {State::Proceeding, Event::Final, State::Completed},
      {State::Proceeding, Event::TimerF, State::Terminated},
      {State::Proceeding, Event::TransportError, State::Terminated},
      {State::Completed, Event::Final, State::Completed},
      {State::Completed, Event::TimerK, State::Terminated},
  };
  for (State from : {State::Trying, State::Proceeding, State::Completed, State::Terminated}) {
    for (Event event :
         {Event::Provisional, Event::Final, Event::TimerE, Event::TimerF, Event::TimerK, Event::TransportError}) {
      const auto row = std::find_if(allowed.begin(), allowed.end(),
                                    [&](const Row& r) { return r.from == from && r.event == event; });
      const auto result = ClientNonInviteTransaction::transition(from, event);
      if (row != allowed.end()) {
        ASSERT_TRUE(result.has_value()) << to_string(from) << " + " << to_string(event);
        EXPECT_EQ(*result, row->to) << to_string(from) << " + " << to_string(event);
      } else {
        ASSERT_FALSE(result.has_value()) << to_string(from) << " + " << to_string(event);
        EXPECT_EQ(result.error().code, Errc::InvalidState);
        EXPECT_THAT(result.error().message, HasSubstr(std::string(to_string(from))));
        EXPECT_THAT(result.error().message, HasSubstr(std::string(to_string(event))));
      }
    }
  }
}

}  // namespace
}  // namespace voxgate::sip::testing
