#pragma once
// Thin RAII over the SQLite C API, as the CDR store uses it: a connection,
// a prepared statement with typed binds and reads, a transaction that rolls
// back unless committed, and failures as Io errors carrying SQLite's own
// message. Values only ever reach SQL as bound `?` parameters.
//
//   auto db = open_sqlite(path, busy_timeout);
//   auto statement = SqliteStatement::prepare(db->get(), "SELECT x FROM t WHERE y = ?");
//   statement->bind_text(1, wanted);
//   while (*statement->step()) use(statement->column_int64(0));
//
// Not thread-safe: a connection and its statements are used by one thread
// at a time (the connections are opened without SQLite's own mutex).

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

namespace voxgate::api::detail {

struct SqliteCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using SqliteConnection = std::unique_ptr<sqlite3, SqliteCloser>;

// Io: "<what>: <SQLite's latest message on db>".
tl::unexpected<Error> sqlite_error(sqlite3* db, std::string_view what);

// Opens the database file read-write, creating an empty one if missing.
// `busy_timeout` is how long a statement waits for another connection's
// lock before failing with SQLITE_BUSY.
Result<SqliteConnection> open_sqlite(const std::string& path, std::chrono::milliseconds busy_timeout);

// Runs fixed SQL without parameters (schema, pragmas, BEGIN/COMMIT),
// ignoring any rows it returns.
Result<void> execute(sqlite3* db, const char* sql);

class SqliteStatement {
 public:
  // Io naming the SQL's problem (a bug in our SQL, or a schema that is not ours).
  static Result<SqliteStatement> prepare(sqlite3* db, std::string_view sql);

  // Parameters are numbered from 1, as in SQLite. Text is not copied: it
  // must stay valid until the statement is stepped and reset. A failed bind
  // (SQLITE_TOOBIG, a bad index) is reported by the next step().
  void bind_int64(int index, std::int64_t value) noexcept;
  void bind_double(int index, double value) noexcept;
  void bind_text(int index, std::string_view text) noexcept;
  void bind_null(int index) noexcept;

  // True when a row is ready to read, false when the statement is done.
  Result<bool> step();
  // Ready to run again, with every parameter unbound (NULL).
  void reset() noexcept;

  // Columns of the current row, numbered from 0.
  [[nodiscard]] std::int64_t column_int64(int column) const noexcept;
  [[nodiscard]] double column_double(int column) const noexcept;
  [[nodiscard]] std::string column_text(int column) const;
  [[nodiscard]] bool column_is_null(int column) const noexcept;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
  };
  explicit SqliteStatement(sqlite3_stmt* statement) noexcept : statement_(statement) {}
  void note_bind(int status) noexcept;

  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
  int bind_status_ = SQLITE_OK;  // the first failed bind since the last reset
};

// A transaction that rolls back on destruction unless commit() succeeded.
class SqliteTransaction {
 public:
  // For writing: takes the write lock up front, so a busy database fails
  // here, after the busy timeout, rather than half-way through the writes.
  static Result<SqliteTransaction> begin_immediate(sqlite3* db);
  // For reading: every statement sees the same snapshot of the database
  // (in WAL mode, without waiting for a writer).
  static Result<SqliteTransaction> begin_read(sqlite3* db);
  SqliteTransaction(SqliteTransaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  Result<void> commit();

 private:
  explicit SqliteTransaction(sqlite3* db) noexcept : db_(db) {}
  sqlite3* db_;  // null once committed or moved from
};

}  // namespace voxgate::api::detail
