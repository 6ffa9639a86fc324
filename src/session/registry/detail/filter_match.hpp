#pragma once
// The one implementation of SessionFilter::matches, for both shapes a
// session takes: a SessionRecord (the public matches(), subscriptions) and
// the in-memory registry's PackedRecord (list() tests its candidates without
// unpacking them). A criterion added here holds for both.
//
// A record type provides state(), direction(), local_uri(), remote_uri(),
// created() and metadata(key) -> std::optional<std::string_view>, as
// PackedRecord does; RecordFields gives a SessionRecord that shape.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "session/registry/session_filter.hpp"
#include "session/registry/session_record.hpp"
#include "session/registry/session_state.hpp"

namespace voxgate::session::detail {

template <class Record>
bool filter_matches(const SessionFilter& filter, const Record& record) noexcept {
  if (!filter.states.empty() && !filter.states.contains(record.state())) return false;
  if (filter.direction && *filter.direction != record.direction()) return false;
  if (!filter.party.empty() && record.local_uri().find(filter.party) == std::string_view::npos &&
      record.remote_uri().find(filter.party) == std::string_view::npos) {
    return false;
  }
  const bool inbound = record.direction() == Direction::Inbound;
  if (!filter.from.empty() &&
      (inbound ? record.remote_uri() : record.local_uri()).find(filter.from) == std::string_view::npos) {
    return false;
  }
  if (!filter.to.empty() &&
      (inbound ? record.local_uri() : record.remote_uri()).find(filter.to) == std::string_view::npos) {
    return false;
  }
  if (filter.created_after && !(record.created() > *filter.created_after)) return false;
  if (filter.created_before && !(record.created() < *filter.created_before)) return false;
  return std::all_of(filter.metadata.begin(), filter.metadata.end(), [&](const auto& wanted) {
    const std::optional<std::string_view> value = record.metadata(wanted.first);
    return value && *value == wanted.second;
  });
}

// A SessionRecord read through the accessors filter_matches uses.
class RecordFields {
 public:
  explicit RecordFields(const SessionRecord& record) noexcept : record_(record) {}

  [[nodiscard]] SessionState state() const noexcept { return record_.state; }
  [[nodiscard]] Direction direction() const noexcept { return record_.direction; }
  [[nodiscard]] std::string_view local_uri() const noexcept { return record_.local.uri; }
  [[nodiscard]] std::string_view remote_uri() const noexcept { return record_.remote.uri; }
  [[nodiscard]] Clock::WallTime created() const noexcept { return record_.created; }
  [[nodiscard]] std::optional<std::string_view> metadata(std::string_view key) const noexcept {
    const auto found = record_.metadata.find(key);
    if (found == record_.metadata.end()) return std::nullopt;
    return std::string_view(found->second);
  }

 private:
  const SessionRecord& record_;
};

}  // namespace voxgate::session::detail
