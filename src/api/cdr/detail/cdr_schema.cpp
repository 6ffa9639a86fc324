#include "api/cdr/detail/cdr_schema.hpp"

#include <string>

#include "api/cdr/detail/sqlite.hpp"

namespace voxgate::api::detail {

namespace {

// Times are Unix time in nanoseconds (the resolution of Clock::WallTime),
// enums their to_string() text, so the file reads well in the sqlite3 shell.
// Metadata lives in a side table, one row per key, so a key=value filter
// is an exact comparison of bound values (no JSON quoting to get right).
// Indexes: created (time-range queries) and the two ids people look a CDR
// up by; session ids restart with the process, so they are not unique.
constexpr const char* kCreateSchemaV1 = R"sql(
CREATE TABLE cdrs (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  local_uri TEXT NOT NULL,
  local_display_name TEXT NOT NULL,
  remote_uri TEXT NOT NULL,
  remote_display_name TEXT NOT NULL,
  created_ns INTEGER NOT NULL,
  answered_ns INTEGER,
  ended_ns INTEGER NOT NULL,
  duration_ns INTEGER NOT NULL,
  ended_by TEXT NOT NULL,
  sip_status INTEGER NOT NULL,
  reason TEXT NOT NULL,
  cause TEXT NOT NULL,
  codec TEXT NOT NULL,
  remote_rtp TEXT NOT NULL,
  packets_sent INTEGER NOT NULL,
  packets_received INTEGER NOT NULL,
  packets_lost INTEGER NOT NULL,
  jitter_ms REAL NOT NULL
);
CREATE INDEX cdrs_by_created ON cdrs (created_ns);
CREATE INDEX cdrs_by_call_id ON cdrs (call_id);
CREATE INDEX cdrs_by_session_id ON cdrs (session_id);
CREATE TABLE cdr_metadata (
  cdr_id INTEGER NOT NULL REFERENCES cdrs (id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (cdr_id, key)
) WITHOUT ROWID;
PRAGMA user_version = 1;
)sql";

Result<int> schema_version(sqlite3* db) {
  auto statement = SqliteStatement::prepare(db, "PRAGMA user_version");
  if (!statement) return tl::unexpected(statement.error());
  auto row = statement->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return make_error(Errc::Io, "PRAGMA user_version returned no row");
  return static_cast<int>(statement->column_int64(0));
}

Result<void> use_wal(sqlite3* db) {
  auto statement = SqliteStatement::prepare(db, "PRAGMA journal_mode = WAL");
  if (!statement) return tl::unexpected(statement.error());
  auto row = statement->step();
  if (!row) return tl::unexpected(row.error());
  // SQLite answers with the mode it is in, which stays the old one when it
  // cannot switch (an in-memory database, a file system without shared
  // memory).
  const std::string mode = *row ? statement->column_text(0) : std::string();
  if (mode != "wal") return make_error(Errc::Io, "cannot use a WAL journal (the journal mode stays '{}')", mode);
  return {};
}

}  // namespace

Result<void> set_up_cdr_database(sqlite3* db) {
  if (auto wal = use_wal(db); !wal) return wal;
  // In WAL mode, NORMAL syncs at checkpoints rather than on every commit:
  // a committed CDR survives the process dying at any point; only a power
  // loss may take back the last commits. Worth it for one fsync less per
  // batch on the writer thread.
  if (auto sync = execute(db, "PRAGMA synchronous = NORMAL"); !sync) return sync;

  auto version = schema_version(db);
  if (!version) return tl::unexpected(version.error());
  if (*version == kCdrSchemaVersion) return {};
  if (*version > kCdrSchemaVersion) {
    return make_error(Errc::Unsupported, "schema version {} is newer than this voxgate's {}", *version,
                      kCdrSchemaVersion);
  }
  auto transaction = SqliteTransaction::begin_immediate(db);
  if (!transaction) return tl::unexpected(transaction.error());
  // Another process may have created the schema while we waited for the lock.
  version = schema_version(db);
  if (!version) return tl::unexpected(version.error());
  if (*version == 0) {
    if (auto created = execute(db, kCreateSchemaV1); !created) {
      return make_error(Errc::Io, "cannot create the CDR schema: {}", sqlite3_errmsg(db));
    }
  } else if (*version != kCdrSchemaVersion) {
    return make_error(Errc::Unsupported, "schema version {} is not this voxgate's {}", *version, kCdrSchemaVersion);
  }
  return transaction->commit();
}

}  // namespace voxgate::api::detail
