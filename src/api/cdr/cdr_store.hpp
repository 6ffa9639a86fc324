#pragma once
// The CDR store (issue 6): call detail records in one SQLite database file,
// one row per ended session, for billing and for GET /v1/cdrs.
//
//   auto store = CdrStore::open("/var/lib/voxgate/cdr.db");  // creates file and schema
//   (*store)->insert(records);                                // one transaction
//   auto page = (*store)->query(filter);                      // filters, paging
//
// The file is in WAL mode, so one connection can write while others read.
// A CdrStore is one connection and is not thread-safe: use it from one
// thread at a time. CdrWriter (cdr_writer.hpp) is the thread-safe front the
// gateway uses: it writes from a thread of its own and reads through a
// second CdrStore on the same file.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "api/cdr/cdr_filter.hpp"
#include "api/cdr/cdr_record.hpp"
#include "base/result.hpp"

namespace voxgate::api {

namespace detail {
struct CdrDatabase;
}  // namespace detail

// The file a deployment uses when its configuration names none, relative
// to the working directory.
inline constexpr const char* kDefaultCdrFile = "voxgate-cdr.db";

struct CdrStoreOptions {
  // How long a write waits while another connection (another process on
  // the same file) holds the write lock, before it fails with Io.
  std::chrono::milliseconds busy_timeout{5000};
};

class CdrStore {
  struct Token {};  // open() is the way in

 public:
  // Opens the file, creating it and its schema when missing. Io when the
  // directory does not exist, the file is not a SQLite database or SQLite
  // refuses; Unsupported for a file of a newer schema version.
  static Result<std::unique_ptr<CdrStore>> open(const std::filesystem::path& path, CdrStoreOptions options = {});

  CdrStore(Token, std::filesystem::path path, std::unique_ptr<detail::CdrDatabase> database) noexcept;
  CdrStore(const CdrStore&) = delete;
  CdrStore& operator=(const CdrStore&) = delete;
  CdrStore(CdrStore&&) = delete;
  CdrStore& operator=(CdrStore&&) = delete;
  ~CdrStore();

  // All of them or none, in one transaction; each gets the next id. Io when
  // SQLite fails (disk full, the lock busy beyond the busy timeout).
  Result<void> insert(std::span<const CallDetailRecord> records);

  // The matching CDRs after filter.cursor, oldest first, from one snapshot
  // of the file. InvalidArgument for a filter validate() refuses.
  Result<CdrPage> query(const CdrFilter& filter);

  // How many CDRs the file holds.
  Result<std::uint64_t> count();

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  // Error `e` with the file named in front.
  tl::unexpected<Error> in_file(const Error& e) const;
  Result<void> read_metadata(StoredCdr& cdr);

  std::filesystem::path path_;
  std::unique_ptr<detail::CdrDatabase> database_;
};

}  // namespace voxgate::api
