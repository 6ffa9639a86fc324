// RFC 3261 §17.2.2 (Figure 8), through the layer: every state and timer.

#include "sip/transaction/server_non_invite_transaction.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_layer_fixture.hpp"

namespace voxgate::sip::testing {
namespace {

using ::testing::HasSubstr;

class ServerNonInviteTest : public LayerTest {
 protected:
  ServerNonInviteTest() { spec_.method = "OPTIONS"; }

  ServerTransactionId receive(TransportKind transport = TransportKind::Udp) {
    spec_.transport = transport;
    deliver(spec_);
    EXPECT_FALSE(server_user_.requests.empty());
    return server_user_.requests.empty() ? ServerTransactionId{} : server_user_.requests.back().first;
  }
  void respond(ServerTransactionId id, std::uint16_t status) {
    const auto result =
        layer().respond(id, make_response(server_user_.requests.back().second, status, {}, "uas").build());
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  }

  RequestSpec spec_;
};

TEST_F(ServerNonInviteTest, NewRequestEntersTryingWithoutA100) {
  const ServerTransactionId id = receive();
  EXPECT_EQ(layer().state(id), TransactionState::Trying);
  EXPECT_TRUE(transport_.sent.empty());
  EXPECT_EQ(layer().stats().created_of(TransactionKind::ServerNonInvite), 1U);
}

TEST_F(ServerNonInviteTest, TryingAbsorbsRetransmissionsWithoutAnswering) {
  const ServerTransactionId id = receive();
  deliver(spec_);
  deliver(spec_);
  EXPECT_TRUE(transport_.sent.empty());
  EXPECT_EQ(server_user_.requests.size(), 1U);
  EXPECT_EQ(layer().stats().absorbed_retransmissions, 2U);
  EXPECT_EQ(layer().state(id), TransactionState::Trying);
}

TEST_F(ServerNonInviteTest, ProceedingResendsTheLatestProvisionalOnRetransmission) {
  const ServerTransactionId id = receive();
  respond(id, 100);
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  respond(id, 183);
  deliver(spec_);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 183, 183}));
  EXPECT_EQ(server_user_.requests.size(), 1U);
}

TEST_F(ServerNonInviteTest, CompletedResendsTheFinalOnRetransmissionUntilTimerJ) {
  const ServerTransactionId id = receive();
  respond(id, 200);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance(10s);
  deliver(spec_);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{200, 200}));  // no timer retransmissions
  advance(22s - 1ms);  // Timer J = 64*T1 from the final response
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance(1ms);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::Completed);
  // Once it is gone, the same request is new again.
  deliver(spec_);
  EXPECT_EQ(server_user_.requests.size(), 2U);
}

TEST_F(ServerNonInviteTest, FinalFromProceedingEntersCompleted) {
  const ServerTransactionId id = receive();
  respond(id, 100);
  respond(id, 403);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
}

TEST_F(ServerNonInviteTest, ReliableTransportEndsAsSoonAsTheFinalIsSent) {
  const ServerTransactionId id = receive(TransportKind::Tcp);
  respond(id, 200);
  EXPECT_FALSE(layer().state(id).has_value());  // Timer J = 0
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::Completed);
}

TEST_F(ServerNonInviteTest, SecondFinalResponseIsRejectedNamingStateAndEvent) {
  const ServerTransactionId id = receive();
  respond(id, 200);
  const auto again = layer().respond(id, make_response(server_user_.requests.back().second, 500).build());
  ASSERT_FALSE(again.has_value());
  EXPECT_THAT(again.error().message, HasSubstr("Completed"));
  EXPECT_THAT(again.error().message, HasSubstr("200-699 from TU"));
}

TEST_F(ServerNonInviteTest, LateSendFailureInProceedingAndCompletedEndsWithTransportError) {
  const ServerTransactionId proceeding = receive();
  respond(proceeding, 100);
  transport_.fail_pending_sends();
  EXPECT_FALSE(layer().state(proceeding).has_value());

  spec_.branch = "z9hG4bKother";
  spec_.cseq = 2;
  const ServerTransactionId completed = receive();
  respond(completed, 200);
  transport_.fail_pending_sends();
  EXPECT_FALSE(layer().state(completed).has_value());
  ASSERT_EQ(server_user_.ended.size(), 2U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::TransportError);
  EXPECT_EQ(server_user_.ended[1].reason, TransactionEnd::TransportError);
}

TEST_F(ServerNonInviteTest, ResponseOutsideTheStatusRangeIsRejected) {
  const ServerTransactionId id = receive();
  const auto result = layer().respond(id, Message::response(700, "Nope"));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer().state(id), TransactionState::Trying);
  const auto request_instead = layer().respond(id, Message::request("OPTIONS", "sip:x@y"));
  EXPECT_EQ(request_instead.error().code, Errc::InvalidArgument);
}

TEST(ServerNonInviteTransitions, FollowFigure8) {
  using State = ServerNonInviteTransaction::State;
  using Event = ServerNonInviteTransaction::Event;
  struct Row {
    State from;
    Event event;
    State to;
  };
  const std::vector<Row> allowed = {
      {State::Trying, Event::RequestRetransmission, State::Trying},
      {State::Trying, Event::Provisional, State::Proceeding},
      {State::Trying, Event::Final, State::Completed},
      {State::Proceeding, Event::RequestRetransmission, State::Proceeding},
      {State::Proceeding, Event::Provisional, State::Proceeding},
      {State::Proceeding, Event::Final, State::Completed},
      {State::Proceeding, Event::TransportError, State::Terminated},
      {State::Completed, Event::RequestRetransmission, State::Completed},
      {State::Completed, Event::TimerJ, State::Terminated},
      {State::Completed, Event::TransportError, State::Terminated},
  };
  for (State from : {State::Trying, State::Proceeding, State::Completed, State::Terminated}) {
    for (Event event :
         {Event::RequestRetransmission, Event::Provisional, Event::Final, Event::TimerJ, Event::TransportError}) {
      const auto row = std::find_if(allowed.begin(), allowed.end(),
                                    [&](const Row& r) { return r.from == from && r.event == event; });
      const auto result = ServerNonInviteTransaction::transition(from, event);
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
