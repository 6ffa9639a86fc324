// RFC 4028 session timers in the dialog layer, answering calls: 422 below
// our Min-SE, the negotiated Session-Expires in our 2xx, our refreshes at
// half the interval (UPDATE when allowed, else re-INVITE), and BYE with
// Reason 408 when the peer's refresh does not come.

#include <gtest/gtest.h>

#include <string>

#include "sip/dialog/detail/dialog_layer_fixture.hpp"

namespace voxgate::sip::dialog_detail {
namespace {

using Kind = CallEvent::Kind;
using std::chrono::seconds;

class DialogSessionTimer : public DialogLayerTest {
 protected:
  // An INVITE from the peer with `extra` header lines; returns our To tag.
  std::string invite(std::string_view extra, std::uint32_t cseq = 1) {
    std::string text = "INVITE sip:voxgate@192.0.2.10 SIP/2.0\n";
    text += "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKst" + std::to_string(cseq) + "\n";
    text += "Max-Forwards: 70\n";
    text += "From: <sip:alice@example.com>;tag=alice-1\n";
    text += "To: <sip:voxgate@example.com>\n";
    text += "Call-ID: timer-call@198.51.100.7\n";
    text += "CSeq: " + std::to_string(cseq) + " INVITE\n";
    text += "Contact: <sip:alice@198.51.100.7:5060>\n";
    text += "Content-Type: application/sdp\n";
    text += std::string(extra);
    text += "\n" + std::string(kPeerOffer);
    deliver(sip_message(text));
    const auto oks = sent_responses(200);
    if (oks.empty()) return {};
    return std::string(oks.back().to()->tag().value_or(""));
  }
  // A request of the peer inside the dialog.
  void request(std::string_view method, const std::string& tag, std::uint32_t cseq, std::string_view extra = {}) {
    std::string text = std::string(method) + " sip:voxgate@192.0.2.10 SIP/2.0\n";
    text += "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKin" + std::to_string(cseq) + "\n";
    text += "Max-Forwards: 70\n";
    text += "From: <sip:alice@example.com>;tag=alice-1\n";
    text += "To: <sip:voxgate@example.com>;tag=" + tag + "\n";
    text += "Call-ID: timer-call@198.51.100.7\n";
    text += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\n";
    text += "Contact: <sip:alice@198.51.100.7:5060>\n";
    text += std::string(extra);
    text += "\n";
    deliver(sip_message(text));
  }
  // Our 200's answer to `ours` (a request we sent), with `extra` headers.
  void answer(const Message& ours, std::string_view extra = {}, std::string_view body = {}) {
    MessageBuilder response = make_response(ours, 200);
    response.header(HeaderId::Contact, "<sip:alice@198.51.100.7:5060>");
    std::string_view rest = extra;
    while (!rest.empty()) {
      const auto line_end = rest.find('\n');
      const std::string_view line = rest.substr(0, line_end);
      const auto colon = line.find(':');
      response.header(line.substr(0, colon), line.substr(colon + 2));
      rest = line_end == std::string_view::npos ? std::string_view{} : rest.substr(line_end + 1);
    }
    if (!body.empty()) response.body("application/sdp", body);
    deliver(test::parse_ok(response.build().serialize()));
  }
  Message sent_request(Method method, std::size_t index = 0) const {
    return test::parse_ok(sent_requests(method).at(index).serialize());
  }
};

TEST_F(DialogSessionTimer, AnIntervalBelowOurMinSeGets422WithMinSeAndTheCallNeverReachesTheApplication) {
  invite("Supported: timer\nSession-Expires: 60\n");
  const auto refused = sent_responses(422);
  ASSERT_EQ(refused.size(), 1U);
  EXPECT_EQ(refused[0].get<HeaderId::MinSE>()->interval, 90U);
  EXPECT_TRUE(app_.events.empty());
  EXPECT_EQ(layer_.stats().session_interval_too_small, 1U);
}

TEST_F(DialogSessionTimer, The200CarriesTheAgreedIntervalTheRefresherAndRequireTimer) {
  invite("Supported: timer\nSession-Expires: 1800\n");
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 1U);
  auto se = oks[0].get<HeaderId::SessionExpires>();
  ASSERT_TRUE(se);
  EXPECT_EQ(se->interval, 1800U);
  EXPECT_EQ(se->refresher, Refresher::Uas);  // the choice was ours: we refresh
  EXPECT_TRUE(oks[0].has_option_tag(HeaderId::Require, "timer"));
}

TEST_F(DialogSessionTimer, AsRefresherWeSendUpdateAtHalfTheIntervalAndTheAnswerRestartsTheTimer) {
  const std::string tag = invite("Supported: timer\nAllow: INVITE, ACK, BYE, CANCEL, UPDATE\nSession-Expires: 1800\n");
  request("ACK", tag, 1);
  advance(seconds(899));
  EXPECT_TRUE(sent_requests(Method::Update).empty());
  advance(seconds(1));
  ASSERT_EQ(sent_requests(Method::Update).size(), 1U);
  const Message update = sent_request(Method::Update);
  auto se = update.get<HeaderId::SessionExpires>();
  ASSERT_TRUE(se);
  EXPECT_EQ(se->interval, 1800U);
  EXPECT_EQ(se->refresher, Refresher::Uac);  // in our request, "uac" is us
  EXPECT_TRUE(update.body().empty());
  answer(update, "Session-Expires: 1800;refresher=uac\nRequire: timer");
  advance(seconds(899));
  EXPECT_EQ(sent_requests(Method::Update).size(), 1U);
  advance(seconds(1));
  EXPECT_EQ(sent_requests(Method::Update).size(), 2U);
  EXPECT_EQ(layer_.stats().session_refreshes_sent, 2U);
  EXPECT_TRUE(sent_requests(Method::Bye).empty());
}

TEST_F(DialogSessionTimer, WithoutUpdateInTheirAllowWeRefreshWithAReInviteAndAcknowledgeIts200) {
  const std::string tag = invite("Supported: timer\nSession-Expires: 1800\n");
  request("ACK", tag, 1);
  advance(seconds(900));
  ASSERT_EQ(sent_requests(Method::Invite).size(), 1U);
  const Message reinvite = sent_request(Method::Invite);
  EXPECT_EQ(reinvite.get<HeaderId::SessionExpires>()->refresher, Refresher::Uac);
  EXPECT_NE(reinvite.body().find("m=audio 40000"), std::string_view::npos) << "our unchanged offer";
  std::string their_answer(kPeerOffer);
  their_answer.replace(their_answer.find("RTP/AVP 0 8 101"), 15, "RTP/AVP 0 101");
  answer(reinvite, "Session-Expires: 1800;refresher=uac", their_answer);
  EXPECT_EQ(sent_requests(Method::Ack).size(), 1U);
  advance(seconds(900));
  EXPECT_EQ(sent_requests(Method::Invite).size(), 2U);
}

// RFC 3261 §14.1: our refresh re-INVITE crossed the peer's and got 491; the
// peer placed the call (the Call-ID is its), so we wait 0-2 s, in 10-ms
// units, rather than the quarter interval of other failures.
TEST_F(DialogSessionTimer, ARefreshReInviteAnswered491IsRetriedAfterTheBackOffNotAtTheNextQuarter) {
  const std::string tag = invite("Supported: timer\nSession-Expires: 1800\n");
  request("ACK", tag, 1);
  advance(seconds(900));
  const auto first_sent = [this] {
    std::vector<const FakeTransport::Sent*> out;
    for (const FakeTransport::Sent* s : transport_.of_kind(FakeTransport::Kind::Request)) {
      if (test::parse_ok(s->bytes).method() == Method::Invite) out.push_back(s);
    }
    return out;
  };
  ASSERT_EQ(first_sent().size(), 1U);
  const Message reinvite = test::parse_ok(first_sent()[0]->bytes);
  deliver(test::parse_ok(make_response(reinvite, 491).build().serialize()));
  const Clock::TimePoint refused_at = clock_.now();
  advance(std::chrono::milliseconds(2000));
  ASSERT_EQ(first_sent().size(), 2U) << "within RFC 3261 §14.1's 0-2 s";
  const Clock::Duration waited = first_sent()[1]->at - refused_at;
  EXPECT_LE(waited, std::chrono::milliseconds(2000));
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count() % 10, 0);
  EXPECT_EQ(layer_.stats().glare_retries, 1U);
  const Message retry = test::parse_ok(first_sent()[1]->bytes);
  EXPECT_EQ(retry.cseq()->sequence, reinvite.cseq()->sequence + 1);
  EXPECT_EQ(retry.body(), reinvite.body()) << "the same unchanged offer";
  answer(retry, "Session-Expires: 1800;refresher=uac", kPeerOffer);
  const auto acks = sent_requests(Method::Ack);
  ASSERT_EQ(acks.size(), 2U) << "the 491's (its transaction's) and the 2xx's";
  EXPECT_EQ(acks[1].cseq()->sequence, retry.cseq()->sequence);
  EXPECT_TRUE(sent_requests(Method::Bye).empty());
  advance(seconds(899));
  EXPECT_EQ(first_sent().size(), 2U);
  advance(seconds(1));
  EXPECT_EQ(first_sent().size(), 3U) << "the next refresh at half the interval after the retry's 2xx";
}

