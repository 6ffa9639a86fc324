#include "api/cdr/cdr_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api/cdr/cdr_test_records.hpp"
#include "api/cdr/detail/sqlite.hpp"
#include "support/temp_dir.hpp"

namespace voxgate::api {
namespace {

using test::sample_cdr;
using test::wall_time;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::uint64_t> session_ids(const CdrPage& page) {
  std::vector<std::uint64_t> ids;
  for (const StoredCdr& cdr : page.cdrs) ids.push_back(cdr.record.session_id.value());
  return ids;
}

// A connection of the test's own, to look at the file as another program would.
detail::SqliteConnection raw_connection(const std::filesystem::path& path) {
  auto db = detail::open_sqlite(path.string(), std::chrono::milliseconds(5000));
  if (!db) throw std::runtime_error(db.error().message);
  return std::move(*db);
}

std::string pragma(sqlite3* db, const char* sql) {
  auto statement = detail::SqliteStatement::prepare(db, sql);
  if (!statement || !statement->step().value_or(false)) throw std::runtime_error(sql);
  return statement->column_text(0);
}

class CdrStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<CdrStore> open_store(CdrStoreOptions options = {}) {
    auto store = CdrStore::open(path_, options);
    if (!store) throw std::runtime_error(store.error().message);
    return std::move(*store);
  }

  std::vector<std::uint64_t> query_ids(const CdrFilter& filter) {
    auto page = store_->query(filter);
    EXPECT_TRUE(page) << page.error().message;
    return page ? session_ids(*page) : std::vector<std::uint64_t>{};
  }

