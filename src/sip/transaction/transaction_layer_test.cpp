// The layer around the machines: CANCEL both ways (§9), limits, detach, the
// handles, and counters that add up.

#include "sip/transaction/transaction_layer.hpp"

#include <gtest/gtest.h>

#include "sip/transaction/transaction_layer_fixture.hpp"

namespace voxgate::sip::testing {
namespace {

using Kind = FakeTransport::Kind;

using LayerApiTest = LayerTest;

// ---- CANCEL received (§9.2) ----

class CancelReceivedTest : public LayerTest {
 protected:
  ServerTransactionId receive_invite() {
    deliver(invite_);
    return server_user_.requests.back().first;
  }
  RequestSpec cancel_spec() const {
    RequestSpec cancel = invite_;
    cancel.method = "CANCEL";
    return cancel;
  }
  RequestSpec invite_;
};

TEST_F(CancelReceivedTest, MatchingCancelIsAnswered200AndTheUserTold) {
  const ServerTransactionId invite = receive_invite();
  server_user_.answer_cancel = [this](ServerTransactionId id) {
    // The user answers the INVITE with 487 from inside the upcall.
    const Message& request = server_user_.requests.front().second;
    ASSERT_TRUE(layer().respond(id, make_response(request, 487, {}, "t487").build()));
  };
  deliver(cancel_spec());
  ASSERT_EQ(server_user_.cancels.size(), 1U);
  EXPECT_EQ(server_user_.cancels[0].first, invite);
  EXPECT_EQ(server_user_.cancels[0].second.method(), Method::Cancel);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 200, 487}));
  const Message ok = test::parse_ok(transport_.of_kind(Kind::Response)[1]->bytes);
  EXPECT_EQ(ok.cseq()->method, Method::Cancel);
  EXPECT_TRUE(ok.to()->tag().has_value());
  EXPECT_EQ(layer().state(invite), TransactionState::Completed);
  EXPECT_EQ(layer().stats().cancels_matched, 1U);
  EXPECT_EQ(server_user_.requests.size(), 1U);  // the CANCEL is not a request for the user
}

TEST_F(CancelReceivedTest, The200CarriesTheToTagOfTheInvitesResponse) {
  const ServerTransactionId invite = receive_invite();
  ASSERT_TRUE(layer().respond(invite, make_response(server_user_.requests[0].second, 180, {}, "dlg-tag").build()));
  deliver(cancel_spec());
  const Message ok = test::parse_ok(transport_.of_kind(Kind::Response).back()->bytes);
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.to()->tag(), "dlg-tag");
}

TEST_F(CancelReceivedTest, CancelAfterTheFinalResponseIsAnswered200WithoutTellingTheUser) {
  const ServerTransactionId invite = receive_invite();
  ASSERT_TRUE(layer().respond(invite, make_response(server_user_.requests[0].second, 200, {}, "t").build()));
  deliver(cancel_spec());
  EXPECT_TRUE(server_user_.cancels.empty());
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 200, 200}));
  EXPECT_EQ(layer().state(invite), TransactionState::Accepted);
  const Message ok = test::parse_ok(transport_.of_kind(Kind::Response).back()->bytes);
  EXPECT_EQ(ok.to()->tag(), "t") << "the 2xx's tag, though Accepted keeps no copy of the 2xx";
}

TEST_F(CancelReceivedTest, CancelMatchingNothingGets481) {
  deliver(cancel_spec());
  EXPECT_EQ(transport_.response_statuses(), std::vector<std::uint16_t>{481});
  EXPECT_TRUE(server_user_.cancels.empty());
  EXPECT_TRUE(server_user_.requests.empty());
  EXPECT_EQ(layer().stats().cancels_unmatched, 1U);
}

TEST_F(CancelReceivedTest, CancelWithAnotherBranchMatchesNothing) {
  receive_invite();
  RequestSpec cancel = cancel_spec();
  cancel.branch = "z9hG4bKelsewhere";
  deliver(cancel);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 481}));
}

TEST_F(CancelReceivedTest, RetransmittedCancelGetsThe200AgainAndTheUserIsToldOnce) {
  receive_invite();
  deliver(cancel_spec());
  deliver(cancel_spec());
  EXPECT_EQ(server_user_.cancels.size(), 1U);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 200, 200}));
}

TEST_F(CancelReceivedTest, LegacyCancelMatchesTheLegacyInvite) {
  invite_.branch = "oldstyle-1";
  receive_invite();
  deliver(cancel_spec());
  EXPECT_EQ(server_user_.cancels.size(), 1U);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 200}));
}

// ---- CANCEL sent (§9.1) ----

