#include "api/cdr/detail/cdr_columns.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "session/registry/session_record.hpp"

namespace voxgate::api::detail {

namespace {

// Counted rather than written out: the placeholders and the columns must agree.
static_assert(kCdrPlaceholders.size() == 3 * kCdrColumnCount - 2);

constexpr std::array kDirections = {session::Direction::Inbound, session::Direction::Outbound};
constexpr std::array kEndedBys = {session::EndedBy::Local, session::EndedBy::Remote, session::EndedBy::System};

template <class Enum, std::size_t N>
std::optional<Enum> parse(std::string_view text, const std::array<Enum, N>& values) noexcept {
  for (const Enum value : values) {
    if (session::to_string(value) == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::int64_t to_unix_ns(Clock::WallTime time) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

Clock::WallTime from_unix_ns(std::int64_t ns) noexcept {
  return Clock::WallTime(std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::nanoseconds(ns)));
}

void bind_cdr(SqliteStatement& statement, const CallDetailRecord& record) noexcept {
  int i = 0;
  // SQLite integers are signed 64-bit; the unsigned counters and ids go in
  // as their two's-complement bits and come back unchanged.
  statement.bind_int64(++i, static_cast<std::int64_t>(record.session_id.value()));
  statement.bind_text(++i, record.call_id);
  statement.bind_text(++i, session::to_string(record.direction));
  statement.bind_text(++i, record.local.uri);
  statement.bind_text(++i, record.local.display_name);
  statement.bind_text(++i, record.remote.uri);
  statement.bind_text(++i, record.remote.display_name);
  statement.bind_int64(++i, to_unix_ns(record.created));
  if (record.answered) {
    statement.bind_int64(++i, to_unix_ns(*record.answered));
  } else {
    statement.bind_null(++i);
  }
  statement.bind_int64(++i, to_unix_ns(record.ended));
  statement.bind_int64(++i, std::chrono::duration_cast<std::chrono::nanoseconds>(record.duration).count());
  statement.bind_text(++i, session::to_string(record.ended_by));
  statement.bind_int64(++i, record.sip_status);
  statement.bind_text(++i, record.reason);
  statement.bind_text(++i, record.cause);
  statement.bind_text(++i, record.codec);
  statement.bind_text(++i, record.remote_rtp);
  statement.bind_int64(++i, static_cast<std::int64_t>(record.packets_sent));
  statement.bind_int64(++i, static_cast<std::int64_t>(record.packets_received));
  statement.bind_int64(++i, record.packets_lost);
  statement.bind_double(++i, record.jitter_ms);
}

Result<CallDetailRecord> read_cdr(const SqliteStatement& statement, int first_column) {
  int c = first_column;
  CallDetailRecord record;
  record.session_id = session::SessionId(static_cast<std::uint64_t>(statement.column_int64(c++)));
  record.call_id = statement.column_text(c++);
  const std::string direction = statement.column_text(c++);
  const auto parsed_direction = parse(direction, kDirections);
  if (!parsed_direction) return make_error(Errc::Io, "unknown direction '{}' in a stored CDR", direction);
  record.direction = *parsed_direction;
  record.local.uri = statement.column_text(c++);
  record.local.display_name = statement.column_text(c++);
  record.remote.uri = statement.column_text(c++);
  record.remote.display_name = statement.column_text(c++);
  record.created = from_unix_ns(statement.column_int64(c++));
  if (!statement.column_is_null(c)) record.answered = from_unix_ns(statement.column_int64(c));
  ++c;
  record.ended = from_unix_ns(statement.column_int64(c++));
  record.duration = std::chrono::nanoseconds(statement.column_int64(c++));
  const std::string ended_by = statement.column_text(c++);
  const auto parsed_ended_by = parse(ended_by, kEndedBys);
  if (!parsed_ended_by) return make_error(Errc::Io, "unknown ended_by '{}' in a stored CDR", ended_by);
  record.ended_by = *parsed_ended_by;
  record.sip_status = static_cast<std::uint16_t>(statement.column_int64(c++));
  record.reason = statement.column_text(c++);
  record.cause = statement.column_text(c++);
  record.codec = statement.column_text(c++);
  record.remote_rtp = statement.column_text(c++);
  record.packets_sent = static_cast<std::uint64_t>(statement.column_int64(c++));
  record.packets_received = static_cast<std::uint64_t>(statement.column_int64(c++));
  record.packets_lost = statement.column_int64(c++);
  record.jitter_ms = statement.column_double(c++);
  return record;
}

}  // namespace voxgate::api::detail
