#include "session/registry/in_memory_session_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace voxgate::session {
namespace {

using std::chrono::seconds;
using S = SessionState;
using C = TransitionCause;

NewSession inbound(const std::string& caller, Metadata metadata = {}) {
  NewSession fields;
  fields.call_id = caller + "-call@host";
  fields.local_tag = "ours";
  fields.direction = Direction::Inbound;
  fields.local = Party{"sip:gateway@voxgate.example", ""};
  fields.remote = Party{"sip:" + caller + "@example.com", caller};
  fields.metadata = std::move(metadata);
  return fields;
}

class RegistryTest : public ::testing::Test {
 protected:
  std::unique_ptr<InMemorySessionRegistry> make(InMemoryRegistryConfig config = {}) {
    auto registry = InMemorySessionRegistry::create(clock_, config);
    EXPECT_TRUE(registry);
    return std::move(*registry);
  }

  ManualClock clock_;
  std::unique_ptr<InMemorySessionRegistry> registry_ = make();
};

std::vector<std::uint64_t> ids_of(const SessionPage& page) {
  std::vector<std::uint64_t> ids;
  for (const auto& record : page.records) ids.push_back(record.id.value());
  return ids;
}

TEST_F(RegistryTest, CreateAssignsIncreasingIdsAndFillsTheRecord) {
  const auto first = registry_->create(inbound("alice", {{"tenant", "acme"}}));
  const auto second = registry_->create(inbound("bob"));
  ASSERT_TRUE(first && second);
  EXPECT_LT(first->id, second->id);
  EXPECT_EQ(first->call_id, "alice-call@host");
  EXPECT_EQ(first->remote.display_name, "alice");
  EXPECT_EQ(first->state, S::Initializing);
  EXPECT_EQ(first->media_state, MediaState::None);
  EXPECT_EQ(first->created, clock_.wall_now());
  EXPECT_FALSE(first->answered || first->ended || first->end_info);
  EXPECT_EQ(first->version, 1U);
  EXPECT_EQ(first->metadata.at("tenant"), "acme");
  EXPECT_EQ(*registry_->get(first->id), *first);
}

TEST_F(RegistryTest, CreateRefusesAnEmptyCallIdAndBadMetadata) {
  EXPECT_EQ(registry_->create(NewSession{}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(registry_->create(inbound("a", {{"", "x"}})).error().code, Errc::InvalidArgument);
  EXPECT_EQ(registry_->counts().created, 0U);
}

TEST_F(RegistryTest, InvalidConfigurationIsRefused) {
  InMemoryRegistryConfig config;
  config.shards = 0;
  EXPECT_EQ(InMemorySessionRegistry::create(clock_, config).error().code, Errc::InvalidArgument);
}

TEST_F(RegistryTest, GetOfAnUnknownIdIsNotFound) {
  EXPECT_EQ(registry_->get(SessionId(42)).error().code, Errc::NotFound);
  EXPECT_EQ(registry_->update_state(SessionId(42), S::Ringing, C::InviteReceived).error().code, Errc::NotFound);
}

TEST_F(RegistryTest, UpdateStateFollowsTheTableAndSetsAnsweredOnce) {
  const SessionId id = registry_->create(inbound("alice"))->id;
  ASSERT_TRUE(registry_->update_state(id, S::Ringing, C::ProvisionalSent));
  clock_.advance(seconds(3));
  const auto connected = registry_->update_state(id, S::Connected, C::Answered);
  ASSERT_TRUE(connected);
  EXPECT_EQ(connected->state, S::Connected);
  EXPECT_EQ(connected->last_cause, C::Answered);
  EXPECT_EQ(connected->answered, clock_.wall_now());
  EXPECT_EQ(connected->version, 3U);
  clock_.advance(seconds(3));
  ASSERT_TRUE(registry_->update_state(id, S::OnHold, C::HoldLocal));
  const auto resumed = registry_->update_state(id, S::Connected, C::ResumeLocal);
  EXPECT_EQ(resumed->answered, connected->answered);
}

TEST_F(RegistryTest, RefusedTransitionNamesBothStatesAndChangesNothing) {
  const SessionId id = registry_->create(inbound("alice"))->id;
  const auto refused = registry_->update_state(id, S::OnHold, C::HoldLocal);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::InvalidState);
  EXPECT_NE(refused.error().message.find("Initializing"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("OnHold"), std::string::npos) << refused.error().message;
  EXPECT_EQ(registry_->get(id)->version, 1U);
  EXPECT_EQ(registry_->get(id)->state, S::Initializing);

  const auto media = registry_->update_media_state(id, MediaState::Active, C::AnswerApplied);
  ASSERT_FALSE(media);
  EXPECT_NE(media.error().message.find("None"), std::string::npos);
  EXPECT_NE(media.error().message.find("Active"), std::string::npos);
}

TEST_F(RegistryTest, TerminatedIsReachedThroughEndOnly) {
  const SessionId id = registry_->create(inbound("alice"))->id;
  EXPECT_EQ(registry_->update_state(id, S::Terminated, C::HangupLocal).error().code, Errc::InvalidArgument);
}

TEST_F(RegistryTest, EndRecordsWhoWhyAndWhenAndStopsTheMedia) {
  const SessionId id = registry_->create(inbound("alice"))->id;
  ASSERT_TRUE(registry_->update_state(id, S::Connected, C::Answered));
  ASSERT_TRUE(registry_->update_media_state(id, MediaState::Negotiating, C::OfferReceived));
  ASSERT_TRUE(registry_->update_media_state(id, MediaState::Active, C::AnswerApplied));
  clock_.advance(seconds(60));
  const EndInfo info{EndedBy::Remote, 0, "Q.850;cause=16", C::HangupRemote};
  const auto ended = registry_->end(id, info);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->state, S::Terminated);
  EXPECT_EQ(ended->media_state, MediaState::None);
  EXPECT_EQ(ended->end_info, info);
  EXPECT_EQ(ended->ended, clock_.wall_now());

  const auto again = registry_->end(id, info);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::InvalidState);
  EXPECT_NE(again.error().message.find("Terminated to Terminated"), std::string::npos);
}

TEST_F(RegistryTest, MediaSummaryAndRemoteTagAreUpdates) {
  const SessionId id = registry_->create(inbound("alice"))->id;
  const auto with_media = registry_->set_media(id, MediaSummary{"PCMU/8000", "192.0.2.1:4000"});
  ASSERT_TRUE(with_media);
  EXPECT_EQ(with_media->media->codec, "PCMU/8000");
  const auto tagged = registry_->set_remote_tag(id, "theirs");
  EXPECT_EQ(tagged->remote_tag, "theirs");
  EXPECT_EQ(tagged->version, 3U);
}

TEST_F(RegistryTest, MetadataIsSetReplacedAndRemoved) {
  const SessionId id = registry_->create(inbound("alice"))->id;
  ASSERT_TRUE(registry_->set_metadata(id, "tenant", "acme"));
  ASSERT_TRUE(registry_->set_metadata(id, "queue", "sales"));
  const auto replaced = registry_->set_metadata(id, "queue", "support");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->metadata, (Metadata{{"tenant", "acme"}, {"queue", "support"}}));
  const auto removed = registry_->remove_metadata(id, "tenant");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->metadata, (Metadata{{"queue", "support"}}));
  EXPECT_EQ(removed->version, 5U);
  EXPECT_EQ(registry_->remove_metadata(id, "tenant").error().code, Errc::NotFound);
  EXPECT_EQ(registry_->set_metadata(id, "", "x").error().code, Errc::InvalidArgument);
  EXPECT_EQ(registry_->set_metadata(id, std::string("a\0b", 3), "x").error().code, Errc::InvalidArgument);
}