TEST_F(LayerApiTest, CancelWaitsForAProvisionalResponseThenSendsIt) {
  const ClientTransactionId id = send();
  ASSERT_TRUE(layer().cancel(id));
  EXPECT_TRUE(transport_.of_kind(Kind::OnFlow).empty());
  advance(100ms);
  answer(180);
  const auto on_flow = transport_.of_kind(Kind::OnFlow);
  ASSERT_EQ(on_flow.size(), 1U);

  // §9.1: same Request-URI, Call-ID, To, From, CSeq number, Route, top Via.
  const Message invite = test::parse_ok(transport_.sent.front().bytes);
  const Message cancel = test::parse_ok(on_flow[0]->bytes);
  EXPECT_EQ(cancel.method(), Method::Cancel);
  EXPECT_EQ(cancel.request_uri_text(), invite.request_uri_text());
  EXPECT_EQ(cancel.values(HeaderId::Via), invite.values(HeaderId::Via));
  EXPECT_EQ(cancel.values(HeaderId::Route), invite.values(HeaderId::Route));
  EXPECT_EQ(cancel.first_value(HeaderId::From), invite.first_value(HeaderId::From));
  EXPECT_EQ(cancel.first_value(HeaderId::To), invite.first_value(HeaderId::To));
  EXPECT_EQ(cancel.first_value(HeaderId::CallId), invite.first_value(HeaderId::CallId));
  EXPECT_EQ(cancel.cseq()->sequence, invite.cseq()->sequence);
  EXPECT_EQ(cancel.cseq()->method, Method::Cancel);
  EXPECT_EQ(on_flow[0]->flow, transport_.sent.front().flow);
  EXPECT_EQ(layer().stats().created_of(TransactionKind::ClientNonInvite), 1U);

  // The CANCEL's 200 is its own transaction's; the INVITE's 487 goes up and is ACKed.
  answer_request(on_flow[0]->bytes, 200);
  answer(487);
  EXPECT_EQ(client_user_.statuses(), (std::vector<std::uint16_t>{180, 487}));
  EXPECT_EQ(transport_.of_kind(Kind::OnFlow).size(), 2U);  // CANCEL, ACK
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
}

TEST_F(LayerApiTest, CancelInProceedingIsSentAtOnceAndRetransmittedByTimerE) {
  const ClientTransactionId id = send();
  answer(183);
  ASSERT_TRUE(layer().cancel(id));
  ASSERT_TRUE(layer().cancel(id));  // again: a no-op
  EXPECT_EQ(transport_.of_kind(Kind::OnFlow).size(), 1U);
  advance(1600ms);
  EXPECT_EQ(send_times(Kind::OnFlow), ms({0, 500, 1500}));
}

TEST_F(LayerApiTest, FinalResponseBeforeAnyProvisionalDropsThePendingCancel) {
  const ClientTransactionId id = send();
  ASSERT_TRUE(layer().cancel(id));
  answer(486);
  const auto on_flow = transport_.of_kind(Kind::OnFlow);
  ASSERT_EQ(on_flow.size(), 1U);  // only the ACK
  EXPECT_EQ(test::parse_ok(on_flow[0]->bytes).method(), Method::Ack);
}

TEST_F(LayerApiTest, InviteWithoutAFinalResponseAfterCancelEndsIn64T1) {
  const ClientTransactionId id = send();
  answer(180);
  advance(1s);
  ASSERT_TRUE(layer().cancel(id));
  advance(32s - 1ms);
  EXPECT_EQ(layer().state(id), TransactionState::Proceeding);
  advance(1ms);
  EXPECT_FALSE(layer().state(id).has_value());
  ASSERT_EQ(client_user_.ended.size(), 1U);
  EXPECT_EQ(client_user_.ended[0].reason, TransactionEnd::Timeout);
}

TEST_F(LayerApiTest, CancelAfterTheFinalResponseIsRejected) {
  const ClientTransactionId id = send();
  answer(200);
  const auto result = layer().cancel(id);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::InvalidState);
}

TEST_F(LayerApiTest, CancelOfANonInviteOrAnUnknownIdIsRejected) {
  const ClientTransactionId options = send("OPTIONS");
  EXPECT_EQ(layer().cancel(options).error().code, Errc::InvalidState);
  EXPECT_EQ(layer().cancel(ClientTransactionId{12345}).error().code, Errc::NotFound);
}

// ---- send_request / respond arguments ----

TEST_F(LayerApiTest, SendRequestRefusesAckCancelResponsesAndMismatchedCSeq) {
  EXPECT_EQ(layer().send_request(outgoing("ACK"), target(), client_user_).error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer().send_request(outgoing("CANCEL"), target(), client_user_).error().code, Errc::InvalidArgument);
  EXPECT_EQ(layer().send_request(Message::response(200, "OK"), target(), client_user_).error().code,
            Errc::InvalidArgument);
  Message mismatched = outgoing("BYE");
  mismatched.set_header(HeaderId::CSeq, "1 INVITE");
  EXPECT_EQ(layer().send_request(std::move(mismatched), target(), client_user_).error().code, Errc::InvalidArgument);
  EXPECT_TRUE(transport_.sent.empty());
}

