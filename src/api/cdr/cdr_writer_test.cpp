#include "api/cdr/cdr_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/cdr/cdr_store.hpp"
#include "api/cdr/cdr_test_records.hpp"
#include "api/cdr/detail/sqlite.hpp"
#include "support/temp_dir.hpp"

namespace voxgate::api {
namespace {

using test::sample_cdr;
using ::testing::HasSubstr;

// A logger whose lines the test can read (thread-safe sink: the writer
// logs from its own thread).
struct CapturedLog {
  std::ostringstream out;
  Logger logger;
  CapturedLog() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    auto l = std::make_shared<spdlog::logger>("test", sink);
    l->set_pattern("%l %v");
    logger = Logger(l);
  }
};

// Another program holding the file's write lock, as a stuck or slow disk
// would hold up the writer.
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::filesystem::path& path)
      : db_(std::move(*detail::open_sqlite(path.string(), std::chrono::milliseconds(5000)))) {
    if (!detail::execute(db_.get(), "BEGIN IMMEDIATE")) throw std::runtime_error("cannot take the write lock");
  }
  void release() {
    if (!detail::execute(db_.get(), "ROLLBACK")) throw std::runtime_error("cannot release the write lock");
  }

 private:
  detail::SqliteConnection db_;
};

// Designated initializers would leave `store` to -Wmissing-field-initializers.
CdrWriterConfig writer_config(std::size_t queue_capacity, std::size_t max_batch,
                              std::chrono::milliseconds busy_timeout = std::chrono::seconds(5)) {
  CdrWriterConfig config;
  config.queue_capacity = queue_capacity;
  config.max_batch = max_batch;
  config.store.busy_timeout = busy_timeout;
  return config;
}

class CdrWriterTest : public ::testing::Test {
 protected:
  std::unique_ptr<CdrWriter> open_writer(CdrWriterConfig config = {}) {
    auto writer = CdrWriter::open(path_, log_.logger, config);
    if (!writer) throw std::runtime_error(writer.error().message);
    return std::move(*writer);
  }

  voxgate::test::TempDir dir_;
  std::filesystem::path path_ = dir_ / "cdr.db";
  CapturedLog log_;
};

TEST_F(CdrWriterTest, FourThreadsSubmittingThenFlushPutsEveryCdrOnDisk) {
  constexpr std::uint64_t kThreads = 4;
  constexpr std::uint64_t kPerThread = 1'000;
  const auto writer = open_writer();
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (std::uint64_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&writer, t] {
      for (std::uint64_t i = 0; i < kPerThread; ++i) writer->submit(sample_cdr(t * kPerThread + i));
    });
  }
  for (std::thread& thread : threads) thread.join();
  writer->flush();

  EXPECT_EQ(*writer->count(), 4'000U);
  EXPECT_EQ(writer->stats(), (CdrWriterStats{.submitted = 4'000, .written = 4'000}));
  // Each one exactly once.
  std::set<std::uint64_t> sessions;
  CdrFilter filter;
  filter.limit = CdrFilter::kMaxLimit;
  for (;;) {
    const auto page = writer->query(filter);
    ASSERT_TRUE(page) << page.error().message;
    for (const StoredCdr& cdr : page->cdrs) EXPECT_TRUE(sessions.insert(cdr.record.session_id.value()).second);
    if (!page->next_cursor) break;
    filter.cursor = page->next_cursor;
  }
  EXPECT_EQ(sessions.size(), 4'000U);
}

TEST_F(CdrWriterTest, ASubmittedCdrIsQueryableWholeAfterFlush) {
  const auto writer = open_writer();
  writer->submit(sample_cdr(1));
  writer->flush();
  const auto page = writer->query(CdrFilter{});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->cdrs.size(), 1U);
  EXPECT_EQ(page->cdrs[0].record, sample_cdr(1));
}