TEST_F(RegistryTest, MetadataKeysPerSessionAreLimited) {
  InMemoryRegistryConfig config;
  config.max_metadata_keys = 2;
  const auto registry = make(config);
  const SessionId id = registry->create(inbound("alice", {{"a", "1"}, {"b", "2"}}))->id;
  EXPECT_EQ(registry->set_metadata(id, "c", "3").error().code, Errc::LimitExceeded);
  EXPECT_TRUE(registry->set_metadata(id, "b", "3"));  // replacing is not adding
  EXPECT_EQ(registry->create(inbound("bob", {{"a", "1"}, {"b", "2"}, {"c", "3"}})).error().code, Errc::LimitExceeded);
}

// A population where every criterion selects a different subset: ids
// 1..60; inbound when odd; Connected when divisible by 3; tenant acme when
// divisible by 4; caller "alice" when divisible by 5; created one second
// apart.
class ListTest : public RegistryTest {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 60; ++i) {
      NewSession fields = inbound(i % 5 == 0 ? "alice" : "caller" + std::to_string(i));
      fields.direction = i % 2 == 1 ? Direction::Inbound : Direction::Outbound;
      if (i % 4 == 0) fields.metadata["tenant"] = "acme";
      const SessionId id = registry_->create(fields)->id;
      if (i % 3 == 0) {
        ASSERT_TRUE(registry_->update_state(id, S::Connected, C::Answered));
      }
      clock_.advance(seconds(1));
    }
  }

  std::vector<std::uint64_t> expected(bool (*keep)(std::uint64_t)) const {
    std::vector<std::uint64_t> ids;
    for (std::uint64_t i = 1; i <= 60; ++i) {
      if (keep(i)) ids.push_back(i);
    }
    return ids;
  }

  std::vector<std::uint64_t> list_ids(SessionFilter filter) const {
    filter.limit = SessionFilter::kMaxLimit;
    const auto page = registry_->list(filter);
    EXPECT_TRUE(page);
    return ids_of(*page);
  }
};

