// Matching (§17.1.3, §17.2.3 with its RFC 2543 fallback), merged requests
// (§8.2.2.2), ACKs for 2xx and stray responses.

#include "sip/transaction/transaction_key.hpp"

#include <gtest/gtest.h>

#include "sip/transaction/transaction_layer_fixture.hpp"

namespace voxgate::sip::testing {
namespace {

using Kind = FakeTransport::Kind;

using MatchingTest = LayerTest;

TEST_F(MatchingTest, SameBranchFromAnotherSentByIsANewTransaction) {
  RequestSpec a;
  a.method = "OPTIONS";
  RequestSpec b = a;
  b.via_host = "198.51.100.8";
  b.call_id = "call-2";
  deliver(a);
  deliver(b);
  EXPECT_EQ(server_user_.requests.size(), 2U);
  EXPECT_EQ(layer().server_transactions(), 2U);
}

TEST_F(MatchingTest, SentByHostComparesCaseInsensitivelyAndPortAsWritten) {
  RequestSpec a;
  a.method = "OPTIONS";
  a.via_host = "Client.Example.COM";
  deliver(a);
  RequestSpec same = a;
  same.via_host = "client.example.com";
  deliver(same);
  EXPECT_EQ(server_user_.requests.size(), 1U);
  RequestSpec other_port = a;
  other_port.via_port = 5070;
  other_port.call_id = "call-2";
  deliver(other_port);
  EXPECT_EQ(server_user_.requests.size(), 2U);
}

TEST_F(MatchingTest, SameBranchWithAnotherMethodIsANewTransaction) {
  RequestSpec options;
  options.method = "OPTIONS";
  RequestSpec info = options;
  info.method = "INFO";
  info.cseq = 2;
  deliver(options);
  deliver(info);
  EXPECT_EQ(server_user_.requests.size(), 2U);
}

TEST_F(MatchingTest, AckWithANewBranchIsTheAckOfA2xxAndGoesUp) {
  RequestSpec invite;
  deliver(invite);
  const ServerTransactionId id = server_user_.requests.back().first;
  ASSERT_TRUE(layer().respond(id, make_response(server_user_.requests.back().second, 200, {}, "t").build()));
  RequestSpec ack = invite;
  ack.method = "ACK";
  ack.branch = "z9hG4bKack2xx";  // §13.2.2.4: the ACK of a 2xx is a new transaction
  ack.to_tag = "t";
  deliver(ack);
  ASSERT_EQ(server_user_.acks.size(), 1U);
  EXPECT_EQ(server_user_.acks[0].method(), Method::Ack);
  EXPECT_EQ(layer().stats().stray_acks, 1U);
  EXPECT_EQ(layer().state(id), TransactionState::Accepted);  // untouched
}

TEST_F(MatchingTest, AckForNoTransactionAtAllGoesUp) {
  RequestSpec ack;
  ack.method = "ACK";
  ack.to_tag = "x";
  deliver(ack);
  EXPECT_EQ(server_user_.acks.size(), 1U);
  EXPECT_EQ(layer().server_transactions(), 0U);
}

TEST_F(MatchingTest, ResponseWithAnUnknownBranchIsDroppedAndCounted) {
  send("OPTIONS");
  auto response = test::parse_ok(
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnotours\r\n"
      "From: <sip:alice@192.0.2.10>;tag=ours\r\n"
      "To: <sip:carol@203.0.113.5>;tag=x\r\n"
      "Call-ID: out-call-1@192.0.2.10\r\n"
      "CSeq: 1 OPTIONS\r\n"
      "Content-Length: 0\r\n\r\n");
  deliver(std::move(response));
  EXPECT_TRUE(client_user_.responses.empty());
  EXPECT_EQ(layer().stats().stray_responses, 1U);
}

TEST_F(MatchingTest, ResponseWithOurBranchButAnotherCSeqMethodIsStray) {
  send("INVITE");
  auto request = test::parse_ok(transport_.sent.front().bytes);
  request.set_header(HeaderId::CSeq, "1 CANCEL");  // the CANCEL would share the branch (§17.1.3)
  deliver(test::parse_ok(make_response(request, 200, {}, "x").build().serialize()));
  EXPECT_TRUE(client_user_.responses.empty());
  EXPECT_EQ(layer().stats().stray_responses, 1U);
}

// ---- RFC 2543 fallback (§17.2.3) ----

class LegacyMatchingTest : public LayerTest {
 protected:
  LegacyMatchingTest() { legacy_.branch = "1234legacy"; }  // no magic cookie
  RequestSpec legacy_;
};

TEST_F(LegacyMatchingTest, RetransmissionMatchesByUriTagsCallIdCSeqAndTopVia) {
  deliver(legacy_);
  deliver(legacy_);
  EXPECT_EQ(server_user_.requests.size(), 1U);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 100}));
}

TEST_F(LegacyMatchingTest, EquivalentRequestUriWrittenDifferentlyStillMatches) {
  legacy_.request_uri = "sip:bob@biloxi.example.com;lr";
  deliver(legacy_);
  RequestSpec again = legacy_;
  again.request_uri = "SIP:bob@Biloxi.Example.COM;LR";  // §19.1.4: scheme, host and parameter names ignore case
  deliver(again);
  // Matched as retransmissions (100 resent), not taken for merged requests (482).
  EXPECT_EQ(server_user_.requests.size(), 1U);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 100}));
}

