#include "bot/agent/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

using namespace std::chrono_literals;

CircuitBreakerConfig config(int threshold = 3, std::chrono::milliseconds open_for = 1000ms) {
  CircuitBreakerConfig out;
  out.failure_threshold = threshold;
  out.open_for = open_for;
  return out;
}

// `n` turns that were let through and failed.
void fail_turns(CircuitBreaker& breaker, int n) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(breaker.allow());
    breaker.record_failure();
  }
}

TEST(CircuitBreaker, ClosedLetsEveryRequestThrough) {
  ManualClock clock;
  CircuitBreaker breaker(config(), clock);
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
  EXPECT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, OpensAfterTheThresholdOfConsecutiveFailedTurnsAndRefuses) {
  ManualClock clock;
  CircuitBreaker breaker(config(3), clock);
  fail_turns(breaker, 2);
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
  fail_turns(breaker, 1);
  EXPECT_EQ(breaker.state(), BreakerState::Open);
  EXPECT_FALSE(breaker.allow());
  EXPECT_EQ(breaker.consecutive_failures(), 3);
  EXPECT_EQ(breaker.refusal(), "circuit open after 3 failed turns (the next trial in 1000 ms)");
}

TEST(CircuitBreaker, ASuccessResetsTheCountOfFailures) {
  ManualClock clock;
  CircuitBreaker breaker(config(3), clock);
  fail_turns(breaker, 2);
  ASSERT_TRUE(breaker.allow());
  breaker.record_success();
  fail_turns(breaker, 2);
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
  EXPECT_EQ(breaker.consecutive_failures(), 2);
}

TEST(CircuitBreaker, StaysOpenForItsTimeThenLetsExactlyOneTrialThrough) {
  ManualClock clock;
  CircuitBreaker breaker(config(1, 1000ms), clock);
  fail_turns(breaker, 1);
  clock.advance(999ms);
  EXPECT_FALSE(breaker.allow());
  clock.advance(1ms);
  EXPECT_EQ(breaker.state(), BreakerState::HalfOpen);
  EXPECT_TRUE(breaker.allow()) << "the trial";
  EXPECT_FALSE(breaker.allow()) << "a second request while the trial is out";
  EXPECT_EQ(breaker.refusal(), "circuit half-open after 1 failed turns: the trial request is under way");
}

TEST(CircuitBreaker, ASuccessfulTrialClosesIt) {
  ManualClock clock;
  CircuitBreaker breaker(config(2, 500ms), clock);
  fail_turns(breaker, 2);
  clock.advance(500ms);
  ASSERT_TRUE(breaker.allow());
  breaker.record_success();
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
  EXPECT_EQ(breaker.consecutive_failures(), 0);
  EXPECT_TRUE(breaker.allow());
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, AFailedTrialReopensItForAnotherPeriod) {
  ManualClock clock;
  CircuitBreaker breaker(config(2, 500ms), clock);
  fail_turns(breaker, 2);
  clock.advance(600ms);
  ASSERT_TRUE(breaker.allow());
  clock.advance(100ms);
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), BreakerState::Open);
  clock.advance(499ms);
  EXPECT_FALSE(breaker.allow());
  clock.advance(1ms);
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, AnAbandonedTrialLetsTheNextRequestTry) {
  ManualClock clock;
  CircuitBreaker breaker(config(1, 100ms), clock);
  fail_turns(breaker, 1);
  clock.advance(100ms);
  ASSERT_TRUE(breaker.allow());
  breaker.record_abandoned();
  EXPECT_EQ(breaker.state(), BreakerState::HalfOpen);
  EXPECT_TRUE(breaker.allow());
}

TEST(CircuitBreaker, ALateSuccessWhileOpenClosesItAndALateFailureDoesNotExtendIt) {
  ManualClock clock;
  CircuitBreaker breaker(config(1, 1000ms), clock);
  ASSERT_TRUE(breaker.allow());  // a turn under way when another one opens the breaker
  fail_turns(breaker, 1);
  clock.advance(900ms);
  breaker.record_failure();
  clock.advance(100ms);
  EXPECT_EQ(breaker.state(), BreakerState::HalfOpen) << "the open period counts from the opening";
  CircuitBreaker other(config(1, 1000ms), clock);
  ASSERT_TRUE(other.allow());
  fail_turns(other, 1);
  other.record_success();
  EXPECT_EQ(other.state(), BreakerState::Closed);
}

TEST(CircuitBreaker, AThresholdOfZeroNeverOpens) {
  ManualClock clock;
  CircuitBreaker breaker(config(0), clock);
  fail_turns(breaker, 50);
  EXPECT_EQ(breaker.state(), BreakerState::Closed);
}

}  // namespace
}  // namespace voxgate::bot
