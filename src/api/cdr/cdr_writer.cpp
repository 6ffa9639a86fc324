#include "api/cdr/cdr_writer.hpp"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

namespace voxgate::api {

Result<std::unique_ptr<CdrWriter>> CdrWriter::open(const std::filesystem::path& path, Logger logger,
                                                   CdrWriterConfig config) {
  if (config.queue_capacity == 0) return make_error(Errc::InvalidArgument, "CDR writer queue capacity of 0");
  if (config.max_batch == 0) return make_error(Errc::InvalidArgument, "CDR writer batch size of 0");
  // The writing connection first: it creates the file and the schema the
  // reading one then finds.
  auto write_store = CdrStore::open(path, config.store);
  if (!write_store) return tl::unexpected(write_store.error());
  auto read_store = CdrStore::open(path, config.store);
  if (!read_store) return tl::unexpected(read_store.error());
  return std::make_unique<CdrWriter>(Token{}, std::move(*write_store), std::move(*read_store), std::move(logger),
                                     config);
}

CdrWriter::CdrWriter(Token /*unused*/, std::unique_ptr<CdrStore> write_store, std::unique_ptr<CdrStore> read_store,
                     Logger logger, CdrWriterConfig config)
    : config_(config),
      logger_(std::move(logger)),
      write_store_(std::move(write_store)),
      read_store_(std::move(read_store)),
      thread_([this] { run(); }) {}

CdrWriter::~CdrWriter() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_one();
  thread_.join();
}

void CdrWriter::submit(CallDetailRecord record) {
  std::unique_lock lock(mutex_);
  ++submitted_;
  if (queue_.size() + in_flight_ < config_.queue_capacity) {
    queue_.push_back(std::move(record));
    ++accepted_;
    lock.unlock();
    work_ready_.notify_one();
    return;
  }
  const std::uint64_t dropped = ++dropped_;
  lock.unlock();
  // One line per lost CDR, naming the call, so billing can be reconciled by
  // hand; outside the lock, so other submitters do not wait for the log.
  logger_.error("CDR dropped, {} are waiting to be written: session {} call-id {} ({} dropped in all)",
                config_.queue_capacity, record.session_id, record.call_id, dropped);
}

void CdrWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = accepted_;
  settled_.wait(lock, [&] { return written_ + write_errors_ >= target; });
}

CdrWriterStats CdrWriter::stats() const {
  const std::scoped_lock lock(mutex_);
  return CdrWriterStats{
      .submitted = submitted_,
      .written = written_,
      .dropped = dropped_,
      .write_errors = write_errors_,
      .queued = accepted_ - written_ - write_errors_,
  };
}

Result<CdrPage> CdrWriter::query(const CdrFilter& filter) const {
  const std::scoped_lock lock(read_mutex_);
  return read_store_->query(filter);
}

Result<std::uint64_t> CdrWriter::count() const {
  const std::scoped_lock lock(read_mutex_);
  return read_store_->count();
}

void CdrWriter::run() {
  std::vector<CallDetailRecord> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    // Stopping still writes what is queued: the destructor is the last flush.
    if (queue_.empty()) return;
    const auto take = static_cast<std::ptrdiff_t>(std::min(queue_.size(), config_.max_batch));
    batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + take));
    queue_.erase(queue_.begin(), queue_.begin() + take);
    in_flight_ = batch.size();
    lock.unlock();

    const Result<void> written = write_store_->insert(batch);
    if (!written) {
      // The transaction rolled back, so none of the batch is on disk. Not
      // retried: what fails a transaction (disk full, a broken file, a lock
      // held beyond the busy timeout) is rarely over a moment later, and
      // retrying would hold up every CDR queued behind the batch.
      logger_.error("{} CDRs lost, sessions {} to {}: {}", batch.size(), batch.front().session_id,
                    batch.back().session_id, written.error());
    }

    lock.lock();
    (written ? written_ : write_errors_) += batch.size();
    in_flight_ = 0;
    batch.clear();
    settled_.notify_all();
  }
}

}  // namespace voxgate::api
