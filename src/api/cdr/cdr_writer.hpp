#pragma once
// Writes CDRs without making a worker loop wait for the disk (issue 6):
// submit() queues the record under a short lock and returns, one thread of
// the writer's own writes what is queued in batches, one transaction each.
// Queries go through a second connection to the same file, so an API
// request never waits behind a big batch (WAL lets a reader beside the
// writer).
//
//   auto writer = CdrWriter::open(path, logger);   // opens the store, starts the thread
//   writer->submit(cdr_from(ended_record));       // any thread, never blocks on disk
//   auto page = writer->query(filter);            // any thread
//   writer->flush();                               // at shutdown: all submitted is on disk
//
// Accounting: every submitted CDR ends up exactly once as written, dropped
// (the queue was full) or a write error (its transaction failed), or is
// still queued; stats() shows the four.
//
// Every method may be called from any thread.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "api/cdr/cdr_filter.hpp"
#include "api/cdr/cdr_record.hpp"
#include "api/cdr/cdr_store.hpp"
#include "base/log.hpp"
#include "base/result.hpp"

namespace voxgate::api {

struct CdrWriterConfig {
  // CDRs accepted but not yet written, at most; submit() drops beyond. At
  // roughly 1 KiB a CDR, the default bounds the queue near 100 MiB, many
  // minutes of calls ending while the disk is stuck.
  std::size_t queue_capacity = 100'000;
  std::size_t max_batch = 1'000;  // CDRs per transaction
  CdrStoreOptions store;
};

struct CdrWriterStats {
  std::uint64_t submitted = 0;     // every submit()
  std::uint64_t written = 0;       // on disk
  std::uint64_t dropped = 0;       // refused because the queue was full
  std::uint64_t write_errors = 0;  // lost because their transaction failed
  std::uint64_t queued = 0;        // accepted, not yet written or failed

  friend bool operator==(const CdrWriterStats&, const CdrWriterStats&) = default;
};

class CdrWriter {
  struct Token {};  // open() is the way in

 public:
  // Opens (creating) the file, as CdrStore::open, twice: a connection to
  // write and one to read. InvalidArgument for a queue capacity or batch
  // size of 0.
  static Result<std::unique_ptr<CdrWriter>> open(const std::filesystem::path& path, Logger logger,
                                                 CdrWriterConfig config = {});

  CdrWriter(Token, std::unique_ptr<CdrStore> write_store, std::unique_ptr<CdrStore> read_store, Logger logger,
            CdrWriterConfig config);
  CdrWriter(const CdrWriter&) = delete;
  CdrWriter& operator=(const CdrWriter&) = delete;
  CdrWriter(CdrWriter&&) = delete;
  CdrWriter& operator=(CdrWriter&&) = delete;
  // Writes everything still queued, then stops the thread.
  ~CdrWriter();

  // Queues the record for writing, or drops it (counted, logged) when
  // queue_capacity are already waiting. Takes the writer's lock only to
  // queue; never waits for the disk.
  void submit(CallDetailRecord record);

  // Returns once every CDR submitted before the call is written or has
  // failed; for shutdown and tests.
  void flush();

  [[nodiscard]] CdrWriterStats stats() const;

  // Through the reading connection: what is committed, without waiting for
  // a batch being written. One query at a time runs; others wait for it.
  Result<CdrPage> query(const CdrFilter& filter) const;
  Result<std::uint64_t> count() const;

 private:
  void run();

  const CdrWriterConfig config_;
  const Logger logger_;
  const std::unique_ptr<CdrStore> write_store_;  // the thread's only

  mutable std::mutex read_mutex_;  // read_store_
  const std::unique_ptr<CdrStore> read_store_;

  mutable std::mutex mutex_;            // everything below but the thread
  std::condition_variable work_ready_;  // queue_ has records, or stopping_
  std::condition_variable settled_;     // settled_count_ grew
  std::deque<CallDetailRecord> queue_;
  std::size_t in_flight_ = 0;  // taken from queue_ by the thread, not yet settled
  bool stopping_ = false;
  std::uint64_t submitted_ = 0;
  std::uint64_t accepted_ = 0;  // submitted and queued; the flush() target
  std::uint64_t written_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t write_errors_ = 0;

  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace voxgate::api