TEST_F(LayerApiTest, BranchesCarryTheMagicCookieAndDiffer) {
  send("OPTIONS");
  send("OPTIONS");
  const Message a = test::parse_ok(transport_.sent[0].bytes);
  const Message b = test::parse_ok(transport_.sent[1].bytes);
  const auto first = a.top_via();
  const auto second = b.top_via();
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->has_rfc3261_branch());
  EXPECT_NE(first->branch(), second->branch());
}

TEST_F(LayerApiTest, RespondToAnUnknownOrEndedTransactionIsNotFound) {
  EXPECT_EQ(layer().respond(ServerTransactionId{42}, Message::response(200, "OK")).error().code, Errc::NotFound);
  RequestSpec options;
  options.method = "OPTIONS";
  options.transport = TransportKind::Tcp;
  deliver(options);
  const ServerTransactionId id = server_user_.requests.back().first;
  ASSERT_TRUE(layer().respond(id, make_response(server_user_.requests.back().second, 200).build()));
  EXPECT_EQ(layer().respond(id, make_response(server_user_.requests.back().second, 200).build()).error().code,
            Errc::NotFound);
}

// ---- detach, limits, counters ----

TEST_F(LayerApiTest, DetachedUserHearsNothingMoreWhileTheTransactionRunsOn) {
  const ClientTransactionId id = send();
  layer().detach(id);
  answer(486);
  EXPECT_TRUE(client_user_.responses.empty());
  EXPECT_EQ(transport_.of_kind(Kind::OnFlow).size(), 1U);  // still ACKed
  advance(40s);
  EXPECT_TRUE(client_user_.ended.empty());
  EXPECT_EQ(layer().client_transactions(), 0U);
}

TEST_F(LayerApiTest, RequestsBeyondTheServerLimitGet503Statelessly) {
  rebuild({}, TransactionLimits{.max_server_transactions = 1, .max_client_transactions = 1});
  RequestSpec first;
  first.method = "OPTIONS";
  deliver(first);
  RequestSpec second = first;
  second.branch = "z9hG4bKsecond";
  second.call_id = "other-call";
  deliver(second);
  EXPECT_EQ(server_user_.requests.size(), 1U);
  EXPECT_EQ(transport_.response_statuses(), std::vector<std::uint16_t>{503});
  EXPECT_EQ(layer().stats().rejected_over_limit, 1U);
  EXPECT_EQ(layer().server_transactions(), 1U);

  send("OPTIONS");
  const auto refused = layer().send_request(outgoing("OPTIONS"), target(), client_user_);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::LimitExceeded);
}

TEST_F(LayerApiTest, InvalidTimerSettingsAreAStartUpError) {
  EXPECT_THROW(rebuild(TimerSettings{.t1 = 0ms}, {}), std::invalid_argument);
  EXPECT_THROW(rebuild(TimerSettings{.t1 = 5s, .t2 = 4s}, {}), std::invalid_argument);
}

TEST_F(LayerApiTest, CountersAddUpOverAMixOfTransactions) {
  RequestSpec invite;
  deliver(invite);
  RequestSpec options;
  options.method = "OPTIONS";
  options.branch = "z9hG4bKopt";
  deliver(options);
  send("INVITE");
  send("OPTIONS");
  const auto& requests = server_user_.requests;
  ASSERT_TRUE(layer().respond(requests[0].first, make_response(requests[0].second, 486, {}, "t").build()));
  ASSERT_TRUE(layer().respond(requests[1].first, make_response(requests[1].second, 200, {}, "t").build()));
  answer_request(transport_.of_kind(Kind::Request)[0]->bytes, 200);
  answer_request(transport_.of_kind(Kind::Request)[1]->bytes, 200);
  advance(5min);

  const TransactionStats& stats = layer().stats();
  for (const auto kind : {TransactionKind::ClientInvite, TransactionKind::ClientNonInvite,
                          TransactionKind::ServerInvite, TransactionKind::ServerNonInvite}) {
    EXPECT_EQ(stats.created_of(kind), 1U) << to_string(kind);
    EXPECT_EQ(stats.ended_of(kind), 1U) << to_string(kind);
  }
  EXPECT_EQ(stats.timeouts, 1U);  // the 486 was never ACKed: Timer H
  EXPECT_EQ(layer().server_transactions() + layer().client_transactions(), 0U);
  EXPECT_EQ(server_user_.ended.size(), 2U);
  EXPECT_EQ(client_user_.ended.size(), 2U);
  EXPECT_EQ(timers_.size(), 0U);
}

TEST_F(LayerApiTest, DestroyingTheLayerCancelsEveryTimerWithoutUpcalls) {
  RequestSpec invite;
  deliver(invite);
  send("INVITE");
  EXPECT_GT(timers_.size(), 0U);
  rebuild({}, {});
  EXPECT_EQ(timers_.size(), 0U);
  EXPECT_TRUE(server_user_.ended.empty());
  EXPECT_TRUE(client_user_.ended.empty());
}

}  // namespace
}  // namespace voxgate::sip::testing
