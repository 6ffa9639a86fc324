#include "session/registry/detail/session_store.hpp"

#include <algorithm>
#include <utility>

#include "session/registry/detail/filter_match.hpp"

namespace voxgate::session::detail {

const PackedRecord* SessionStore::find(std::uint64_t id) const noexcept {
  const auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

void SessionStore::insert(const SessionRecord& record) {
  const std::uint64_t id = record.id.value();
  records_.insert_or_assign(id, PackedRecord(record));
  all_.insert(id);
  by_state_[static_cast<std::size_t>(record.state)].insert(id);
  for (const auto& [key, value] : record.metadata) index_metadata(id, key, value);
}

bool SessionStore::update(const SessionRecord& record) {
  const std::uint64_t id = record.id.value();
  const auto it = records_.find(id);
  if (it == records_.end()) return false;
  PackedRecord& stored = it->second;
  // The indexes first: they compare with the old contents, which assign()
  // overwrites.
  reindex_state(id, stored.state(), record.state);
  reindex_metadata(id, stored, record.metadata);
  stored.assign(record);
  return true;
}

bool SessionStore::update_scalars(const SessionRecord& record) {
  const std::uint64_t id = record.id.value();
  const auto it = records_.find(id);
  if (it == records_.end()) return false;
  reindex_state(id, it->second.state(), record.state);
  it->second.assign_scalars(record);
  return true;
}

std::optional<SessionRecord> SessionStore::erase(std::uint64_t id) {
  const auto it = records_.find(id);
  if (it == records_.end()) return std::nullopt;
  const PackedRecord& stored = it->second;
  all_.erase(id);
  by_state_[static_cast<std::size_t>(stored.state())].erase(id);
  for (std::size_t i = 0; i < stored.metadata_size(); ++i) {
    unindex_metadata(id, stored.metadata_key(i), stored.metadata_value(i));
  }
  SessionRecord record = stored.unpack();
  records_.erase(it);
  return record;
}

// The smallest matching ids of one index. When the index alone answers
// the filter (`covered`), its ids are taken without reading their records:
// a record is a cache miss wherever its block happens to lie, and a page
// of 100 from 16 shards walks up to 1,600 candidates.
void SessionStore::walk(const Index& index, const SessionFilter& filter, bool covered, std::uint64_t after,
                        std::uint64_t bound, std::size_t limit, std::vector<std::uint64_t>& ids) const {
  std::size_t found = 0;
  for (auto it = index.upper_bound(after); it != index.end() && *it <= bound && found < limit; ++it) {
    if (!covered) {
      const PackedRecord* record = find(*it);
      if (record == nullptr || !filter_matches(filter, *record)) continue;
    }
    ids.push_back(*it);
    ++found;
  }
}

void SessionStore::find_matching(const SessionFilter& filter, std::uint64_t after, std::uint64_t bound,
                                 std::size_t limit, std::vector<std::uint64_t>& ids) const {
  // The candidates of each plan, and the cheapest plan.
  std::size_t state_candidates = 0;
  if (!filter.states.empty()) {
    for (std::size_t s = 0; s < kSessionStateCount; ++s) {
      if (filter.states.contains(static_cast<SessionState>(s))) state_candidates += by_state_[s].size();
    }
  }
  const Index* metadata_index = nullptr;
  for (const auto& [key, value] : filter.metadata) {
    const auto it = by_metadata_.find(metadata_key(key, value));
    if (it == by_metadata_.end()) return;  // no session has this pair
    if (metadata_index == nullptr || it->second.size() < metadata_index->size()) metadata_index = &it->second;
  }
  const std::size_t all = records_.size();
  const std::size_t by_metadata = metadata_index != nullptr ? metadata_index->size() : all;
  const std::size_t by_state = filter.states.empty() ? all : state_candidates;
  // The criteria no index answers.
  const bool unindexed = filter.direction || !filter.party.empty() || filter.created_after || filter.created_before;

  if (by_metadata < all && by_metadata <= by_state) {
    const bool covered = !unindexed && filter.states.empty() && filter.metadata.size() == 1;
    walk(*metadata_index, filter, covered, after, bound, limit, ids);
  } else if (by_state < all) {
    // One walk per state; the indexes are disjoint, so the smallest `limit`
    // of their union are among the smallest `limit` of each.
    const bool covered = !unindexed && filter.metadata.empty();
    const std::size_t first = ids.size();
    for (std::size_t s = 0; s < kSessionStateCount; ++s) {
      if (filter.states.contains(static_cast<SessionState>(s))) {
        walk(by_state_[s], filter, covered, after, bound, limit, ids);
      }
    }
    std::sort(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.end());
    if (ids.size() - first > limit) ids.resize(first + limit);
  } else {
    const bool covered = !unindexed && filter.states.empty() && filter.metadata.empty();
    walk(all_, filter, covered, after, bound, limit, ids);
  }
}

std::string SessionStore::metadata_key(std::string_view key, std::string_view value) {
  std::string joined;
  joined.reserve(key.size() + 1 + value.size());
  joined.append(key).push_back('\0');
  joined.append(value);
  return joined;
}

void SessionStore::index_metadata(std::uint64_t id, std::string_view key, std::string_view value) {
  by_metadata_[metadata_key(key, value)].insert(id);
}

void SessionStore::unindex_metadata(std::uint64_t id, std::string_view key, std::string_view value) {
  const auto it = by_metadata_.find(metadata_key(key, value));
  if (it == by_metadata_.end()) return;
  it->second.erase(id);
  if (it->second.empty()) by_metadata_.erase(it);
}

void SessionStore::reindex_state(std::uint64_t id, SessionState before, SessionState after) {
  if (before == after) return;
  by_state_[static_cast<std::size_t>(before)].erase(id);
  by_state_[static_cast<std::size_t>(after)].insert(id);
}

// Both sides are in key order, so one merge pass finds the pairs that went,
// came or changed value; an unchanged pair costs a comparison, no index
// operation.
void SessionStore::reindex_metadata(std::uint64_t id, const PackedRecord& before, const Metadata& after) {
  std::size_t i = 0;
  auto it = after.begin();
  while (i < before.metadata_size() || it != after.end()) {
    if (it == after.end() || (i < before.metadata_size() && before.metadata_key(i) < it->first)) {
      unindex_metadata(id, before.metadata_key(i), before.metadata_value(i));
      ++i;
    } else if (i == before.metadata_size() || it->first < before.metadata_key(i)) {
      index_metadata(id, it->first, it->second);
      ++it;
    } else {
      if (before.metadata_value(i) != it->second) {
        unindex_metadata(id, before.metadata_key(i), before.metadata_value(i));
        index_metadata(id, it->first, it->second);
      }
      ++i;
      ++it;
    }
  }
}

}  // namespace voxgate::session::detail
