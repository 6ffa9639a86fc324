#include "session/registry/detail/session_store.hpp"

#include <algorithm>
#include <utility>

namespace voxgate::session::detail {

namespace {

// The smallest matching ids of one index.
template <class Map>
void walk(const Map& map, const SessionFilter& filter, std::uint64_t after, std::uint64_t bound, std::size_t limit,
          std::vector<std::uint64_t>& ids) {
  std::size_t found = 0;
  for (auto it = map.upper_bound(after); it != map.end() && it->first <= bound && found < limit; ++it) {
    if (filter.matches(*it->second)) {
      ids.push_back(it->first);
      ++found;
    }
  }
}

}  // namespace

const SessionRecord* SessionStore::find(std::uint64_t id) const noexcept {
  const auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

SessionRecord* SessionStore::find_for_update(std::uint64_t id) noexcept {
  const auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

SessionRecord& SessionStore::insert(SessionRecord record) {
  const std::uint64_t id = record.id.value();
  SessionRecord& stored = records_.insert_or_assign(id, std::move(record)).first->second;
  all_.emplace(id, &stored);
  by_state_[static_cast<std::size_t>(stored.state)].emplace(id, &stored);
  for (const auto& [key, value] : stored.metadata) index_metadata(id, key, value, &stored);
  return stored;
}

std::optional<SessionRecord> SessionStore::erase(std::uint64_t id) {
  const auto it = records_.find(id);
  if (it == records_.end()) return std::nullopt;
  all_.erase(id);
  by_state_[static_cast<std::size_t>(it->second.state)].erase(id);
  for (const auto& [key, value] : it->second.metadata) unindex_metadata(id, key, value);
  SessionRecord record = std::move(it->second);
  records_.erase(it);
  return record;
}

void SessionStore::set_state(SessionRecord& record, SessionState to) {
  const std::uint64_t id = record.id.value();
  by_state_[static_cast<std::size_t>(record.state)].erase(id);
  by_state_[static_cast<std::size_t>(to)].emplace(id, &record);
  record.state = to;
}

void SessionStore::set_metadata(SessionRecord& record, std::string key, std::string value) {
  const std::uint64_t id = record.id.value();
  const auto it = record.metadata.find(std::string_view(key));
  if (it != record.metadata.end()) {
    if (it->second == value) return;
    unindex_metadata(id, it->first, it->second);
    it->second = std::move(value);
    index_metadata(id, it->first, it->second, &record);
    return;
  }
  const auto inserted = record.metadata.emplace(std::move(key), std::move(value)).first;
  index_metadata(id, inserted->first, inserted->second, &record);
}

bool SessionStore::remove_metadata(SessionRecord& record, std::string_view key) {
  const auto it = record.metadata.find(key);
  if (it == record.metadata.end()) return false;
  unindex_metadata(record.id.value(), it->first, it->second);
  record.metadata.erase(it);
  return true;
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

  if (by_metadata < all && by_metadata <= by_state) {
    walk(*metadata_index, filter, after, bound, limit, ids);
  } else if (by_state < all) {
    // One walk per state; the indexes are disjoint, so the smallest `limit`
    // of their union are among the smallest `limit` of each.
    const std::size_t first = ids.size();
    for (std::size_t s = 0; s < kSessionStateCount; ++s) {
      if (filter.states.contains(static_cast<SessionState>(s))) walk(by_state_[s], filter, after, bound, limit, ids);
    }
    std::sort(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.end());
    if (ids.size() - first > limit) ids.resize(first + limit);
  } else {
    walk(all_, filter, after, bound, limit, ids);
  }
}

std::string SessionStore::metadata_key(std::string_view key, std::string_view value) {
  std::string joined;
  joined.reserve(key.size() + 1 + value.size());
  joined.append(key).push_back('\0');
  joined.append(value);
  return joined;
}

void SessionStore::index_metadata(std::uint64_t id, std::string_view key, std::string_view value,
                                  const SessionRecord* record) {
  by_metadata_[metadata_key(key, value)].emplace(id, record);
}

void SessionStore::unindex_metadata(std::uint64_t id, std::string_view key, std::string_view value) {
  const auto it = by_metadata_.find(metadata_key(key, value));
  if (it == by_metadata_.end()) return;
  it->second.erase(id);
  if (it->second.empty()) by_metadata_.erase(it);
}

}  // namespace voxgate::session::detail