TEST_F(ListTest, WithoutCriteriaListsEverySessionInIdOrder) {
  EXPECT_EQ(list_ids({}), expected([](std::uint64_t) { return true; }));
}

TEST_F(ListTest, ByState) {
  SessionFilter filter;
  filter.states = {S::Connected};
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i % 3 == 0; }));
  filter.states = {S::Connected, S::Initializing};
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t) { return true; }));
  filter.states = {S::OnHold};
  EXPECT_TRUE(list_ids(filter).empty());
}

TEST_F(ListTest, ByDirection) {
  SessionFilter filter;
  filter.direction = Direction::Outbound;
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i % 2 == 0; }));
}

TEST_F(ListTest, ByParty) {
  SessionFilter filter;
  filter.party = "sip:alice@";
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i % 5 == 0; }));
}

TEST_F(ListTest, ByMetadata) {
  SessionFilter filter;
  filter.metadata = {{"tenant", "acme"}};
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i % 4 == 0; }));
  filter.metadata = {{"tenant", "other"}};
  EXPECT_TRUE(list_ids(filter).empty());
}

TEST_F(ListTest, MetadataIndexFollowsChanges) {
  ASSERT_TRUE(registry_->remove_metadata(SessionId(4), "tenant"));
  ASSERT_TRUE(registry_->set_metadata(SessionId(8), "tenant", "other"));
  ASSERT_TRUE(registry_->set_metadata(SessionId(1), "tenant", "acme"));
  SessionFilter filter;
  filter.metadata = {{"tenant", "acme"}};
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i == 1 || (i % 4 == 0 && i != 4 && i != 8); }));
}

TEST_F(ListTest, ByCreationTime) {
  const Clock::WallTime start = registry_->get(SessionId(1))->created;
  SessionFilter filter;
  filter.created_after = start + seconds(9);    // ids 11..
  filter.created_before = start + seconds(20);  // ..20
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i >= 11 && i <= 20; }));
}

TEST_F(ListTest, CombinedCriteriaMustAllHold) {
  SessionFilter filter;
  filter.states = {S::Connected};
  filter.direction = Direction::Outbound;
  filter.metadata = {{"tenant", "acme"}};
  filter.party = "example.com";
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i % 12 == 0; }));
  filter.party = "alice";
  EXPECT_EQ(list_ids(filter), expected([](std::uint64_t i) { return i % 60 == 0; }));
}

TEST_F(ListTest, LimitAndCursorPageThroughWithoutDuplicatesOrGaps) {
  SessionFilter filter;
  filter.states = {S::Initializing};
  filter.limit = 7;
  std::vector<std::uint64_t> seen;
  int pages = 0;
  for (;;) {
    const auto page = registry_->list(filter);
    ASSERT_TRUE(page);
    ASSERT_LE(page->records.size(), 7U);
    for (const auto id : ids_of(*page)) seen.push_back(id);
    ++pages;
    if (!page->next_cursor) break;
    filter.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, expected([](std::uint64_t i) { return i % 3 != 0; }));
  EXPECT_EQ(pages, 6);  // 40 records: five full pages and one of five
}

