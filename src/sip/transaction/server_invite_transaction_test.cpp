// RFC 3261 §17.2.1 (Figure 7) and RFC 6026 §7.1, through the layer: every
// state, every timer, exact retransmission times.

#include "sip/transaction/server_invite_transaction.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_layer_fixture.hpp"

namespace voxgate::sip::testing {
namespace {

using Kind = FakeTransport::Kind;
using ::testing::HasSubstr;

class ServerInviteTest : public LayerTest {
 protected:
  // Delivers the INVITE and returns the id the user got.
  ServerTransactionId receive_invite(TransportKind transport = TransportKind::Udp) {
    spec_.transport = transport;
    deliver(spec_);
    EXPECT_FALSE(server_user_.requests.empty());
    return server_user_.requests.empty() ? ServerTransactionId{} : server_user_.requests.back().first;
  }
  void respond(ServerTransactionId id, std::uint16_t status) {
    const Message& request = server_user_.requests.back().second;
    const auto result = layer().respond(id, make_response(request, status, {}, "uas-tag").build());
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  }
  void deliver_ack(std::string to_tag = "uas-tag") {
    RequestSpec ack = spec_;
    ack.method = "ACK";
    ack.to_tag = std::move(to_tag);
    deliver(ack);
  }

  RequestSpec spec_;
};

TEST_F(ServerInviteTest, NewInviteGoesUpAndGets100TryingAtOnce) {
  const ServerTransactionId id = receive_invite();
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  EXPECT_EQ(transport_.response_statuses(), std::vector<std::uint16_t>{100});
  EXPECT_EQ(layer().stats().created_of(TransactionKind::ServerInvite), 1U);
}

TEST_F(ServerInviteTest, NoTryingWhenTheUserAnswersInsideTheUpcall) {
  server_user_.answer = [this](ServerTransactionId id, const Message& request) {
    ASSERT_TRUE(layer().respond(id, make_response(request, 180, {}, "t").build()).has_value());
  };
  receive_invite();
  EXPECT_EQ(transport_.response_statuses(), std::vector<std::uint16_t>{180});
}

TEST_F(ServerInviteTest, RetransmittedInviteInProceedingResendsTheLatestProvisional) {
  const ServerTransactionId id = receive_invite();
  deliver(spec_);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 100}));
  respond(id, 180);
  deliver(spec_);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 100, 180, 180}));
  EXPECT_EQ(server_user_.requests.size(), 1U);
  EXPECT_EQ(layer().stats().absorbed_retransmissions, 2U);
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
}

TEST_F(ServerInviteTest, FailureEntersCompletedAndTimerGRetransmitsCappedAtT2UntilTimerH) {
  const ServerTransactionId id = receive_invite();
  respond(id, 486);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance(32s - 1ms);
  // §17.2.1: T1, then doubling capped at T2 (4 s).
  const auto statuses = transport_.response_statuses();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 486), 1 + 10);
  std::vector<Clock::Duration> retransmits;
  for (const auto* s : transport_.of_kind(Kind::Response)) {
    if (s->status == 486 && at(*s) > Clock::Duration::zero()) retransmits.push_back(at(*s));
  }
  EXPECT_EQ(retransmits, ms({500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  EXPECT_TRUE(server_user_.ended.empty());
  advance(1ms);  // Timer H = 64*T1: the ACK never came
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].id, id);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::Timeout);
}

TEST_F(ServerInviteTest, RetransmittedInviteInCompletedResendsTheFinalResponse) {
  const ServerTransactionId id = receive_invite();
  respond(id, 404);
  deliver(spec_);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 404, 404}));
  EXPECT_EQ(server_user_.requests.size(), 1U);
}

TEST_F(ServerInviteTest, AckEntersConfirmedStopsRetransmissionsAndIsAbsorbedUntilTimerI) {
  const ServerTransactionId id = receive_invite();
  respond(id, 486);
  advance(2s);  // two Timer G retransmissions (0.5 s, 1.5 s)
  deliver_ack();
  EXPECT_EQ(layer().state(id), TransactionState::Confirmed);
  EXPECT_TRUE(server_user_.acks.empty());  // the ACK of a non-2xx is the transaction's own
  deliver_ack();
  deliver(spec_);  // a late INVITE retransmission is absorbed too
  EXPECT_TRUE(server_user_.acks.empty());
  const std::size_t sent_before = transport_.sent.size();
  advance(5s - 1ms);  // Timer I = T4
  EXPECT_EQ(transport_.sent.size(), sent_before);
  EXPECT_EQ(layer().state(id), TransactionState::Confirmed);
  advance(1ms);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::Completed);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 486, 486, 486}));
}

TEST_F(ServerInviteTest, SuccessEntersAcceptedWhereInviteRetransmissionsAreAbsorbedSilently) {
  const ServerTransactionId id = receive_invite();
  respond(id, 200);
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  deliver(spec_);
  // RFC 6026 §7.1: absorbed, nothing sent, not passed up; the 2xx is the TU's to retransmit.
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 200}));
  EXPECT_EQ(server_user_.requests.size(), 1U);
  advance(10s);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 200}));
}