  voxgate::test::TempDir dir_;
  std::filesystem::path path_ = dir_ / "cdr.db";
  std::unique_ptr<CdrStore> store_ = open_store();
};

TEST_F(CdrStoreTest, OpenCreatesTheFileWithAVersionedSchemaInWalMode) {
  EXPECT_TRUE(std::filesystem::exists(path_));
  EXPECT_EQ(store_->path(), path_);
  const auto db = raw_connection(path_);
  EXPECT_EQ(pragma(db.get(), "PRAGMA user_version"), "1");
  EXPECT_EQ(pragma(db.get(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*store_->count(), 0U);
}

TEST_F(CdrStoreTest, EveryFieldRoundTrips) {
  CallDetailRecord unanswered = sample_cdr(8);
  unanswered.answered.reset();
  unanswered.duration = Clock::Duration::zero();
  unanswered.direction = session::Direction::Outbound;
  unanswered.ended_by = session::EndedBy::System;
  unanswered.reason.clear();
  unanswered.codec.clear();
  unanswered.remote_rtp.clear();
  unanswered.local.display_name.clear();
  unanswered.metadata.clear();
  unanswered.packets_sent = UINT64_MAX;  // beyond SQLite's signed integers
  unanswered.packets_lost = INT64_MIN;
  unanswered.session_id = session::SessionId(UINT64_MAX);
  const std::vector<CallDetailRecord> records = {sample_cdr(7), unanswered};
  ASSERT_TRUE(store_->insert(records));

  const auto page = store_->query(CdrFilter{});
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->cdrs.size(), 2U);
  EXPECT_EQ(page->cdrs[0].record, records[0]);
  EXPECT_EQ(page->cdrs[1].record, records[1]);
  EXPECT_LT(page->cdrs[0].id, page->cdrs[1].id);
  EXPECT_FALSE(page->next_cursor);
  EXPECT_EQ(*store_->count(), 2U);
}

TEST_F(CdrStoreTest, InsertingNothingSucceedsAndAddsNothing) {
  EXPECT_TRUE(store_->insert({}));
  EXPECT_EQ(*store_->count(), 0U);
}

TEST_F(CdrStoreTest, ReopeningTheFileKeepsTheRows) {
  const std::vector<CallDetailRecord> records = {sample_cdr(1), sample_cdr(2), sample_cdr(3)};
  ASSERT_TRUE(store_->insert(records));
  const auto before = store_->query(CdrFilter{});
  ASSERT_TRUE(before);
  store_.reset();

  store_ = open_store();
  EXPECT_EQ(*store_->count(), 3U);
  const auto after = store_->query(CdrFilter{});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->cdrs, before->cdrs);
  // Ids go on from where they were.
  ASSERT_TRUE(store_->insert(std::vector{sample_cdr(4)}));
  EXPECT_GT(store_->query(CdrFilter{})->cdrs.back().id, before->cdrs.back().id);
}

class CdrStoreFilterTest : public CdrStoreTest {
 protected:
  // Six CDRs: even ones inbound, 2 ended by us, 6 with a 486, each with
  // metadata tenant=acme and n=<its number>.
  void SetUp() override {
    std::vector<CallDetailRecord> records;
    for (std::uint64_t n = 1; n <= 6; ++n) records.push_back(sample_cdr(n));
    records[1].ended_by = session::EndedBy::Local;
    records[5].sip_status = 486;
    ASSERT_TRUE(store_->insert(records));
  }
};

TEST_F(CdrStoreFilterTest, NoCriteriaMatchesEverythingOldestFirst) {
  EXPECT_THAT(query_ids({}), ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST_F(CdrStoreFilterTest, DirectionMatchesThatDirectionOnly) {
  CdrFilter filter;
  filter.direction = session::Direction::Inbound;
  EXPECT_THAT(query_ids(filter), ElementsAre(2, 4, 6));
  filter.direction = session::Direction::Outbound;
  EXPECT_THAT(query_ids(filter), ElementsAre(1, 3, 5));
}

TEST_F(CdrStoreFilterTest, PartyIsACaseSensitiveLiteralSubstringOfEitherUri) {
  CdrFilter filter;
  filter.party = "user3@";  // remote
  EXPECT_THAT(query_ids(filter), ElementsAre(3));
  filter.party = "gateway@voxgate";  // local
  EXPECT_THAT(query_ids(filter), ElementsAre(1, 2, 3, 4, 5, 6));
  filter.party = "USER3@";
  EXPECT_THAT(query_ids(filter), ElementsAre());
  // LIKE wildcards are just characters.
  filter.party = "%";
  EXPECT_THAT(query_ids(filter), ElementsAre());
  filter.party = "user_@";
  EXPECT_THAT(query_ids(filter), ElementsAre());
}

TEST_F(CdrStoreFilterTest, SessionIdAndCallIdMatchExactly) {
  CdrFilter filter;
  filter.session_id = session::SessionId(4);
  EXPECT_THAT(query_ids(filter), ElementsAre(4));
  filter = {};
  filter.call_id = "call-5@host.example";
  EXPECT_THAT(query_ids(filter), ElementsAre(5));
  filter.call_id = "call-5";
  EXPECT_THAT(query_ids(filter), ElementsAre());
}

TEST_F(CdrStoreFilterTest, EndedByAndSipStatusMatchExactly) {
  CdrFilter filter;
  filter.ended_by = session::EndedBy::Local;
  EXPECT_THAT(query_ids(filter), ElementsAre(2));
  filter = {};
  filter.sip_status = 486;
  EXPECT_THAT(query_ids(filter), ElementsAre(6));
  filter.sip_status = 487;
  EXPECT_THAT(query_ids(filter), ElementsAre(1, 2, 3, 4, 5));
}

TEST_F(CdrStoreFilterTest, CreatedBoundsAreStrict) {
  CdrFilter filter;
  filter.created_after = wall_time(3);
  EXPECT_THAT(query_ids(filter), ElementsAre(4, 5, 6));
  filter = {};
  filter.created_before = wall_time(3);
  EXPECT_THAT(query_ids(filter), ElementsAre(1, 2));
  filter.created_after = wall_time(1);
  EXPECT_THAT(query_ids(filter), ElementsAre(2));
  // A nanosecond matters.
  filter = {};
  filter.created_after = wall_time(3) - std::chrono::nanoseconds(1);
  filter.created_before = wall_time(3) + std::chrono::nanoseconds(1);
  EXPECT_THAT(query_ids(filter), ElementsAre(3));
}

TEST_F(CdrStoreFilterTest, EveryMetadataPairMustHold) {
  CdrFilter filter;
  filter.metadata = {{"tenant", "acme"}};
  EXPECT_THAT(query_ids(filter), ElementsAre(1, 2, 3, 4, 5, 6));
  filter.metadata = {{"tenant", "acme"}, {"n", "2"}};
  EXPECT_THAT(query_ids(filter), ElementsAre(2));
  filter.metadata = {{"n", "2"}, {"tenant", "other"}};
  EXPECT_THAT(query_ids(filter), ElementsAre());
  filter.metadata = {{"absent", "acme"}};
  EXPECT_THAT(query_ids(filter), ElementsAre());
  filter.metadata = {{"tenant", "acm"}};  // exact, not a prefix
  EXPECT_THAT(query_ids(filter), ElementsAre());
}

TEST_F(CdrStoreFilterTest, CriteriaCombineWithAnd) {
  CdrFilter filter;
  filter.direction = session::Direction::Inbound;
  filter.metadata = {{"tenant", "acme"}};
  filter.created_after = wall_time(2);
  EXPECT_THAT(query_ids(filter), ElementsAre(4, 6));
  filter.sip_status = 486;
  EXPECT_THAT(query_ids(filter), ElementsAre(6));
  filter.ended_by = session::EndedBy::Local;
  EXPECT_THAT(query_ids(filter), ElementsAre());
}

TEST_F(CdrStoreFilterTest, FilterTextThatLooksLikeSqlIsOnlyText) {
  CdrFilter filter;
  filter.call_id = "x' OR '1'='1";
  EXPECT_THAT(query_ids(filter), ElementsAre());
  filter = {};
  filter.party = "') OR 1=1 --";
  EXPECT_THAT(query_ids(filter), ElementsAre());
  filter = {};
  filter.metadata = {{"tenant' OR 1=1 --", "acme"}};
  EXPECT_THAT(query_ids(filter), ElementsAre());
  EXPECT_EQ(*store_->count(), 6U);
}

TEST_F(CdrStoreTest, MetadataWithQuotesUnicodeAndEqualsSignsRoundTripsAndFilters) {
  CallDetailRecord cdr = sample_cdr(1);
  cdr.metadata = {
      {"quote'\"key", "va'l\"ue"}, {"ünïcödé 🔥", "日本語"}, {"a=b", "c=d&e=f"}, {"empty", ""}, {"a", "b=c"},
  };
  CallDetailRecord other = sample_cdr(2);
  other.metadata = {{"a", "b"}, {"a=b", "c"}};
  ASSERT_TRUE(store_->insert(std::vector{cdr, other}));

  const auto page = store_->query({});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->cdrs.size(), 2U);
  EXPECT_EQ(page->cdrs[0].record.metadata, cdr.metadata);
  EXPECT_EQ(page->cdrs[1].record.metadata, other.metadata);
  for (const auto& [key, value] : cdr.metadata) {
    CdrFilter filter;
    filter.metadata = {{key, value}};
    EXPECT_THAT(query_ids(filter), ElementsAre(1)) << key << "=" << value;
  }
  // "a=b" and "c" are a key and a value, not "a" and "b=c" split another way.
  CdrFilter filter;
  filter.metadata = {{"a=b", "c"}};
  EXPECT_THAT(query_ids(filter), ElementsAre(2));
  filter.metadata = {{"a", "b=c"}};
  EXPECT_THAT(query_ids(filter), ElementsAre(1));
}

TEST_F(CdrStoreTest, PagingVisitsEveryMatchingRowExactlyOnceInOrder) {
  std::vector<CallDetailRecord> records;
  for (std::uint64_t n = 1; n <= 250; ++n) records.push_back(sample_cdr(n));
  ASSERT_TRUE(store_->insert(records));

  CdrFilter filter;
  filter.direction = session::Direction::Inbound;
  filter.limit = 7;
  std::vector<std::uint64_t> seen;
  int pages = 0;
  for (;;) {
    const auto page = store_->query(filter);
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_LE(page->cdrs.size(), filter.limit);
    const auto ids = session_ids(*page);
    seen.insert(seen.end(), ids.begin(), ids.end());
    if (++pages == 5) {
      // Rows added while paging come after the ones there were.
      std::vector<CallDetailRecord> later;
      for (std::uint64_t n = 251; n <= 260; ++n) later.push_back(sample_cdr(n));
      ASSERT_TRUE(store_->insert(later));
    }
    if (!page->next_cursor) break;
    EXPECT_EQ(*page->next_cursor, page->cdrs.back().id);
    filter.cursor = page->next_cursor;
  }
  std::vector<std::uint64_t> expected;
  for (std::uint64_t n = 2; n <= 260; n += 2) expected.push_back(n);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 19);  // 130 in pages of 7; none empty
}

TEST_F(CdrStoreTest, APageThatEndsExactlyAtTheLastRowHasNoCursor) {
  std::vector<CallDetailRecord> records;
  for (std::uint64_t n = 1; n <= 10; ++n) records.push_back(sample_cdr(n));
  ASSERT_TRUE(store_->insert(records));
  CdrFilter filter;
  filter.limit = 5;
  const auto first = store_->query(filter);
  ASSERT_TRUE(first && first->next_cursor);
  filter.cursor = first->next_cursor;
  const auto second = store_->query(filter);
  ASSERT_TRUE(second);
  EXPECT_THAT(session_ids(*second), ElementsAre(6, 7, 8, 9, 10));
  EXPECT_FALSE(second->next_cursor);
}

TEST_F(CdrStoreTest, AFilterOutOfBoundsIsRefused) {
  CdrFilter filter;
  filter.limit = 0;
  EXPECT_EQ(store_->query(filter).error().code, Errc::InvalidArgument);
  filter.limit = CdrFilter::kMaxLimit + 1;
  EXPECT_EQ(store_->query(filter).error().code, Errc::InvalidArgument);
  filter.limit = CdrFilter::kMaxLimit;
  EXPECT_TRUE(store_->query(filter));
  filter.metadata = {{"", "x"}};
  EXPECT_EQ(store_->query(filter).error().code, Errc::InvalidArgument);
  filter.metadata.assign(CdrFilter::kMaxMetadataCriteria + 1, {"k", "v"});
  EXPECT_EQ(store_->query(filter).error().code, Errc::InvalidArgument);
}

TEST_F(CdrStoreTest, AWriteWhileAnotherConnectionHoldsTheLockFailsAfterTheBusyTimeoutAndAddsNothing) {
  store_ = open_store(CdrStoreOptions{std::chrono::milliseconds(1)});
  const auto other = raw_connection(path_);
  ASSERT_TRUE(detail::execute(other.get(), "BEGIN IMMEDIATE"));
  const auto failed = store_->insert(std::vector{sample_cdr(1)});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::Io);
  EXPECT_THAT(failed.error().message, HasSubstr("locked"));
  ASSERT_TRUE(detail::execute(other.get(), "ROLLBACK"));
  EXPECT_EQ(*store_->count(), 0U);
  EXPECT_TRUE(store_->insert(std::vector{sample_cdr(1)}));
  EXPECT_EQ(*store_->count(), 1U);
}

