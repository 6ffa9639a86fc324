#pragma once
// The session registry in this process's memory (the interface and its
// guarantees: session_registry.hpp).
//
// Concurrency: sessions are spread over N shards by id, each a
// std::shared_mutex over a store of packed records with indexes
// (detail/session_store.hpp). get() and list() take shard locks shared
// while they copy records out, changes take one shard's lock exclusively
// for a few map operations, a copy out and a write back of one record; no
// call holds two shard locks, and no callback runs under a lock, so a
// worker loop never waits long for another.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "base/small_vector.hpp"
#include "session/registry/session_registry.hpp"

namespace voxgate::session {

namespace detail {
class SubscriberQueue;
struct RegistryShard;
}  // namespace detail

struct InMemoryRegistryConfig {
  std::size_t shards = 16;  // more shards, fewer writers meeting on one lock
  // How long a Terminated session stays gettable and listable.
  Clock::Duration retention = std::chrono::minutes(5);
  // Events a subscriber may have waiting before it overflows.
  std::size_t subscriber_queue_capacity = 10'000;
  std::size_t max_metadata_keys = 64;  // per session
};

class InMemorySessionRegistry final : public SessionRegistry {
  struct Token {};  // create() is the way in; it checks the configuration

 public:
  // InvalidArgument for 0 shards or more than 1,024.
  static Result<std::unique_ptr<InMemorySessionRegistry>> create(const Clock& clock,
                                                                 InMemoryRegistryConfig config = {});
  InMemorySessionRegistry(Token, const Clock& clock, InMemoryRegistryConfig config);
  ~InMemorySessionRegistry() override;

  Result<SessionRecord> create(NewSession fields) override;
  Result<SessionRecord> get(SessionId id) const override;
  Result<SessionRecord> update_state(SessionId id, SessionState to, TransitionCause cause) override;
  Result<SessionRecord> update_media_state(SessionId id, MediaState to, TransitionCause cause) override;
  Result<SessionRecord> set_media(SessionId id, MediaSummary media) override;
  Result<SessionRecord> set_remote_tag(SessionId id, std::string tag) override;
  Result<SessionRecord> set_metadata(SessionId id, std::string key, std::string value) override;
  Result<SessionRecord> remove_metadata(SessionId id, std::string_view key) override;
  Result<SessionRecord> end(SessionId id, EndInfo info) override;
  Result<SessionPage> list(const SessionFilter& filter) const override;
  RegistryCounts counts() const override;
  Result<std::unique_ptr<Subscription>> subscribe(SessionFilter filter, WakeFunction wake) override;

  // Removes the Terminated sessions whose retention has run out by
  // clock.now() (a Removed event each) and returns how many. The owner
  // calls it from a timer; once a second is plenty.
  std::size_t expire();

 private:
  class SubscriptionImpl;
  using Subscribers = std::vector<std::shared_ptr<detail::SubscriberQueue>>;
  using Wakes = SmallVector<std::shared_ptr<detail::SubscriberQueue>, 4>;
  using Matched = SmallVector<bool, 8>;

  detail::RegistryShard& shard_for(std::uint64_t id) const noexcept;
  Result<void> check_metadata(const Metadata& existing, std::string_view key) const;

  // What a change may touch: Scalars when it changes no string, metadata
  // or optional holding a string (states, causes, times), so the stored
  // record is patched rather than rewritten.
  enum class Touches : bool { Scalars, Anything };

  // The one path for a change to an existing session: under the shard's
  // lock, `apply` validates and changes a copy of the record (or returns an
  // error, and the stored one stays as it was), then the version and
  // sequence advance, the copy replaces the stored record and the
  // subscribers get the event; they are woken after the lock is released.
  template <Touches kTouches, class Apply>
  Result<SessionRecord> change(SessionId id, Apply&& apply);

  // Under a shard lock: which subscribers match `record` now (for a
  // subscriber, before the change) ...
  void match_subscribers(const SessionRecord& record, Matched& matched) const;
  // ... and the queueing of the change for those that matched before or
  // match after. Needs subscribers_mutex_ held shared.
  void publish(SessionEventKind kind, std::uint64_t sequence, const SessionRecord& record, const Matched& before,
               Wakes& wakes) const;
  void unsubscribe(const detail::SubscriberQueue* queue);

  const Clock& clock_;
  const InMemoryRegistryConfig config_;
  std::unique_ptr<detail::RegistryShard[]> shards_;

  std::atomic<std::uint64_t> next_id_{0};
  // Taken inside the shard lock of the change it numbers: see change().
  std::atomic<std::uint64_t> next_sequence_{0};

  mutable std::shared_mutex subscribers_mutex_;  // subscribers_
  Subscribers subscribers_;
  // Read without the lock so that changes skip subscriber matching
  // entirely when nobody listens.
  std::atomic<std::size_t> subscriber_count_{0};
};

}  // namespace voxgate::session
