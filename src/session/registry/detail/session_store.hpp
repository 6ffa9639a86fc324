#pragma once
// One shard's sessions and the indexes that make a filtered list cheap
// (private to the in-memory registry; not thread-safe, the shard's lock
// guards it). Records live in a hash map, so get() costs one or two cache
// misses rather than a tree's dozen; every index, including the one of all
// records, is ordered by id, the order of list() and its cursor.
//
// Indexes: by state, and by metadata key=value. A list of 100 that matches
// 1 % of 100,000 sessions would otherwise read 10,000 records; through an
// index it reads about the 100 it returns.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "session/registry/session_filter.hpp"
#include "session/registry/session_record.hpp"
#include "session/registry/session_state.hpp"

namespace voxgate::session::detail {

class SessionStore {
 public:
  SessionStore() = default;
  // The indexes point at the records.
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;
  SessionStore(SessionStore&&) = delete;
  SessionStore& operator=(SessionStore&&) = delete;
  ~SessionStore() = default;

  [[nodiscard]] const SessionRecord* find(std::uint64_t id) const noexcept;
  // For the fields no index covers; state and metadata change through
  // set_state and set/remove_metadata, which keep the indexes in step.
  [[nodiscard]] SessionRecord* find_for_update(std::uint64_t id) noexcept;

  SessionRecord& insert(SessionRecord record);
  std::optional<SessionRecord> erase(std::uint64_t id);

  void set_state(SessionRecord& record, SessionState to);
  void set_metadata(SessionRecord& record, std::string key, std::string value);
  // False when the key is absent.
  bool remove_metadata(SessionRecord& record, std::string_view key);

  // Appends to `ids`, ascending, the ids in (after, bound] of records the
  // filter matches, at most `limit` of them: the smallest such ids. Walks
  // whichever of all records, the state indexes or a metadata index holds
  // the fewest candidates.
  void find_matching(const SessionFilter& filter, std::uint64_t after, std::uint64_t bound, std::size_t limit,
                     std::vector<std::uint64_t>& ids) const;

  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }

 private:
  using Index = std::map<std::uint64_t, const SessionRecord*>;

  static std::string metadata_key(std::string_view key, std::string_view value);
  void index_metadata(std::uint64_t id, std::string_view key, std::string_view value, const SessionRecord* record);
  void unindex_metadata(std::uint64_t id, std::string_view key, std::string_view value);

  std::unordered_map<std::uint64_t, SessionRecord> records_;  // nodes: the indexes' pointers stay valid
  Index all_;
  std::array<Index, kSessionStateCount> by_state_;
  // key + '\0' + value (keys hold no NUL) -> the sessions with that pair.
  std::unordered_map<std::string, Index> by_metadata_;
};

}  // namespace voxgate::session::detail
