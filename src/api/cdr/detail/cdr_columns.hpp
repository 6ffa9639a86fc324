#pragma once
// The cdrs table's columns (detail/cdr_schema.cpp) and the one mapping
// between them and a CallDetailRecord, for the insert and the select alike:
// a field added here is written and read back in the same order.

#include <string_view>

#include "api/cdr/cdr_record.hpp"
#include "api/cdr/detail/sqlite.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"

namespace voxgate::api::detail {

// Every column but id and metadata, in binding order.
inline constexpr std::string_view kCdrColumns =
    "session_id, call_id, direction, local_uri, local_display_name, remote_uri, remote_display_name, "
    "created_ns, answered_ns, ended_ns, duration_ns, ended_by, sip_status, reason, cause, codec, remote_rtp, "
    "packets_sent, packets_received, packets_lost, jitter_ms";
inline constexpr int kCdrColumnCount = 21;
// "?, ?, ..." for kCdrColumns.
inline constexpr std::string_view kCdrPlaceholders = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

// Unix time in nanoseconds, as stored.
std::int64_t to_unix_ns(Clock::WallTime time) noexcept;
Clock::WallTime from_unix_ns(std::int64_t ns) noexcept;

// Binds parameters 1..kCdrColumnCount. The record's strings are bound
// without copying: keep it alive until the statement is stepped and reset.
void bind_cdr(SqliteStatement& statement, const CallDetailRecord& record) noexcept;

// The record in kCdrColumns order from `first_column` on, metadata left
// empty. Io when a stored enum text is not one we write (a damaged file).
Result<CallDetailRecord> read_cdr(const SqliteStatement& statement, int first_column);

}  // namespace voxgate::api::detail
