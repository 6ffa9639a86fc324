// The registry's change feed: what a filtered subscriber hears, in what
// order, when it is woken, and what happens when it falls behind.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "session/registry/in_memory_session_registry.hpp"

namespace voxgate::session {
namespace {

using std::chrono::seconds;
using S = SessionState;
using C = TransitionCause;
using K = SessionEventKind;

NewSession session_for(const std::string& tenant) {
  NewSession fields;
  fields.call_id = "call-" + tenant;
  fields.remote = Party{"sip:caller@example.com", ""};
  fields.metadata = {{"tenant", tenant}};
  return fields;
}

struct Seen {
  K kind;
  std::uint64_t id;
  std::uint64_t version;
  friend bool operator==(const Seen&, const Seen&) = default;
};

std::vector<Seen> seen(const std::vector<SessionEvent>& events) {
  std::vector<Seen> out;
  out.reserve(events.size());
  for (const auto& event : events) out.push_back({event.kind, event.record.id.value(), event.record.version});
  return out;
}

class ChangeFeedTest : public ::testing::Test {
 protected:
  std::unique_ptr<InMemorySessionRegistry> make(InMemoryRegistryConfig config = {}) {
    auto registry = InMemorySessionRegistry::create(clock_, config);
    EXPECT_TRUE(registry);
    return std::move(*registry);
  }
  std::unique_ptr<Subscription> subscribe(SessionRegistry& registry, SessionFilter filter) {
    auto subscription = registry.subscribe(std::move(filter), [this] { ++wakes_; });
    EXPECT_TRUE(subscription);
    return std::move(*subscription);
  }