TEST_F(DialogSessionTimer, APeerThatKeepsAnswering491GetsTheRetriesOfAnyOtherFailure) {
  const std::string tag = invite("Supported: timer\nSession-Expires: 1800\n");
  request("ACK", tag, 1);
  advance(seconds(900));
  const auto invites = [this] {
    std::vector<Message> out;
    for (const FakeTransport::Sent* s : transport_.of_kind(FakeTransport::Kind::Request)) {
      Message m = test::parse_ok(s->bytes);
      if (m.method() == Method::Invite) out.push_back(std::move(m));
    }
    return out;
  };
  for (std::uint32_t i = 0; i <= DialogLayer::kMaxGlareRetries; ++i) {
    ASSERT_EQ(invites().size(), i + 1);
    deliver(test::parse_ok(make_response(invites().back(), 491).build().serialize()));
    advance(std::chrono::milliseconds(2000));
  }
  EXPECT_EQ(invites().size(), DialogLayer::kMaxGlareRetries + 1) << "no sixth back-off";
  advance(seconds(222));
  EXPECT_EQ(invites().size(), DialogLayer::kMaxGlareRetries + 1);
  advance(seconds(1));
  EXPECT_EQ(invites().size(), DialogLayer::kMaxGlareRetries + 2) << "a quarter of the half-interval later";
}