TEST_F(ServerInviteTest, AcceptedSendsTheUsers2xxRetransmissionsAndPassesMatchingAcksUpUntilTimerL) {
  const ServerTransactionId id = receive_invite();
  respond(id, 200);
  advance(500ms);
  respond(id, 200);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 200, 200}));
  deliver_ack();  // same branch as the INVITE: matches the transaction
  ASSERT_EQ(server_user_.acks.size(), 1U);
  EXPECT_EQ(layer().stats().stray_acks, 0U);
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  // Neither a provisional nor a non-2xx may follow a 2xx.
  const auto late = layer().respond(id, make_response(server_user_.requests.back().second, 486).build());
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, Errc::InvalidState);
  EXPECT_THAT(late.error().message, HasSubstr("Accepted"));
  EXPECT_THAT(late.error().message, HasSubstr("300-699 from TU"));

  advance(32s - 500ms - 1ms);  // Timer L = 64*T1 from the first 2xx
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  advance(1ms);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::Completed);
}

TEST_F(ServerInviteTest, ReliableTransportHasNoTimerGAndEndsOnAck) {
  const ServerTransactionId id = receive_invite(TransportKind::Tcp);
  respond(id, 603);
  advance(20s);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 603}));
  spec_.transport = TransportKind::Tcp;
  deliver_ack();
  EXPECT_FALSE(layer().state(id).has_value());  // Timer I = 0
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::Completed);
}

TEST_F(ServerInviteTest, ReliableTransportStillWaitsTimerHForTheAck) {
  const ServerTransactionId id = receive_invite(TransportKind::Tcp);
  respond(id, 603);
  advance(32s - 1ms);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance(1ms);
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::Timeout);
}

TEST_F(ServerInviteTest, ProvisionalAfterTheFinalResponseIsRejectedNamingStateAndEvent) {
  const ServerTransactionId id = receive_invite();
  respond(id, 486);
  const auto result = layer().respond(id, make_response(server_user_.requests.back().second, 180).build());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::InvalidState);
  EXPECT_THAT(result.error().message, HasSubstr("Completed"));
  EXPECT_THAT(result.error().message, HasSubstr("1xx from TU"));
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
}

TEST_F(ServerInviteTest, ImmediateSendFailureEndsTheTransactionAndReportsIo) {
  const ServerTransactionId id = receive_invite();
  transport_.fail_responses = true;
  const auto result = layer().respond(id, make_response(server_user_.requests.back().second, 180).build());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::Io);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::TransportError);
}

TEST_F(ServerInviteTest, LateSendFailureInCompletedEndsWithTransportError) {
  const ServerTransactionId id = receive_invite();
  respond(id, 500);
  transport_.fail_pending_sends();
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::TransportError);
  EXPECT_EQ(timers_.size(), 0U);
}

TEST_F(ServerInviteTest, LateSendFailureOfThe100InProceedingEndsWithTransportError) {
  const ServerTransactionId id = receive_invite();
  transport_.fail_pending_sends();
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(server_user_.ended.size(), 1U);
  EXPECT_EQ(server_user_.ended[0].reason, TransactionEnd::TransportError);
}

TEST(ServerInviteTransitions, FollowFigure7WithRfc6026Accepted) {
  using State = ServerInviteTransaction::State;
  using Event = ServerInviteTransaction::Event;
  struct Row {
    State from;
    Event event;
    State to;
  };
  const std::vector<Row> allowed = {
      {State::Proceeding, Event::RequestRetransmission, State::Proceeding},
      {State::Proceeding, Event::Provisional, State::Proceeding},
      {State::Proceeding, Event::Success, State::Accepted},
      {State::Proceeding, Event::Failure, State::Completed},
      {State::Proceeding, Event::TransportError, State::Terminated},
      {State::Completed, Event::RequestRetransmission, State::Completed},
      {State::Completed, Event::TimerG, State::Completed},
      {State::Completed, Event::Ack, State::Confirmed},
      {State::Completed, Event::TimerH, State::Terminated},
      {State::Completed, Event::TransportError, State::Terminated},
      {State::Confirmed, Event::RequestRetransmission, State::Confirmed},
      {State::Confirmed, Event::Ack, State::Confirmed},
      {State::Confirmed, Event::TimerI, State::Terminated},
      {State::Accepted, Event::RequestRetransmission, State::Accepted},
      {State::Accepted, Event::Success, State::Accepted},
      {State::Accepted, Event::Ack, State::Accepted},
      {State::Accepted, Event::TimerL, State::Terminated},
      {State::Accepted, Event::TransportError, State::Terminated},
  };
  for (State from : {State::Proceeding, State::Completed, State::Confirmed, State::Accepted, State::Terminated}) {
    for (Event event : {Event::RequestRetransmission, Event::Provisional, Event::Success, Event::Failure, Event::Ack,
                        Event::TimerG, Event::TimerH, Event::TimerI, Event::TimerL, Event::TransportError}) {
      const auto row = std::find_if(allowed.begin(), allowed.end(),
                                    [&](const Row& r) { return r.from == from && r.event == event; });
      const auto result = ServerInviteTransaction::transition(from, event);
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