TEST_F(CdrWriterTest, DestroyingTheWriterWritesEverythingStillQueued) {
  {
    const auto writer = open_writer(writer_config(100'000, 7));
    for (std::uint64_t n = 0; n < 500; ++n) writer->submit(sample_cdr(n));
  }
  const auto store = CdrStore::open(path_);
  ASSERT_TRUE(store);
  EXPECT_EQ(*(*store)->count(), 500U);
}

TEST_F(CdrWriterTest, BeyondItsBoundTheQueueDropsCountsAndLogs) {
  open_writer();  // creates the file and its schema before the lock is taken
  WriteLockHolder lock(path_);
  const auto writer = open_writer(writer_config(10, 1'000, std::chrono::minutes(1)));
  // Nothing can be written while the lock is held, so the bound counts
  // every CDR accepted, whether still queued or in the batch waiting.
  for (std::uint64_t n = 0; n < 15; ++n) writer->submit(sample_cdr(n));
  EXPECT_EQ(writer->stats(), (CdrWriterStats{.submitted = 15, .dropped = 5, .queued = 10}));
  EXPECT_THAT(log_.out.str(), HasSubstr("CDR dropped"));
  EXPECT_THAT(log_.out.str(), HasSubstr("call-14@host.example"));

  lock.release();
  writer->flush();
  EXPECT_EQ(writer->stats(), (CdrWriterStats{.submitted = 15, .written = 10, .dropped = 5}));
  EXPECT_EQ(*writer->count(), 10U);
}

TEST_F(CdrWriterTest, AFailedWriteCountsItsCdrsAsLostAndTheWriterCarriesOn) {
  open_writer();  // creates the file and its schema before the lock is taken
  WriteLockHolder lock(path_);
  const auto writer = open_writer(writer_config(100'000, 1'000, std::chrono::milliseconds(1)));
  for (std::uint64_t n = 0; n < 3; ++n) writer->submit(sample_cdr(n));
  writer->flush();
  EXPECT_EQ(writer->stats(), (CdrWriterStats{.submitted = 3, .write_errors = 3}));
  // One error line per failed batch, each with its count: the writer may
  // have taken the first CDR before the others were submitted.
  const std::string log = log_.out.str();
  const std::regex lost_line(R"((\d+) CDRs lost)");
  std::uint64_t logged_lost = 0;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), lost_line); it != std::sregex_iterator(); ++it) {
    logged_lost += std::stoull((*it)[1].str());
  }
  EXPECT_EQ(logged_lost, 3U) << log;

  lock.release();
  writer->submit(sample_cdr(3));
  writer->flush();
  EXPECT_EQ(writer->stats(), (CdrWriterStats{.submitted = 4, .written = 1, .write_errors = 3}));
}

TEST_F(CdrWriterTest, QueriesAreAnsweredWhileAWriteHoldsTheDatabase) {
  const auto writer = open_writer();
  writer->submit(sample_cdr(1));
  writer->flush();
  // Another writer in the middle of its transaction: a reader in WAL mode
  // reads the last commit without waiting for it.
  WriteLockHolder lock(path_);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(*writer->count(), 1U);
  const auto page = writer->query(CdrFilter{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->cdrs.size(), 1U);
  // Far below the 5-s busy timeout a blocked read would wait.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST_F(CdrWriterTest, AZeroQueueOrBatchIsRefused) {
  EXPECT_EQ(CdrWriter::open(path_, Logger(), writer_config(0, 1'000)).error().code, Errc::InvalidArgument);
  EXPECT_EQ(CdrWriter::open(path_, Logger(), writer_config(100'000, 0)).error().code, Errc::InvalidArgument);
}

TEST_F(CdrWriterTest, OpeningInAMissingDirectoryIsAnIoError) {
  EXPECT_EQ(CdrWriter::open(dir_ / "missing" / "cdr.db", Logger()).error().code, Errc::Io);
}

}  // namespace
}  // namespace voxgate::api