TEST_F(RegistryTest, PagingWhileSessionsAreCreatedMissesNoneThatExistedBefore) {
  InMemoryRegistryConfig config;
  config.shards = 4;
  const auto registry = make(config);
  constexpr std::uint64_t kBefore = 2000;
  for (std::uint64_t i = 0; i < kBefore; ++i) {
    ASSERT_TRUE(registry->create(inbound("c" + std::to_string(i))));
  }

  std::atomic<bool> stop{false};
  std::thread creator([&] {
    int n = 0;
    while (!stop.load()) (void)registry->create(inbound("late" + std::to_string(n++)));
  });
  SessionFilter filter;
  filter.limit = 33;
  std::vector<std::uint64_t> seen;
  for (;;) {
    const auto page = registry->list(filter);
    ASSERT_TRUE(page);
    for (const auto id : ids_of(*page)) seen.push_back(id);
    if (!page->next_cursor || seen.size() > 20 * kBefore) break;
    filter.cursor = page->next_cursor;
  }
  stop = true;
  creator.join();

  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::uint64_t>(seen.begin(), seen.end()).size(), seen.size()) << "duplicates";
  ASSERT_GE(seen.size(), kBefore);
  for (std::uint64_t i = 0; i < kBefore; ++i) ASSERT_EQ(seen[i], i + 1) << "gap";
}

TEST_F(RegistryTest, ListRefusesAnInvalidLimit) {
  SessionFilter filter;
  filter.limit = 0;
  EXPECT_EQ(registry_->list(filter).error().code, Errc::InvalidArgument);
}

// Counts with `initializing` sessions in Initializing and `terminated` in Terminated.
RegistryCounts counts_of(RegistryCounts counts, std::uint64_t initializing, std::uint64_t terminated) {
  counts.by_state[static_cast<std::size_t>(S::Initializing)] = initializing;
  counts.by_state[static_cast<std::size_t>(S::Terminated)] = terminated;
  return counts;
}

TEST_F(RegistryTest, RetentionKeepsEndedSessionsThenRemovesThem) {
  InMemoryRegistryConfig config;
  config.retention = seconds(30);
  const auto registry = make(config);
  const SessionId first = registry->create(inbound("a"))->id;
  const SessionId second = registry->create(inbound("b"))->id;
  const SessionId live = registry->create(inbound("c"))->id;
  ASSERT_TRUE(registry->end(first, EndInfo{EndedBy::Local, 486, "busy", C::Rejected}));
  clock_.advance(seconds(10));
  ASSERT_TRUE(registry->end(second, EndInfo{}));

  clock_.advance(seconds(19));  // first ended 29 s ago
  EXPECT_EQ(registry->expire(), 0U);
  EXPECT_TRUE(registry->get(first));
  SessionFilter terminated;
  terminated.states = {S::Terminated};
  EXPECT_EQ(registry->list(terminated)->records.size(), 2U);
  EXPECT_EQ(registry->counts(), counts_of({3, 1, 2, 2, 0}, 1, 2));

  clock_.advance(seconds(1));
  EXPECT_EQ(registry->expire(), 1U);
  EXPECT_EQ(registry->get(first).error().code, Errc::NotFound);
  EXPECT_TRUE(registry->get(second));
  EXPECT_EQ(registry->counts(), counts_of({3, 1, 2, 1, 1}, 1, 1));

  clock_.advance(seconds(10));
  EXPECT_EQ(registry->expire(), 1U);
  EXPECT_EQ(registry->get(second).error().code, Errc::NotFound);
  EXPECT_TRUE(registry->list(terminated)->records.empty());
  EXPECT_TRUE(registry->get(live));
  EXPECT_EQ(registry->counts(), counts_of({3, 1, 2, 0, 2}, 1, 0));
}

