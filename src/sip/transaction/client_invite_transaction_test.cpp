// RFC 3261 §17.1.1 (Figure 5) and RFC 6026 §7.2, through the layer: every
// state, every timer, exact retransmission times.

#include "sip/transaction/client_invite_transaction.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sip/transaction/transaction_layer_fixture.hpp"

namespace voxgate::sip::testing {
namespace {

using Kind = FakeTransport::Kind;
using ::testing::HasSubstr;

using ClientInviteTest = LayerTest;

TEST_F(ClientInviteTest, TimerARetransmitsAtDoublingIntervalsUntilTimerBTimesOut) {
  const ClientTransactionId id = send();
  EXPECT_EQ(layer().state(id), TransactionState::Calling);
  EXPECT_EQ(transport_.of_kind(Kind::Request).size(), 1U);

  advance(31999ms);
  // Timer A: T1, 2*T1, 4*T1... after the first send at 0 (§17.1.1.2).
  EXPECT_EQ(send_times(Kind::OnFlow), ms({500, 1500, 3500, 7500, 15500, 31500}));
  for (const auto* s : transport_.of_kind(Kind::OnFlow)) EXPECT_EQ(s->bytes, transport_.sent.front().bytes);
  EXPECT_EQ(layer().state(id), TransactionState::Calling);
  EXPECT_TRUE(client_user_.ended.empty());

  advance(1ms);  // Timer B = 64*T1 = 32 s
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].id, id);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Timeout);
  EXPECT_EQ(layer().stats().timeouts, 1U);
  EXPECT_EQ(layer().stats().retransmissions_sent, 6U);
  EXPECT_EQ(timers_.size(), 0U);
}

TEST_F(ClientInviteTest, TimerAFollowsConfiguredT1) {
  rebuild(TimerSettings{.t1 = 100ms, .t2 = 4s, .t4 = 5s, .timer_d = 32s}, {});
  send();
  advance(6400ms);
  EXPECT_EQ(send_times(Kind::OnFlow), ms({100, 300, 700, 1500, 3100, 6300}));
  EXPECT_EQ(client_user_.ended.size(), 1U);  // Timer B = 64*T1 = 6.4 s
}

TEST_F(ClientInviteTest, ProvisionalEntersProceedingAndStopsRetransmissionsAndTimerB) {
  const ClientTransactionId id = send();
  advance(600ms);
  answer(180);
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  EXPECT_EQ(client_user_.statuses(), std::vector<std::uint16_t>{180});
  answer(183);
  EXPECT_EQ(client_user_.statuses(), (std::vector<std::uint16_t>{180, 183}));

  advance(10min);
  EXPECT_EQ(send_times(Kind::OnFlow), ms({500}));  // the one before the 180
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  EXPECT_TRUE(client_user_.ended.empty());
}

TEST_F(ClientInviteTest, FailureInCallingAcksPassesUpAndEntersCompleted) {
  const ClientTransactionId id = send();
  answer(486, "busy-tag");
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  EXPECT_EQ(client_user_.statuses(), std::vector<std::uint16_t>{486});
  const auto acks = transport_.of_kind(Kind::OnFlow);
  ASSERT_EQ(acks.size(), 1U);

  // §17.1.1.3: the ACK copies the INVITE's Request-URI, top Via, Route,
  // From, Call-ID, CSeq number, and takes To from the response.
  const Message invite = test::parse_ok(transport_.sent.front().bytes);
  const Message ack = test::parse_ok(acks[0]->bytes);
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.request_uri_text(), invite.request_uri_text());
  EXPECT_EQ(ack.values(HeaderId::Via), invite.values(HeaderId::Via));
  EXPECT_EQ(ack.values(HeaderId::Route), invite.values(HeaderId::Route));
  EXPECT_EQ(ack.first_value(HeaderId::From), invite.first_value(HeaderId::From));
  EXPECT_EQ(ack.first_value(HeaderId::CallId), invite.first_value(HeaderId::CallId));
  EXPECT_EQ(ack.cseq()->sequence, invite.cseq()->sequence);
  EXPECT_EQ(ack.cseq()->method, Method::Ack);
  EXPECT_EQ(ack.to()->tag(), "busy-tag");
  EXPECT_EQ(acks[0]->flow, transport_.sent.front().flow);
}

