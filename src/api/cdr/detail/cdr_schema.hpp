#pragma once
// The CDR database's settings and schema, in one place: what a CdrStore
// connection runs once after opening the file. The schema carries its
// version in PRAGMA user_version, so a later voxgate can migrate a file an
// earlier one wrote, and an earlier one refuses a file it cannot read.

#include <sqlite3.h>

#include "base/result.hpp"

namespace voxgate::api::detail {

inline constexpr int kCdrSchemaVersion = 1;

// Puts the file in WAL mode (a reader beside the writer), then creates the
// schema when the file has none. Io when the file is not a database or
// SQLite refuses; Unsupported for a schema newer than kCdrSchemaVersion.
Result<void> set_up_cdr_database(sqlite3* db);

}  // namespace voxgate::api::detail