TEST_F(LegacyMatchingTest, AnyDifferingFieldMakesANewRequest) {
  deliver(legacy_);
  std::vector<RequestSpec> variants(4, legacy_);
  variants[0].request_uri = "sip:other@192.0.2.10";
  variants[1].to_tag = "sometag";
  variants[2].via_host = "198.51.100.99";
  variants[3].cseq = 2;
  for (const RequestSpec& v : variants) deliver(v);
  // None matched; with the same From tag/Call-ID and no To tag, those with
  // the same CSeq are merged requests (482), the others go up.
  EXPECT_EQ(server_user_.requests.size(), 3U);  // original, to-tag variant, CSeq 2
  EXPECT_EQ(layer().stats().merged_requests, 2U);
}

TEST_F(LegacyMatchingTest, AckMatchesByTheToTagOfOurResponse) {
  deliver(legacy_);
  const ServerTransactionId id = server_user_.requests.back().first;
  ASSERT_TRUE(layer().respond(id, make_response(server_user_.requests.back().second, 404, {}, "ours").build()));
  RequestSpec wrong_tag = legacy_;
  wrong_tag.method = "ACK";
  wrong_tag.to_tag = "not-ours";
  deliver(wrong_tag);
  EXPECT_EQ(layer().state(id), TransactionState::Completed);
  EXPECT_EQ(server_user_.acks.size(), 1U);  // went up as a stray ACK

  RequestSpec ack = legacy_;
  ack.method = "ACK";
  ack.to_tag = "ours";
  deliver(ack);
  EXPECT_EQ(layer().state(id), TransactionState::Confirmed);
  EXPECT_EQ(server_user_.acks.size(), 1U);
}

TEST_F(LegacyMatchingTest, CookieBranchNeverMatchesALegacyTransaction) {
  deliver(legacy_);
  RequestSpec modern = legacy_;
  modern.branch = "z9hG4bKmodern";
  modern.cseq = 5;
  deliver(modern);
  EXPECT_EQ(server_user_.requests.size(), 2U);
}

TEST_F(LegacyMatchingTest, BareMagicCookieIsTreatedAsLegacy) {
  legacy_.branch = "z9hG4bK";
  deliver(legacy_);
  deliver(legacy_);
  EXPECT_EQ(server_user_.requests.size(), 1U);
}

// ---- merged requests (§8.2.2.2) ----

TEST_F(MatchingTest, MergedRequestGets482AndIsNotPassedUp) {
  RequestSpec first;
  deliver(first);
  RequestSpec merged = first;
  merged.branch = "z9hG4bKviaotherproxy";
  merged.via_host = "198.51.100.20";
  deliver(merged);
  EXPECT_EQ(server_user_.requests.size(), 1U);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 482}));
  EXPECT_EQ(layer().stats().merged_requests, 1U);
  // Its retransmission matches the 482's transaction: absorbed, 482 again.
  deliver(merged);
  EXPECT_EQ(transport_.response_statuses(), (std::vector<std::uint16_t>{100, 482, 482}));
  EXPECT_EQ(layer().stats().merged_requests, 1U);
  // The layer's own transactions never reach the user.
  advance(40s);
  EXPECT_TRUE(server_user_.ended.empty());
  EXPECT_EQ(layer().server_transactions(), 1U);  // the INVITE, still Proceeding
}

TEST_F(MatchingTest, RetransmissionIsNotAMergedRequest) {
  RequestSpec first;
  deliver(first);
  deliver(first);
  EXPECT_EQ(layer().stats().merged_requests, 0U);
}

TEST_F(MatchingTest, RequestWithAToTagIsNeverMerged) {
  RequestSpec first;
  first.method = "BYE";
  first.to_tag = "dlg";
  deliver(first);
  RequestSpec other = first;
  other.branch = "z9hG4bKsecond";
  deliver(other);
  EXPECT_EQ(server_user_.requests.size(), 2U);
  EXPECT_EQ(layer().stats().merged_requests, 0U);
}

TEST_F(MatchingTest, DifferentCSeqOrFromTagIsNotMerged) {
  RequestSpec first;
  deliver(first);
  RequestSpec next_cseq = first;
  next_cseq.branch = "z9hG4bKb";
  next_cseq.cseq = 2;
  RequestSpec other_from = first;
  other_from.branch = "z9hG4bKc";
  other_from.from_tag = "ft2";
  deliver(next_cseq);
  deliver(other_from);
  EXPECT_EQ(server_user_.requests.size(), 3U);
}

// ---- keys ----

TEST(ServerKeyEqual, ComparesBranchAndMethodExactlyAndHostIgnoringCase) {
  const ServerKey a{"z9hG4bKx", "Host.Example", 5060, Method::Invite, "INVITE"};
  ServerKey b = a;
  b.sent_by_host = "host.example";
  EXPECT_TRUE(ServerKeyEqual{}(a, b));
  EXPECT_EQ(ServerKeyHash{}(a), ServerKeyHash{}(b));
  b.branch = "z9hG4bKX";
  EXPECT_FALSE(ServerKeyEqual{}(a, b));
  b = a;
  b.sent_by_port = std::nullopt;
  EXPECT_FALSE(ServerKeyEqual{}(a, b));
  b = a;
  b.method = Method::Cancel;
  EXPECT_FALSE(ServerKeyEqual{}(a, b));
}

TEST(ServerKeyEqual, ComparesExtensionMethodsByToken) {
  const ServerKey a{"z9hG4bKx", "h", 5060, Method::Extension, "FOO"};
  ServerKey b = a;
  b.method_text = "BAR";
  EXPECT_FALSE(ServerKeyEqual{}(a, b));
  b.method_text = "FOO";
  EXPECT_TRUE(ServerKeyEqual{}(a, b));
}

}  // namespace
}  // namespace voxgate::sip::testing
