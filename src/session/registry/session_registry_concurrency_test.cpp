// Writers, readers and a subscriber on several threads at once (run under
// TSan too): the counters add up afterwards, and the subscriber heard every
// change exactly once, in each session's order.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "session/registry/in_memory_session_registry.hpp"

namespace voxgate::session {
namespace {

using S = SessionState;
using C = TransitionCause;

constexpr int kWriters = 4;
constexpr int kSessionsPerWriter = 10'000;

// Wakes by notifying a condition variable, as a loop's post would.
struct Waker {
  std::mutex mutex;
  std::condition_variable cv;
  bool woken = false;
  void wake() {
    {
      const std::scoped_lock lock(mutex);
      woken = true;
    }
    cv.notify_one();
  }
  void wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, timeout, [&] { return woken; });
    woken = false;
  }
};

// One session's life: created, rings, answered, tagged by its writer, half
// of them held, ended.
void live_one(SessionRegistry& registry, int writer, int n) {
  NewSession fields;
  fields.call_id = std::to_string(writer) + "-" + std::to_string(n);
  fields.remote = Party{"sip:caller" + std::to_string(n) + "@example.com", ""};
  fields.metadata = {{"writer", std::to_string(writer)}};
  const auto created = registry.create(fields);
  ASSERT_TRUE(created);
  const SessionId id = created->id;
  ASSERT_TRUE(registry.update_state(id, S::Ringing, C::ProvisionalSent));
  ASSERT_TRUE(registry.update_state(id, S::Connected, C::Answered));
  ASSERT_TRUE(registry.set_metadata(id, "parity", n % 2 == 0 ? "even" : "odd"));
  if (n % 2 == 0) {
    ASSERT_TRUE(registry.update_state(id, S::OnHold, C::HoldLocal));
  }
  if (n % 3 != 0) {  // a third stay active
    ASSERT_TRUE(registry.end(id, EndInfo{}));
  }
}

TEST(SessionRegistryConcurrency, WritersReadersAndSubscriberAgree) {
  ManualClock clock;
  InMemoryRegistryConfig config;
  config.subscriber_queue_capacity = 1'000'000;  // this test checks completeness, not overflow
  const auto made = InMemorySessionRegistry::create(clock, config);
  ASSERT_TRUE(made);
  SessionRegistry& registry = **made;

  Waker waker;
  SessionFilter writer0;
  writer0.metadata = {{"writer", "0"}};
  auto all = registry.subscribe({}, [&] { waker.wake(); });
  auto filtered = registry.subscribe(writer0, [] {});
  ASSERT_TRUE(all && filtered);

  std::atomic<int> writers_done{0};
  // The subscriber thread: per session, the versions it saw.
  std::map<std::uint64_t, std::vector<std::uint64_t>> versions;
  std::uint64_t overflows = 0;
  std::thread subscriber([&] {
    for (;;) {
      const bool last_round = writers_done.load() == kWriters;
      for (auto events = (*all)->poll(); !events.empty(); events = (*all)->poll()) {
        for (const auto& event : events) {
          if (event.kind == SessionEventKind::Overflow) ++overflows;
          versions[event.record.id.value()].push_back(event.record.version);
        }
      }
      if (last_round) return;
      waker.wait(std::chrono::milliseconds(5));
    }
  });

  std::atomic<bool> stop_readers{false};
  std::atomic<std::uint64_t> reads{0};
  std::vector<std::thread> readers;
  readers.reserve(2);
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      while (!stop_readers.load()) {
        SessionFilter filter;
        if (r == 0) filter.states = {S::OnHold};
        if (r == 1) filter.metadata = {{"parity", "odd"}};
        const auto page = registry.list(filter);
        ASSERT_TRUE(page);
        for (const auto& record : page->records) {
          ASSERT_TRUE(filter.matches(record));
          const auto again = registry.get(record.id);
          ASSERT_TRUE(again);
          ASSERT_GE(again->version, record.version);
        }
        reads.fetch_add(1);
      }
    });
  }

  std::vector<std::thread> writers;
  writers.reserve(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int n = 0; n < kSessionsPerWriter; ++n) live_one(registry, w, n);
      writers_done.fetch_add(1);
      waker.wake();
    });
  }
  for (auto& thread : writers) thread.join();
  stop_readers = true;
  for (auto& thread : readers) thread.join();
  subscriber.join();

  constexpr std::uint64_t kTotal = std::uint64_t{kWriters} * kSessionsPerWriter;
  const RegistryCounts counts = registry.counts();
  EXPECT_EQ(counts.created, kTotal);
  EXPECT_EQ(counts.created, counts.active + counts.ended);
  EXPECT_EQ(counts.ended, counts.retained + counts.removed);
  EXPECT_EQ(counts.active, std::uint64_t{kWriters} * ((kSessionsPerWriter + 2) / 3));
  EXPECT_GT(reads.load(), 0U);

  // Every change exactly once, in order: versions 1..final for each session.
  EXPECT_EQ(overflows, 0U);
  ASSERT_EQ(versions.size(), kTotal);
  for (const auto& [id, seen] : versions) {
    const auto record = registry.get(SessionId(id));
    ASSERT_TRUE(record);
    ASSERT_EQ(seen.size(), record->version) << "session " << id;
    for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i + 1) << "session " << id;
  }

  // The filtered subscriber heard writer 0's sessions and nothing else.
  std::map<std::uint64_t, std::uint64_t> filtered_events;
  for (const auto& event : (*filtered)->poll()) {
    ASSERT_EQ(event.record.metadata.at("writer"), "0");
    ++filtered_events[event.record.id.value()];
  }
  EXPECT_EQ(filtered_events.size(), static_cast<std::size_t>(kSessionsPerWriter));
  for (const auto& [id, count] : filtered_events) ASSERT_EQ(count, registry.get(SessionId(id))->version);
}

}  // namespace
}  // namespace voxgate::session
