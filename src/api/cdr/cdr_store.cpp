#include "api/cdr/cdr_store.hpp"

#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "api/cdr/detail/cdr_columns.hpp"
#include "api/cdr/detail/cdr_schema.hpp"
#include "api/cdr/detail/sqlite.hpp"

namespace voxgate::api {

namespace detail {

// One connection and the statements every call uses, prepared once.
struct CdrDatabase {
  SqliteConnection connection;
  SqliteStatement insert_cdr;
  SqliteStatement insert_metadata;
  SqliteStatement select_metadata;
  SqliteStatement count_cdrs;
};

}  // namespace detail

namespace {

using detail::SqliteStatement;

// The parameters of a query built from the filter, in order; text is a
// view of the filter's own strings.
using QueryParameter = std::variant<std::int64_t, std::string_view>;

// The SELECT for `filter`: fixed SQL fragments chosen by which criteria are
// set, every value a bound parameter, so no text of the caller's ever
// becomes SQL. One row more than the limit tells whether a next page exists.
std::string select_sql(const CdrFilter& filter, std::vector<QueryParameter>& parameters) {
  std::string sql = "SELECT id, ";
  sql += detail::kCdrColumns;
  sql += " FROM cdrs WHERE 1";
  const auto require = [&](std::string_view condition) {
    sql += " AND ";
    sql += condition;
  };
  if (filter.cursor) {
    require("id > ?");
    parameters.emplace_back(static_cast<std::int64_t>(filter.cursor->value()));
  }
  if (filter.direction) {
    require("direction = ?");
    parameters.emplace_back(session::to_string(*filter.direction));
  }
  if (!filter.party.empty()) {
    // instr(), not LIKE: case-sensitive, and '%' or '_' in the filter are
    // just characters.
    require("(instr(local_uri, ?) > 0 OR instr(remote_uri, ?) > 0)");
    parameters.emplace_back(std::string_view(filter.party));
    parameters.emplace_back(std::string_view(filter.party));
  }
  if (filter.session_id) {
    require("session_id = ?");
    parameters.emplace_back(static_cast<std::int64_t>(filter.session_id->value()));
  }
  if (!filter.call_id.empty()) {
    require("call_id = ?");
    parameters.emplace_back(std::string_view(filter.call_id));
  }
  if (filter.ended_by) {
    require("ended_by = ?");
    parameters.emplace_back(session::to_string(*filter.ended_by));
  }
  if (filter.sip_status) {
    require("sip_status = ?");
    parameters.emplace_back(static_cast<std::int64_t>(*filter.sip_status));
  }
  if (filter.created_after) {
    require("created_ns > ?");
    parameters.emplace_back(detail::to_unix_ns(*filter.created_after));
  }
  if (filter.created_before) {
    require("created_ns < ?");
    parameters.emplace_back(detail::to_unix_ns(*filter.created_before));
  }
  for (const auto& [key, value] : filter.metadata) {
    require("EXISTS (SELECT 1 FROM cdr_metadata WHERE cdr_id = cdrs.id AND key = ? AND value = ?)");
    parameters.emplace_back(std::string_view(key));
    parameters.emplace_back(std::string_view(value));
  }
  sql += " ORDER BY id LIMIT ?";
  parameters.emplace_back(static_cast<std::int64_t>(filter.limit + 1));
  return sql;
}

void bind_all(SqliteStatement& statement, const std::vector<QueryParameter>& parameters) noexcept {
  int index = 0;
  for (const QueryParameter& parameter : parameters) {
    ++index;
    if (const auto* number = std::get_if<std::int64_t>(&parameter)) {
      statement.bind_int64(index, *number);
    } else {
      statement.bind_text(index, std::get<std::string_view>(parameter));
    }
  }
}

}  // namespace

Result<std::unique_ptr<CdrStore>> CdrStore::open(const std::filesystem::path& path, CdrStoreOptions options) {
  // SQLite would say only "unable to open database file".
  const std::filesystem::path directory = path.parent_path();
  std::error_code ignored;
  if (!directory.empty() && !std::filesystem::is_directory(directory, ignored)) {
    return make_error(Errc::Io, "CDR store {}: directory {} does not exist", path.string(), directory.string());
  }
  const auto fail = [&](const Error& e) { return make_error(e.code, "CDR store {}: {}", path.string(), e.message); };

  auto connection = detail::open_sqlite(path.string(), options.busy_timeout);
  if (!connection) return fail(connection.error());
  sqlite3* db = connection->get();
  if (auto set_up = detail::set_up_cdr_database(db); !set_up) return fail(set_up.error());

  auto insert_cdr = SqliteStatement::prepare(db, std::string("INSERT INTO cdrs (") + std::string(detail::kCdrColumns) +
                                                     ") VALUES (" + std::string(detail::kCdrPlaceholders) + ")");
  if (!insert_cdr) return fail(insert_cdr.error());
  auto insert_metadata = SqliteStatement::prepare(db, "INSERT INTO cdr_metadata (cdr_id, key, value) VALUES (?, ?, ?)");
  if (!insert_metadata) return fail(insert_metadata.error());
  auto select_metadata = SqliteStatement::prepare(db, "SELECT key, value FROM cdr_metadata WHERE cdr_id = ?");
  if (!select_metadata) return fail(select_metadata.error());
  auto count_cdrs = SqliteStatement::prepare(db, "SELECT count(*) FROM cdrs");
  if (!count_cdrs) return fail(count_cdrs.error());

  auto database = std::make_unique<detail::CdrDatabase>(
      detail::CdrDatabase{std::move(*connection), std::move(*insert_cdr), std::move(*insert_metadata),
                          std::move(*select_metadata), std::move(*count_cdrs)});
  return std::make_unique<CdrStore>(Token{}, path, std::move(database));
}

CdrStore::CdrStore(Token /*unused*/, std::filesystem::path path, std::unique_ptr<detail::CdrDatabase> database) noexcept
    : path_(std::move(path)), database_(std::move(database)) {}

CdrStore::~CdrStore() = default;

tl::unexpected<Error> CdrStore::in_file(const Error& e) const {
  return make_error(e.code, "CDR store {}: {}", path_.string(), e.message);
}

Result<void> CdrStore::insert(std::span<const CallDetailRecord> records) {
  if (records.empty()) return {};
  sqlite3* db = database_->connection.get();
  auto transaction = detail::SqliteTransaction::begin_immediate(db);
  if (!transaction) return in_file(transaction.error());
  for (const CallDetailRecord& record : records) {
    SqliteStatement& insert_cdr = database_->insert_cdr;
    detail::bind_cdr(insert_cdr, record);
    const auto inserted = insert_cdr.step();
    insert_cdr.reset();
    if (!inserted) {
      return make_error(Errc::Io, "CDR store {}: cannot insert the CDR of session {}: {}", path_.string(),
                        record.session_id, inserted.error().message);
    }
    const std::int64_t id = sqlite3_last_insert_rowid(db);
    SqliteStatement& insert_metadata = database_->insert_metadata;
    for (const auto& [key, value] : record.metadata) {
      insert_metadata.bind_int64(1, id);
      insert_metadata.bind_text(2, key);
      insert_metadata.bind_text(3, value);
      const auto added = insert_metadata.step();
      insert_metadata.reset();
      if (!added) {
        return make_error(Errc::Io, "CDR store {}: cannot insert metadata '{}' of session {}: {}", path_.string(), key,
                          record.session_id, added.error().message);
      }
    }
  }
  if (auto committed = transaction->commit(); !committed) return in_file(committed.error());
  return {};
}

Result<void> CdrStore::read_metadata(StoredCdr& cdr) {
  SqliteStatement& select = database_->select_metadata;
  select.bind_int64(1, static_cast<std::int64_t>(cdr.id.value()));
  Result<void> outcome;
  for (;;) {
    const auto row = select.step();
    if (!row) {
      outcome = in_file(row.error());
      break;
    }
    if (!*row) break;
    cdr.record.metadata.insert_or_assign(select.column_text(0), select.column_text(1));
  }
  select.reset();
  return outcome;
}

Result<CdrPage> CdrStore::query(const CdrFilter& filter) {
  if (auto valid = validate(filter); !valid) return tl::unexpected(valid.error());
  std::vector<QueryParameter> parameters;
  const std::string sql = select_sql(filter, parameters);

  sqlite3* db = database_->connection.get();
  // One snapshot for the rows and their metadata.
  auto transaction = detail::SqliteTransaction::begin_read(db);
  if (!transaction) return in_file(transaction.error());
  // Prepared per query: the SQL depends on which criteria are set, and
  // preparing costs microseconds next to the reading.
  auto select = SqliteStatement::prepare(db, sql);
  if (!select) return in_file(select.error());
  bind_all(*select, parameters);

  CdrPage page;
  for (;;) {
    const auto row = select->step();
    if (!row) return in_file(row.error());
    if (!*row) break;
    auto record = detail::read_cdr(*select, 1);
    if (!record) return in_file(record.error());
    page.cdrs.push_back(StoredCdr{CdrId(static_cast<std::uint64_t>(select->column_int64(0))), std::move(*record)});
  }
  if (page.cdrs.size() > filter.limit) {
    page.cdrs.pop_back();
    page.next_cursor = page.cdrs.back().id;
  }
  for (StoredCdr& cdr : page.cdrs) {
    if (auto read = read_metadata(cdr); !read) return tl::unexpected(read.error());
  }
  if (auto ended = transaction->commit(); !ended) return in_file(ended.error());
  return page;
}

Result<std::uint64_t> CdrStore::count() {
  SqliteStatement& count = database_->count_cdrs;
  const auto row = count.step();
  const std::uint64_t rows = row && *row ? static_cast<std::uint64_t>(count.column_int64(0)) : 0;
  count.reset();
  if (!row) return in_file(row.error());
  return rows;
}

}  // namespace voxgate::api
