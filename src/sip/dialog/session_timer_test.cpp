#include "sip/dialog/session_timer.hpp"

#include <gtest/gtest.h>

namespace voxgate::sip {
namespace {

using DecisionKind = UasTimerDecision::Kind;
using std::chrono::milliseconds;
using std::chrono::seconds;

SessionExpires se(std::uint32_t interval, std::optional<Refresher> refresher = std::nullopt) {
  SessionExpires value;
  value.interval = interval;
  value.refresher = refresher;
  return value;
}

TimerRequest request(std::optional<SessionExpires> session_expires, bool supports_timer,
                     std::optional<std::uint32_t> min_se = std::nullopt) {
  return TimerRequest{std::move(session_expires), min_se, supports_timer};
}

TEST(SessionTimerUas, AnIntervalBelowOurMinSeGets422WithOurMinSeWhenTheUacSupportsTimers) {
  const auto d = decide_as_uas(request(se(60), true), SessionTimerSettings{1800, 90});
  EXPECT_EQ(d.kind, DecisionKind::TooSmall);
  EXPECT_EQ(d.min_se, 90U);
  EXPECT_FALSE(d.agreed());
}

TEST(SessionTimerUas, AnIntervalBelowOurMinSeIsRaisedWhenTheUacCannotRetry) {
  // RFC 4028 errata 1687: rejecting a UAC without timer support fails the call.
  const auto d = decide_as_uas(request(se(60), false), SessionTimerSettings{1800, 90});
  EXPECT_EQ(d.kind, DecisionKind::Accept);
  EXPECT_EQ(d.interval, 90U);
  EXPECT_EQ(d.refresher, Refresher::Uas);
  EXPECT_FALSE(d.require_timer);
}

TEST(SessionTimerUas, KeepsTheRequestedIntervalAndRefresherAndRequiresTimer) {
  const auto d = decide_as_uas(request(se(600, Refresher::Uac), true), SessionTimerSettings{1800, 90});
  EXPECT_EQ(d.kind, DecisionKind::Accept);
  EXPECT_EQ(d.interval, 600U);
  EXPECT_EQ(d.refresher, Refresher::Uac);
  EXPECT_TRUE(d.require_timer);
  EXPECT_EQ(d.agreed(), (AgreedTimer{600, false}));
}

TEST(SessionTimerUas, ReducesALongerIntervalToOursButNotBelowTheRequestsMinSe) {
  EXPECT_EQ(decide_as_uas(request(se(7200), true), SessionTimerSettings{1800, 90}).interval, 1800U);
  EXPECT_EQ(decide_as_uas(request(se(7200), true, 3600), SessionTimerSettings{1800, 90}).interval, 3600U);
}

TEST(SessionTimerUas, ChoosesTheRefresherWhenTheRequestLeavesItOpen) {
  const auto ours = decide_as_uas(request(se(600), true), SessionTimerSettings{1800, 90, true});
  EXPECT_EQ(ours.refresher, Refresher::Uas);
  EXPECT_EQ(ours.agreed(), (AgreedTimer{600, true}));
  const auto theirs = decide_as_uas(request(se(600), true), SessionTimerSettings{1800, 90, false});
  EXPECT_EQ(theirs.refresher, Refresher::Uac);
  EXPECT_TRUE(theirs.require_timer);  // the UAC must know it refreshes
}

TEST(SessionTimerUas, ARefreshWithoutARefresherKeepsTheEstablishedRole) {
  // We refreshed so far: the peer's re-INVITE/UPDATE leaves it open, we keep it.
  const auto kept = decide_as_uas(request(se(600), true), SessionTimerSettings{1800, 90, false}, true);
  EXPECT_EQ(kept.refresher, Refresher::Uas);
  const auto theirs = decide_as_uas(request(se(600), true), SessionTimerSettings{1800, 90, true}, false);
  EXPECT_EQ(theirs.refresher, Refresher::Uac);
}

TEST(SessionTimerUas, AUacWithoutTimerSupportNeverRefreshesNorSeesRequire) {
  const auto d = decide_as_uas(request(se(600, Refresher::Uac), false), SessionTimerSettings{1800, 90});
  EXPECT_EQ(d.refresher, Refresher::Uas);
  EXPECT_FALSE(d.require_timer);
}

TEST(SessionTimerUas, NoSessionExpiresGetsOurDefaultIntervalOrNoTimerWhenItIsZero) {
  const auto d = decide_as_uas(request(std::nullopt, false), SessionTimerSettings{1800, 90});
  EXPECT_EQ(d.kind, DecisionKind::Accept);
  EXPECT_EQ(d.interval, 1800U);
  EXPECT_EQ(d.refresher, Refresher::Uas);
  EXPECT_FALSE(d.require_timer);
  EXPECT_EQ(decide_as_uas(request(std::nullopt, true, 2000), SessionTimerSettings{1800, 90}).interval, 2000U);
  EXPECT_EQ(decide_as_uas(request(std::nullopt, true), SessionTimerSettings{0, 90}).kind, DecisionKind::NoTimer);
}

TEST(SessionTimerUac, AnInitialInviteAsksForOurIntervalAndLeavesTheRefresherToTheUas) {
  const auto headers = initial_request(SessionTimerSettings{1800, 90});
  ASSERT_TRUE(headers);
  EXPECT_EQ(headers->session_expires, 1800U);
  EXPECT_FALSE(headers->refresher);
  EXPECT_FALSE(headers->min_se);  // 90 is what a missing Min-SE means
  const auto low = initial_request(SessionTimerSettings{4, 2});
  ASSERT_TRUE(low);
  EXPECT_EQ(low->min_se, 2U);
  EXPECT_FALSE(initial_request(SessionTimerSettings{0, 90}));
}

TEST(SessionTimerUac, RetriesAfter422WithTheRaisedIntervalAndMinSeAndOnlyWhenThatProgresses) {
  const TimerRequestHeaders sent{60, std::nullopt, std::nullopt};
  const auto retry = retry_after_422(sent, 90);
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->session_expires, 90U);
  EXPECT_EQ(retry->min_se, 90U);
  EXPECT_FALSE(retry_after_422(*retry, 90));  // the same 422 again: stop
  EXPECT_FALSE(retry_after_422(sent, std::nullopt));
  EXPECT_FALSE(retry_after_422(sent, 30));
}

TEST(SessionTimerUac, The2xxDecidesIntervalAndRole) {
  EXPECT_EQ(agreed_as_uac(se(600, Refresher::Uac)), (AgreedTimer{600, true}));
  EXPECT_EQ(agreed_as_uac(se(600, Refresher::Uas)), (AgreedTimer{600, false}));
  EXPECT_EQ(agreed_as_uac(se(600)), (AgreedTimer{600, true}));  // nobody named: we refresh
  EXPECT_FALSE(agreed_as_uac(std::nullopt));                    // no Session-Expires: no timer
}

TEST(SessionTimerRefresh, NamesOurRoleAsThisTransactionsUacOrUas) {
  // We refresh, and we send the refresh: we are its UAC.
  EXPECT_EQ(refresh_request(AgreedTimer{600, true}, std::nullopt).refresher, Refresher::Uac);
  // The peer refreshes; a request we send anyway (a hold) says the peer, its UAS.
  EXPECT_EQ(refresh_request(AgreedTimer{600, false}, 120).refresher, Refresher::Uas);
  EXPECT_EQ(refresh_request(AgreedTimer{600, false}, 120).min_se, 120U);
  EXPECT_EQ(refresh_request(AgreedTimer{600, false}, 120).session_expires, 600U);
}

TEST(SessionTimerDelays, RefreshAtHalfAndGiveUpAtSeMinusTheSmallerOf32sAndAThird) {
  EXPECT_EQ(refresh_delay(1800), seconds(900));
  EXPECT_EQ(refresh_delay(91), milliseconds(45'500));
  EXPECT_EQ(expiry_delay(1800), seconds(1768));
  EXPECT_EQ(expiry_delay(90), seconds(60));
  EXPECT_EQ(expiry_delay(3), seconds(2));
  // Half the interval always comes before the other side gives up.
  for (std::uint32_t interval = 1; interval <= 4000; ++interval) {
    EXPECT_LT(refresh_delay(interval), expiry_delay(interval)) << interval;
  }
}

}  // namespace
}  // namespace voxgate::sip
