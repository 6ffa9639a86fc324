#pragma once
// One shard's sessions and the indexes that make a filtered list cheap
// (private to the in-memory registry; not thread-safe, the shard's lock
// guards it). Each session is one PackedRecord block (packed_record.hpp
// says why), found through an open-addressing hash table of 16-byte slots
// (id, block pointer): a get() reads a control byte group, a slot and the
// block, where the node-based map before it read a bucket, the node before
// and the node. Every index, including the one of all sessions, is a set
// of ids in id order, the order of list() and its cursor; a candidate is
// looked up in the table to be checked against a filter, unless the index
// alone answers it (a filter on states only, or on one metadata pair only).
//
// Indexes: by state, and by metadata key=value. A list of 100 that matches
// 1 % of 100,000 sessions would otherwise read 10,000 records; through an
// index it reads about the 100 it returns.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "session/registry/detail/packed_record.hpp"
#include "session/registry/session_filter.hpp"
#include "session/registry/session_record.hpp"
#include "session/registry/session_state.hpp"

namespace voxgate::session::detail {

class SessionStore {
 public:
  SessionStore() = default;
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;
  SessionStore(SessionStore&&) = delete;
  SessionStore& operator=(SessionStore&&) = delete;
  ~SessionStore() = default;

  // Valid until the next change to the store.
  [[nodiscard]] const PackedRecord* find(std::uint64_t id) const noexcept;

  // A session whose id is not stored yet.
  void insert(const SessionRecord& record);
  // The new contents of a stored session (same id): any field may have
  // changed; the indexes follow the state and the metadata. False (and
  // nothing changed) when the id is not stored.
  bool update(const SessionRecord& record);
  // The same when only fields outside strings changed (PackedRecord::
  // assign_scalars): a state change costs no string copy and no metadata
  // comparison.
  bool update_scalars(const SessionRecord& record);
  std::optional<SessionRecord> erase(std::uint64_t id);

  // Appends to `ids`, ascending, the ids in (after, bound] of records the
  // filter matches, at most `limit` of them: the smallest such ids. Walks
  // whichever of all records, the state indexes or a metadata index holds
  // the fewest candidates.
  void find_matching(const SessionFilter& filter, std::uint64_t after, std::uint64_t bound, std::size_t limit,
                     std::vector<std::uint64_t>& ids) const;

  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }

 private:
  using Index = std::set<std::uint64_t>;

  void walk(const Index& index, const SessionFilter& filter, bool covered, std::uint64_t after, std::uint64_t bound,
            std::size_t limit, std::vector<std::uint64_t>& ids) const;
  static std::string metadata_key(std::string_view key, std::string_view value);
  void index_metadata(std::uint64_t id, std::string_view key, std::string_view value);
  void unindex_metadata(std::uint64_t id, std::string_view key, std::string_view value);
  // Moves `id` in the metadata indexes from the pairs of `before` to those of `after`.
  void reindex_metadata(std::uint64_t id, const PackedRecord& before, const Metadata& after);
  void reindex_state(std::uint64_t id, SessionState before, SessionState after);

  // The ids are a shard's share of a sequence, which is no good hash on its
  // own: boost's flat map mixes the bits of hashes not marked avalanching.
  boost::unordered_flat_map<std::uint64_t, PackedRecord> records_;
  Index all_;
  std::array<Index, kSessionStateCount> by_state_;
  // key + '\0' + value (keys hold no NUL) -> the sessions with that pair.
  std::unordered_map<std::string, Index> by_metadata_;
};

}  // namespace voxgate::session::detail