  ManualClock clock_;
  int wakes_ = 0;
};

TEST_F(ChangeFeedTest, FilteredSubscriberSeesExactlyTheMatchingEventsInOrder) {
  const auto registry = make();
  SessionFilter acme;
  acme.metadata = {{"tenant", "acme"}};
  const auto subscription = subscribe(*registry, acme);

  const SessionId a = registry->create(session_for("acme"))->id;
  const SessionId other = registry->create(session_for("other"))->id;
  ASSERT_TRUE(registry->update_state(a, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry->update_state(other, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry->update_state(a, S::Connected, C::Answered));
  ASSERT_TRUE(registry->set_metadata(a, "queue", "sales"));
  ASSERT_TRUE(registry->end(other, EndInfo{}));
  ASSERT_TRUE(registry->end(a, EndInfo{EndedBy::Remote, 0, "", C::HangupRemote}));

  const auto events = subscription->poll();
  EXPECT_EQ(seen(events), (std::vector<Seen>{{K::Created, a.value(), 1},
                                             {K::Updated, a.value(), 2},
                                             {K::Updated, a.value(), 3},
                                             {K::Updated, a.value(), 4},
                                             {K::Ended, a.value(), 5}}));
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1].sequence, events[i].sequence);
  EXPECT_EQ(events.back().record.end_info->by, EndedBy::Remote);
  EXPECT_TRUE(subscription->poll().empty());
}

// Decision (session_registry.hpp): an update is delivered when the session
// matched before or after it, so a subscriber learns both that a session
// entered its view (an Updated, since the Created went unseen) and that it
// left it (an Updated whose record no longer matches).
TEST_F(ChangeFeedTest, SessionEnteringOrLeavingTheFilterYieldsOneUpdate) {
  const auto registry = make();
  SessionFilter connected;
  connected.states = {S::Connected};
  const auto subscription = subscribe(*registry, connected);

  const SessionId id = registry->create(session_for("acme"))->id;
  ASSERT_TRUE(registry->update_state(id, S::Ringing, C::ProvisionalSent));
  EXPECT_TRUE(subscription->poll().empty());

  ASSERT_TRUE(registry->update_state(id, S::Connected, C::Answered));  // enters
  ASSERT_TRUE(registry->set_metadata(id, "k", "v"));                   // stays
  ASSERT_TRUE(registry->update_state(id, S::OnHold, C::HoldRemote));   // leaves
  ASSERT_TRUE(registry->set_metadata(id, "k", "w"));                   // outside
  const auto events = subscription->poll();
  EXPECT_EQ(seen(events),
            (std::vector<Seen>{{K::Updated, id.value(), 3}, {K::Updated, id.value(), 4}, {K::Updated, id.value(), 5}}));
  EXPECT_TRUE(connected.matches(events[1].record));
  EXPECT_FALSE(connected.matches(events[2].record));
}

TEST_F(ChangeFeedTest, RemovalAfterRetentionIsAnEvent) {
  InMemoryRegistryConfig config;
  config.retention = seconds(5);
  const auto registry = make(config);
  const auto subscription = subscribe(*registry, {});
  const SessionId id = registry->create(session_for("acme"))->id;
  ASSERT_TRUE(registry->end(id, EndInfo{}));
  clock_.advance(seconds(5));
  ASSERT_EQ(registry->expire(), 1U);
  const auto events = subscription->poll();
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[2].kind, K::Removed);
  EXPECT_EQ(events[2].record.id, id);
  EXPECT_GT(events[2].sequence, events[1].sequence);
}

TEST_F(ChangeFeedTest, WakeComesOnceUntilThePollEmptiesTheQueue) {
  const auto registry = make();
  const auto subscription = subscribe(*registry, {});
  const SessionId id = registry->create(session_for("a"))->id;
  ASSERT_TRUE(registry->set_metadata(id, "k", "1"));
  EXPECT_EQ(wakes_, 1);
  EXPECT_EQ(subscription->poll(1).size(), 1U);  // one left
  ASSERT_TRUE(registry->set_metadata(id, "k", "2"));
  EXPECT_EQ(wakes_, 1);
  EXPECT_EQ(subscription->poll().size(), 2U);
  ASSERT_TRUE(registry->set_metadata(id, "k", "3"));
  EXPECT_EQ(wakes_, 2);
}

TEST_F(ChangeFeedTest, RefusedChangesAreNotEvents) {
  const auto registry = make();
  const auto subscription = subscribe(*registry, {});
  const SessionId id = registry->create(session_for("a"))->id;
  ASSERT_FALSE(registry->update_state(id, S::OnHold, C::HoldLocal));
  EXPECT_EQ(subscription->poll().size(), 1U);  // the Created only
}

TEST_F(ChangeFeedTest, SlowSubscriberGetsOneOverflowThenTheNewerEvents) {
  InMemoryRegistryConfig config;
  config.subscriber_queue_capacity = 4;
  const auto registry = make(config);
  const auto subscription = subscribe(*registry, {});
  const SessionId id = registry->create(session_for("a"))->id;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(registry->set_metadata(id, "k", std::to_string(i)));

  // 11 events into a queue of 4: it overflowed at the 5th and the 9th; the
  // queue holds the marker and what came after the last overflow.
  const auto events = subscription->poll();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().kind, K::Overflow);
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const auto& e) { return e.kind == K::Overflow; }), 1);
  EXPECT_EQ(events.front().sequence, events[1].sequence);
  EXPECT_EQ(events.back().record.version, 11U);
  for (std::size_t i = 2; i < events.size(); ++i) EXPECT_EQ(events[i].record.version, events[i - 1].record.version + 1);

  // After draining, the subscriber is in step again.
  ASSERT_TRUE(registry->set_metadata(id, "k", "x"));
  EXPECT_EQ(seen(subscription->poll()), (std::vector<Seen>{{K::Updated, id.value(), 12}}));
}

TEST_F(ChangeFeedTest, DestroyedSubscriptionHearsNothingMore) {
  const auto registry = make();
  auto subscription = subscribe(*registry, {});
  (void)registry->create(session_for("a"));
  EXPECT_EQ(wakes_, 1);
  subscription.reset();
  (void)registry->create(session_for("b"));
  EXPECT_EQ(wakes_, 1);
}

TEST_F(ChangeFeedTest, EachSubscriberHasItsOwnQueue) {
  const auto registry = make();
  SessionFilter acme;
  acme.metadata = {{"tenant", "acme"}};
  const auto all = subscribe(*registry, {});
  const auto only_acme = subscribe(*registry, acme);
  (void)registry->create(session_for("acme"));
  (void)registry->create(session_for("other"));
  EXPECT_EQ(all->poll().size(), 2U);
  EXPECT_EQ(only_acme->poll().size(), 1U);
}

}  // namespace
}  // namespace voxgate::session