TEST_F(ClientInviteTest, CompletedAbsorbsFinalRetransmissionsWithAnAckEachUntilTimerD) {
  const ClientTransactionId id = send();
  advance(100ms);
  answer(180);
  answer(503);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance(1s);
  answer(503);
  answer(503);
  EXPECT_EQ(client_user_.statuses(), (std::vector<std::uint16_t>{180, 503}));
  const auto acks = transport_.of_kind(Kind::OnFlow);
  ASSERT_EQ(acks.size(), 3U);
  EXPECT_EQ(acks[1]->bytes, acks[0]->bytes);
  EXPECT_EQ(layer().stats().absorbed_retransmissions, 2U);

  // Timer D: 32 s from entering Completed (at 100 ms).
  advance(32100ms - elapsed() - 1ms);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  advance(1ms);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Completed);
}

TEST_F(ClientInviteTest, SuccessEntersAcceptedAndPassesEvery2xxUpUntilTimerM) {
  const ClientTransactionId id = send();
  answer(180);
  advance(2s);
  answer(200, "fork-a");
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  // RFC 6026 §7.2: the transaction does not ACK a 2xx; every 2xx (a
  // retransmission or another fork) goes up.
  answer(200, "fork-a");
  answer(200, "fork-b");
  EXPECT_EQ(client_user_.statuses(), (std::vector<std::uint16_t>{180, 200, 200, 200}));
  EXPECT_TRUE(transport_.of_kind(Kind::OnFlow).empty());
  // Neither provisional nor non-2xx responses belong in Accepted.
  answer(180);
  answer(486);
  EXPECT_EQ(client_user_.responses.size(), 4U);
  EXPECT_EQ(layer().stats().rejected_events, 2U);

  advance(32s - 1ms);  // Timer M = 64*T1 from the first 2xx
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  advance(1ms);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Completed);
}

TEST_F(ClientInviteTest, SuccessInCallingStopsTimersAAndB) {
  const ClientTransactionId id = send();
  answer(200);
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);
  advance(31s);
  EXPECT_TRUE(transport_.of_kind(Kind::OnFlow).empty());
  EXPECT_TRUE(client_user_.ended.empty());
}

TEST_F(ClientInviteTest, ReliableTransportSkipsTimerAButKeepsTimerB) {
  const ClientTransactionId id = send("INVITE", TransportKind::Tcp);
  advance(32s - 1ms);
  EXPECT_TRUE(transport_.of_kind(Kind::OnFlow).empty());
  EXPECT_EQ(layer().state(id), TransactionState::Calling);
  advance(1ms);
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Timeout);
}

TEST_F(ClientInviteTest, ReliableTransportTerminatesRightAfterAckingAFailure) {
  const ClientTransactionId id = send("INVITE", TransportKind::Tcp);
  answer(404);
  EXPECT_EQ(transport_.of_kind(Kind::OnFlow).size(), 1U);  // the ACK
  EXPECT_FALSE(layer().state(id).has_value());             // Timer D = 0
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Completed);
  EXPECT_EQ(client_user_.statuses(), std::vector<std::uint16_t>{404});
}

TEST_F(ClientInviteTest, RequestMovedToTcpByTheTransportIsNotRetransmitted) {
  transport_.force_transport = TransportKind::Tcp;
  send("INVITE", TransportKind::Udp);
  advance(20s);
  EXPECT_TRUE(transport_.of_kind(Kind::OnFlow).empty());
}