// Random changes of every kind, checked against a model built from the
// snapshots the registry returns: every get() agrees with the model after
// each change (a refused change altered nothing), and every list() through
// the state indexes, a metadata index or none returns exactly the model's
// matching sessions, so the indexes followed each change.
TEST_F(RegistryTest, RecordsAndIndexesFollowRandomChanges) {
  InMemoryRegistryConfig config;
  config.shards = 3;
  config.max_metadata_keys = 3;
  const auto registry = make(config);
  std::mt19937 random(2026);  // fixed seed: a failure reproduces
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
  const std::vector<std::string> keys = {"tenant", "queue", "agent", "x"};
  const std::vector<std::string> values = {"a", "b", "a value longer than a short string keeps inline"};
  std::map<std::uint64_t, SessionRecord> model;

  for (int step = 0; step < 4000; ++step) {
    if (model.empty() || pick(8) == 0) {
      NewSession fields = inbound("c" + std::to_string(step));
      if (pick(2) == 0) fields.metadata[keys[pick(keys.size())]] = values[pick(values.size())];
      const auto created = registry->create(fields);
      ASSERT_TRUE(created);
      model[created->id.value()] = *created;
      continue;
    }
    auto it = model.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(pick(model.size())));
    SessionRecord& expected = it->second;
    Result<SessionRecord> changed = make_error(Errc::Internal, "no change made");
    switch (pick(7)) {
      case 0:  // any state but Terminated: many moves are refused
        changed = registry->update_state(expected.id, static_cast<S>(pick(kSessionStateCount - 1)), C::Answered);
        break;
      case 1:
        changed =
            registry->update_media_state(expected.id, static_cast<MediaState>(pick(kMediaStateCount)), C::OfferSent);
        break;
      case 2:
        changed = registry->set_metadata(expected.id, keys[pick(keys.size())], values[pick(values.size())]);
        break;
      case 3: changed = registry->remove_metadata(expected.id, keys[pick(keys.size())]); break;
      case 4:
        changed =
            registry->set_media(expected.id, MediaSummary{"PCMU/8000", "192.0.2.1:" + std::to_string(pick(60000))});
        break;
      case 5: changed = registry->set_remote_tag(expected.id, std::string(pick(40), 't')); break;
      default:
        if (pick(3) == 0)
          changed = registry->end(expected.id, EndInfo{EndedBy::Remote, 0, "SIP;cause=200", C::HangupRemote});
        break;
    }
    if (changed) {
      ASSERT_EQ(changed->version, expected.version + 1);
      expected = *changed;
    }
    const auto stored = registry->get(expected.id);
    ASSERT_TRUE(stored);
    ASSERT_EQ(*stored, expected) << "step " << step;
  }

  std::vector<SessionFilter> filters(1);
  for (std::size_t s = 0; s < kSessionStateCount; ++s) {
    filters.emplace_back().states = {static_cast<S>(s)};
  }
  for (const auto& key : keys) {
    for (const auto& value : values) {
      filters.emplace_back().metadata = {{key, value}};
      SessionFilter both;
      both.states = {S::Connected, S::OnHold, S::Terminated};
      both.metadata = {{key, value}, {"tenant", "a"}};
      filters.push_back(both);
    }
  }
  filters.emplace_back().party = "c1";
  filters.emplace_back().direction = Direction::Inbound;
  for (SessionFilter filter : filters) {
    std::vector<std::uint64_t> wanted;
    for (const auto& [id, record] : model) {
      if (filter.matches(record)) wanted.push_back(id);
    }
    std::vector<std::uint64_t> listed;
    filter.limit = 37;  // several pages, so the cursor is exercised too
    for (;;) {
      const auto page = registry->list(filter);
      ASSERT_TRUE(page);
      for (const auto& record : page->records) {
        ASSERT_EQ(record, model.at(record.id.value()));
        listed.push_back(record.id.value());
      }
      if (!page->next_cursor) break;
      filter.cursor = page->next_cursor;
    }
    EXPECT_EQ(listed, wanted);
  }
}

TEST_F(RegistryTest, CountsAddUp) {
  for (int i = 0; i < 10; ++i) {
    const SessionId id = registry_->create(inbound("c" + std::to_string(i)))->id;
    if (i % 2 == 0) {
      ASSERT_TRUE(registry_->end(id, EndInfo{}));
    }
  }
  const RegistryCounts counts = registry_->counts();
  EXPECT_EQ(counts, counts_of({10, 5, 5, 5, 0}, 5, 5));
  EXPECT_EQ(counts.created, counts.active + counts.ended);
}

}  // namespace
}  // namespace voxgate::session
