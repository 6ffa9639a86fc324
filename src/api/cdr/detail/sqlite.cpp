#include "api/cdr/detail/sqlite.hpp"

#include <climits>

namespace voxgate::api::detail {

tl::unexpected<Error> sqlite_error(sqlite3* db, std::string_view what) {
  return make_error(Errc::Io, "{}: {}", what, sqlite3_errmsg(db));
}

Result<SqliteConnection> open_sqlite(const std::string& path, std::chrono::milliseconds busy_timeout) {
  sqlite3* raw = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (our own locks
  // see to that), so SQLite's per-call locking would be pure cost.
  const int status =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteConnection db(raw);  // closed on every path, including a failed open
  if (status != SQLITE_OK) {
    return make_error(Errc::Io, "cannot open {}: {}", path,
                      raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(status));
  }
  const auto timeout_ms = busy_timeout.count() > INT_MAX ? INT_MAX : static_cast<int>(busy_timeout.count());
  sqlite3_busy_timeout(db.get(), timeout_ms);
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

Result<void> execute(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return sqlite_error(db, sql);
  return {};
}

Result<SqliteStatement> SqliteStatement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sql.size() > INT_MAX) return make_error(Errc::InvalidArgument, "SQL of {} bytes is too long", sql.size());
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
    sqlite3_finalize(raw);
    return make_error(Errc::Io, "cannot prepare \"{}\": {}", sql, sqlite3_errmsg(db));
  }
  return SqliteStatement(raw);
}

void SqliteStatement::note_bind(int status) noexcept {
  if (bind_status_ == SQLITE_OK) bind_status_ = status;
}

void SqliteStatement::bind_int64(int index, std::int64_t value) noexcept {
  note_bind(sqlite3_bind_int64(statement_.get(), index, value));
}

void SqliteStatement::bind_double(int index, double value) noexcept {
  note_bind(sqlite3_bind_double(statement_.get(), index, value));
}

void SqliteStatement::bind_text(int index, std::string_view text) noexcept {
  // A null destructor is SQLITE_STATIC: SQLite uses the caller's bytes
  // without copying them (the macro itself is an old-style cast).
  note_bind(sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(), nullptr, SQLITE_UTF8));
}

void SqliteStatement::bind_null(int index) noexcept {
  note_bind(sqlite3_bind_null(statement_.get(), index));
}

Result<bool> SqliteStatement::step() {
  if (bind_status_ != SQLITE_OK) {
    return make_error(Errc::Io, "cannot bind a parameter: {}", sqlite3_errstr(bind_status_));
  }
  const int status = sqlite3_step(statement_.get());
  if (status == SQLITE_ROW) return true;
  if (status == SQLITE_DONE) return false;
  return make_error(Errc::Io, "{}", sqlite3_errmsg(sqlite3_db_handle(statement_.get())));
}

void SqliteStatement::reset() noexcept {
  // reset() repeats the last step's error, which step() has reported already.
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
  bind_status_ = SQLITE_OK;
}

std::int64_t SqliteStatement::column_int64(int column) const noexcept {
  return sqlite3_column_int64(statement_.get(), column);
}

double SqliteStatement::column_double(int column) const noexcept {
  return sqlite3_column_double(statement_.get(), column);
}

std::string SqliteStatement::column_text(int column) const {
  // Text first, then its size in bytes: the order SQLite documents.
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  const int size = sqlite3_column_bytes(statement_.get(), column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

bool SqliteStatement::column_is_null(int column) const noexcept {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

Result<SqliteTransaction> SqliteTransaction::begin_immediate(sqlite3* db) {
  if (auto begun = execute(db, "BEGIN IMMEDIATE"); !begun) return tl::unexpected(begun.error());
  return SqliteTransaction(db);
}

Result<SqliteTransaction> SqliteTransaction::begin_read(sqlite3* db) {
  if (auto begun = execute(db, "BEGIN DEFERRED"); !begun) return tl::unexpected(begun.error());
  return SqliteTransaction(db);
}

SqliteTransaction::~SqliteTransaction() {
  // A failed statement may have rolled the transaction back already; then
  // this fails harmlessly.
  if (db_ != nullptr) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> SqliteTransaction::commit() {
  if (auto committed = execute(db_, "COMMIT"); !committed) return committed;
  db_ = nullptr;
  return {};
}

}  // namespace voxgate::api::detail