TEST_F(ClientInviteTest, ImmediateSendFailureCreatesNoTransaction) {
  transport_.fail_requests = true;
  const auto id = layer().send_request(outgoing(), target(), client_user_);
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, Errc::Io);
  EXPECT_EQ(layer().client_transactions(), 0U);
  EXPECT_EQ(layer().stats().created_of(TransactionKind::ClientInvite), 0U);
  EXPECT_TRUE(client_user_.ended.empty());
}

TEST_F(ClientInviteTest, LateSendFailureInCallingEndsWithTransportError) {
  const ClientTransactionId id = send();
  transport_.fail_pending_sends();
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::TransportError);
  EXPECT_EQ(layer().stats().transport_errors, 1U);
  EXPECT_EQ(timers_.size(), 0U);
}

TEST_F(ClientInviteTest, RetransmissionFailureEndsWithTransportError) {
  send();
  transport_.fail_on_flow = true;
  advance(500ms);
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::TransportError);
}

TEST_F(ClientInviteTest, AckSendFailureStillPassesTheResponseUpThenEnds) {
  const ClientTransactionId id = send();
  transport_.fail_on_flow = true;
  answer(486);
  EXPECT_EQ(client_user_.statuses(), std::vector<std::uint16_t>{486});
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::TransportError);
}

// ---- the transition table itself (Figure 5 + RFC 6026) ----

TEST(ClientInviteTransitions, FollowFigure5WithRfc6026Accepted) {
  using State = ClientInviteTransaction::State;
  using Event = ClientInviteTransaction::Event;
  struct Row {
    State from;
    Event event;
    State to;
  };
  const std::vector<Row> allowed = {
      {State::Calling, Event::TimerA, State::Calling},
      {State::Calling, Event::TimerB, State::Terminated},
      {State::Calling, Event::Provisional, State::Proceeding},
      {State::Calling, Event::Success, State::Accepted},
      {State::Calling, Event::Failure, State::Completed},
      {State::Calling, Event::TransportError, State::Terminated},
      {State::Proceeding, Event::Provisional, State::Proceeding},
      {State::Proceeding, Event::Success, State::Accepted},
      {State::Proceeding, Event::Failure, State::Completed},
      {State::Proceeding, Event::CancelGuard, State::Terminated},
      {State::Completed, Event::Failure, State::Completed},
      {State::Completed, Event::TimerD, State::Terminated},
      {State::Completed, Event::TransportError, State::Terminated},
      {State::Accepted, Event::Success, State::Accepted},
      {State::Accepted, Event::TimerM, State::Terminated},
  };
  const std::vector<State> states = {State::Calling, State::Proceeding, State::Completed, State::Accepted,
                                     State::Terminated};
  const std::vector<Event> events = {Event::Provisional, Event::Success,     Event::Failure,
                                     Event::TimerA,      Event::TimerB,      Event::TimerD,
                                     Event::TimerM,      Event::CancelGuard, Event::TransportError};
  for (State from : states) {
    for (Event event : events) {
      const auto row = std::find_if(allowed.begin(), allowed.end(),
                                    [&](const Row& r) { return r.from == from && r.event == event; });
      const auto result = ClientInviteTransaction::transition(from, event);
      if (row != allowed.end()) {
        ASSERT_TRUE(result.has_value()) << to_string(from) << " + " << to_string(event);
        EXPECT_EQ(*result, row->to) << to_string(from) << " + " << to_string(event);
      } else {
        ASSERT_FALSE(result.has_value()) << to_string(from) << " + " << to_string(event);
        EXPECT_EQ(result.error().code, Errc::InvalidState);
        EXPECT_THAT(result.error().message, HasSubstr(std::string(to_string(from))));
        EXPECT_THAT(result.error().message, HasSubstr(std::string(to_string(event))));
        EXPECT_THAT(result.error().message, HasSubstr("client INVITE"));
      }
    }
  }
}

}  // namespace
}  // namespace voxgate::sip::testing