TEST(CdrStoreOpen, APathInAMissingDirectoryIsAnIoErrorNamingTheDirectory) {
  const voxgate::test::TempDir dir;
  const auto store = CdrStore::open(dir / "no-such-dir" / "cdr.db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::Io);
  EXPECT_THAT(store.error().message, HasSubstr("no-such-dir"));
  EXPECT_THAT(store.error().message, HasSubstr("does not exist"));
}

TEST(CdrStoreOpen, AFileThatIsNotADatabaseIsAnIoErrorNamingTheFile) {
  const voxgate::test::TempDir dir;
  const auto path = dir / "notes.txt";
  std::ofstream(path) << "not a database, just some text that is long enough to have a header\n";
  const auto store = CdrStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::Io);
  EXPECT_THAT(store.error().message, HasSubstr(path.string()));
}

TEST(CdrStoreOpen, AFileOfANewerSchemaVersionIsRefused) {
  const voxgate::test::TempDir dir;
  const auto path = dir / "cdr.db";
  ASSERT_TRUE(CdrStore::open(path));
  {
    const auto db = raw_connection(path);
    ASSERT_TRUE(detail::execute(db.get(), "PRAGMA user_version = 99"));
  }
  const auto store = CdrStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::Unsupported);
  EXPECT_THAT(store.error().message, HasSubstr("99"));
}

}  // namespace
}  // namespace voxgate::api