TEST_F(DialogSessionTimer, WhenThePeerRefreshesAndDoesNotWeSendByeWithReason408AtSeMinus32s) {
  const std::string tag = invite("Supported: timer\nSession-Expires: 1800;refresher=uac\n");
  request("ACK", tag, 1);
  advance(seconds(1767));
  EXPECT_TRUE(sent_requests(Method::Bye).empty());
  advance(seconds(1));
  const auto byes = sent_requests(Method::Bye);
  ASSERT_EQ(byes.size(), 1U);
  EXPECT_EQ(*byes[0].first_value(HeaderId::Reason), "SIP;cause=408;text=\"Session Timer Expired\"");
  ASSERT_NE(app_.last(Kind::SessionExpired), nullptr);
  ASSERT_NE(app_.last(Kind::Ended), nullptr);
  EXPECT_EQ(app_.last(Kind::Ended)->reason, DialogEndReason::SessionExpired);
  EXPECT_EQ(layer_.stats().session_timer_expired, 1U);
}

TEST_F(DialogSessionTimer, EveryRefreshFromThePeerRestartsTheExpiry) {
  const std::string tag = invite("Supported: timer\nSession-Expires: 1800;refresher=uac\n");
  request("ACK", tag, 1);
  advance(seconds(900));
  request("UPDATE", tag, 2, "Supported: timer\nSession-Expires: 1800;refresher=uac\n");
  const auto oks = sent_responses(200);
  ASSERT_EQ(oks.size(), 2U);
  EXPECT_EQ(oks[1].get<HeaderId::SessionExpires>()->refresher, Refresher::Uac);
  advance(seconds(1767));
  EXPECT_TRUE(sent_requests(Method::Bye).empty()) << "1767 s after the refresh, not after the INVITE";
  advance(seconds(1));
  EXPECT_EQ(sent_requests(Method::Bye).size(), 1U);
}

TEST_F(DialogSessionTimer, ARefreshWithoutARefresherKeepsThePeerRefreshing) {
  const std::string tag = invite("Supported: timer\nSession-Expires: 1800;refresher=uac\n");
  request("ACK", tag, 1);
  request("UPDATE", tag, 2, "Supported: timer\nSession-Expires: 1800\n");
  EXPECT_EQ(sent_responses(200).at(1).get<HeaderId::SessionExpires>()->refresher, Refresher::Uac);
}

TEST_F(DialogSessionTimer, AnApplicationThatKeepsTheCallAtExpiryGetsNoBye) {
  app_.on_expiry = CallObserver::SessionExpiry::Keep;
  const std::string tag = invite("Supported: timer\nSession-Expires: 1800;refresher=uac\n");
  request("ACK", tag, 1);
  advance(seconds(4000));
  EXPECT_TRUE(sent_requests(Method::Bye).empty());
  EXPECT_NE(app_.last(Kind::SessionExpired), nullptr);
  EXPECT_EQ(app_.last(Kind::Ended), nullptr);
}

TEST_F(DialogSessionTimer, AnInviteWithoutSessionExpiresGetsOursAndWeRefresh) {
  const std::string tag = invite("");
  auto se = sent_responses(200).at(0).get<HeaderId::SessionExpires>();
  ASSERT_TRUE(se);
  EXPECT_EQ(se->interval, 1800U);
  EXPECT_EQ(se->refresher, Refresher::Uas);
  EXPECT_FALSE(sent_responses(200).at(0).has(HeaderId::Require)) << "the UAC did not say it supports timers";
}

}  // namespace
}  // namespace voxgate::sip::dialog_detail
