#include "session/registry/in_memory_session_registry.hpp"

#include <array>

#include <algorithm>
#include <deque>
#include <limits>
#include <mutex>
#include <utility>

#include "session/registry/detail/filter_match.hpp"
#include "session/registry/detail/packed_record.hpp"
#include "session/registry/detail/session_store.hpp"
#include "session/registry/detail/subscriber_queue.hpp"

namespace voxgate::session {

namespace detail {

// Aligned so two shards' locks never share a cache line.
struct alignas(64) RegistryShard {
  mutable std::shared_mutex mutex;
  SessionStore store;
  // Terminated sessions in the order they ended, with the steady time they
  // did: expire() pops from the front.
  std::deque<std::pair<Clock::TimePoint, std::uint64_t>> ended_order;
  std::uint64_t created = 0;
  std::uint64_t active = 0;
  std::uint64_t ended = 0;
  std::uint64_t removed = 0;
  std::array<std::uint64_t, kSessionStateCount> in_state{};  // live and retained sessions per state
};

}  // namespace detail

namespace {

constexpr std::size_t kMaxShards = 1024;

tl::unexpected<Error> not_found(SessionId id) {
  return make_error(Errc::NotFound, "no session {}", id);
}

tl::unexpected<Error> with_id(const Error& error, SessionId id) {
  return make_error(error.code, "{} (session {})", error.message, id);
}

}  // namespace

class InMemorySessionRegistry::SubscriptionImpl final : public Subscription {
 public:
  SubscriptionImpl(InMemorySessionRegistry& registry, std::shared_ptr<detail::SubscriberQueue> queue) noexcept
      : registry_(registry), queue_(std::move(queue)) {}
  SubscriptionImpl(const SubscriptionImpl&) = delete;
  SubscriptionImpl& operator=(const SubscriptionImpl&) = delete;
  SubscriptionImpl(SubscriptionImpl&&) = delete;
  SubscriptionImpl& operator=(SubscriptionImpl&&) = delete;
  ~SubscriptionImpl() override {
    queue_->close();
    registry_.unsubscribe(queue_.get());
  }

  std::vector<SessionEvent> poll(std::size_t max_events) override { return queue_->poll(max_events); }

 private:
  InMemorySessionRegistry& registry_;
  std::shared_ptr<detail::SubscriberQueue> queue_;
};

Result<std::unique_ptr<InMemorySessionRegistry>> InMemorySessionRegistry::create(const Clock& clock,
                                                                                 InMemoryRegistryConfig config) {
  if (config.shards == 0 || config.shards > kMaxShards) {
    return make_error(Errc::InvalidArgument, "registry shards {} outside 1..{}", config.shards, kMaxShards);
  }
  return std::make_unique<InMemorySessionRegistry>(Token{}, clock, config);
}

InMemorySessionRegistry::InMemorySessionRegistry(Token /*unused*/, const Clock& clock, InMemoryRegistryConfig config)
    : clock_(clock), config_(config), shards_(std::make_unique<detail::RegistryShard[]>(config.shards)) {}

InMemorySessionRegistry::~InMemorySessionRegistry() = default;

detail::RegistryShard& InMemorySessionRegistry::shard_for(std::uint64_t id) const noexcept {
  return shards_[id % config_.shards];
}

Result<void> InMemorySessionRegistry::check_metadata(const Metadata& existing, std::string_view key) const {
  if (key.empty()) return make_error(Errc::InvalidArgument, "metadata key is empty");
  if (key.find('\0') != std::string_view::npos) return make_error(Errc::InvalidArgument, "metadata key holds a NUL");
  if (existing.size() >= config_.max_metadata_keys && existing.find(key) == existing.end()) {
    return make_error(Errc::LimitExceeded, "more than {} metadata keys", config_.max_metadata_keys);
  }
  return {};
}

void InMemorySessionRegistry::match_subscribers(const SessionRecord& record, Matched& matched) const {
  matched.clear();
  for (const auto& queue : subscribers_) matched.push_back(queue->filter().matches(record));
}

void InMemorySessionRegistry::publish(SessionEventKind kind, std::uint64_t sequence, const SessionRecord& record,
                                      const Matched& before, Wakes& wakes) const {
  for (std::size_t i = 0; i < subscribers_.size(); ++i) {
    const auto& queue = subscribers_[i];
    if (!before[i] && !queue->filter().matches(record)) continue;
    if (queue->push(kind, sequence, record)) wakes.push_back(queue);
  }
}

// Ordering of the change feed. The sequence is taken, and the event queued,
// under the exclusive lock of the session's shard, the lock that orders
// the changes themselves: two changes to one session are therefore
// numbered and queued in the order they were made, whichever threads made
// them. Changes to sessions in different shards are not ordered against
// each other (nothing made one happen before the other), so their events
// may reach a queue out of sequence order; a registry-wide lock to prevent
// that would serialise every writer.
template <InMemorySessionRegistry::Touches kTouches, class Apply>
Result<SessionRecord> InMemorySessionRegistry::change(SessionId id, Apply&& apply) {
  detail::RegistryShard& shard = shard_for(id.value());
  // Every path returns `result`, so it is built where the caller gets it
  // (NRVO); it starts as a placeholder error.
  Result<SessionRecord> result(tl::unexpect, Error{});
  Wakes wakes;
  {
    const std::unique_lock lock(shard.mutex);
    const detail::PackedRecord* stored = shard.store.find(id.value());
    if (stored == nullptr) {
      result = not_found(id);
      return result;
    }
    // The working copy: `apply` changes it, and only when it succeeds does
    // it replace the stored session, so a refused change leaves nothing
    // behind. It is also the snapshot published and returned.
    result.emplace(stored->unpacked());
    SessionRecord& record = *result;

    std::shared_lock subscribers_lock(subscribers_mutex_, std::defer_lock);
    Matched before;
    if (subscriber_count_.load(std::memory_order_acquire) > 0) {
      subscribers_lock.lock();
      match_subscribers(record, before);
    }
    Result<SessionEventKind> kind = std::forward<Apply>(apply)(shard, record);
    if (!kind) {
      result = with_id(kind.error(), id);
      return result;
    }
    ++record.version;
    const std::uint64_t sequence = next_sequence_.fetch_add(1, std::memory_order_relaxed) + 1;
    if constexpr (kTouches == Touches::Scalars) {
      shard.store.update_scalars(record);
    } else {
      shard.store.update(record);
    }
    if (subscribers_lock.owns_lock()) publish(*kind, sequence, record, before, wakes);
  }
  for (const auto& queue : wakes) queue->wake();
  return result;
}

Result<SessionRecord> InMemorySessionRegistry::create(NewSession fields) {
  if (fields.call_id.empty()) return make_error(Errc::InvalidArgument, "a session needs a Call-ID");
  if (fields.metadata.size() > config_.max_metadata_keys) {
    return make_error(Errc::LimitExceeded, "more than {} metadata keys", config_.max_metadata_keys);
  }
  for (const auto& [key, value] : fields.metadata) {
    if (auto checked = check_metadata({}, key); !checked) return tl::unexpected(checked.error());
  }

  SessionRecord record;
  record.id = SessionId(next_id_.fetch_add(1, std::memory_order_relaxed) + 1);
  record.call_id = std::move(fields.call_id);
  record.local_tag = std::move(fields.local_tag);
  record.remote_tag = std::move(fields.remote_tag);
  record.direction = fields.direction;
  record.local = std::move(fields.local);
  record.remote = std::move(fields.remote);
  record.metadata = std::move(fields.metadata);
  record.created = clock_.wall_now();
  record.version = 1;

  detail::RegistryShard& shard = shard_for(record.id.value());
  Wakes wakes;
  {
    const std::unique_lock lock(shard.mutex);
    shard.store.insert(record);
    ++shard.created;
    ++shard.active;
    ++shard.in_state[static_cast<std::size_t>(SessionState::Initializing)];
    const std::uint64_t sequence = next_sequence_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (subscriber_count_.load(std::memory_order_acquire) > 0) {
      const std::shared_lock subscribers_lock(subscribers_mutex_);
      const Matched before(subscribers_.size(), false);
      publish(SessionEventKind::Created, sequence, record, before, wakes);
    }
  }
  for (const auto& queue : wakes) queue->wake();
  return record;
}

// The copy is made under the shard's shared lock: other readers go on, and
// this shard's writers wait for one unpacking.
Result<SessionRecord> InMemorySessionRegistry::get(SessionId id) const {
  const detail::RegistryShard& shard = shard_for(id.value());
  {
    const std::shared_lock lock(shard.mutex);
    if (const detail::PackedRecord* stored = shard.store.find(id.value()); stored != nullptr) return stored->unpacked();
  }
  return not_found(id);
}

Result<SessionRecord> InMemorySessionRegistry::update_state(SessionId id, SessionState to, TransitionCause cause) {
  if (to == SessionState::Terminated) {
    return make_error(Errc::InvalidArgument, "session {} ends through end(), which records why", id);
  }
  return change<Touches::Scalars>(id,
                                  [&](detail::RegistryShard& shard, SessionRecord& record) -> Result<SessionEventKind> {
                                    if (auto checked = check_transition(record.state, to); !checked)
                                      return tl::unexpected(checked.error());
                                    --shard.in_state[static_cast<std::size_t>(record.state)];
                                    ++shard.in_state[static_cast<std::size_t>(to)];
                                    record.state = to;
                                    record.last_cause = cause;
                                    if (to == SessionState::Connected && !record.answered)
                                      record.answered = clock_.wall_now();
                                    return SessionEventKind::Updated;
                                  });
}

Result<SessionRecord> InMemorySessionRegistry::update_media_state(SessionId id, MediaState to, TransitionCause cause) {
  return change<Touches::Scalars>(
      id, [&](detail::RegistryShard& /*shard*/, SessionRecord& record) -> Result<SessionEventKind> {
        if (auto checked = check_transition(record.media_state, to); !checked) return tl::unexpected(checked.error());
        record.media_state = to;
        record.last_cause = cause;
        return SessionEventKind::Updated;
      });
}

Result<SessionRecord> InMemorySessionRegistry::set_media(SessionId id, MediaSummary media) {
  return change<Touches::Anything>(
      id, [&](detail::RegistryShard& /*shard*/, SessionRecord& record) -> Result<SessionEventKind> {
        record.media = std::move(media);
        return SessionEventKind::Updated;
      });
}

Result<SessionRecord> InMemorySessionRegistry::set_remote_tag(SessionId id, std::string tag) {
  return change<Touches::Anything>(
      id, [&](detail::RegistryShard& /*shard*/, SessionRecord& record) -> Result<SessionEventKind> {
        record.remote_tag = std::move(tag);
        return SessionEventKind::Updated;
      });
}

Result<SessionRecord> InMemorySessionRegistry::set_metadata(SessionId id, std::string key, std::string value) {
  return change<Touches::Anything>(
      id, [&](detail::RegistryShard& /*shard*/, SessionRecord& record) -> Result<SessionEventKind> {
        if (auto checked = check_metadata(record.metadata, key); !checked) return tl::unexpected(checked.error());
        record.metadata.insert_or_assign(std::move(key), std::move(value));
        return SessionEventKind::Updated;
      });
}

Result<SessionRecord> InMemorySessionRegistry::remove_metadata(SessionId id, std::string_view key) {
  return change<Touches::Anything>(
      id, [&](detail::RegistryShard& /*shard*/, SessionRecord& record) -> Result<SessionEventKind> {
        const auto found = record.metadata.find(key);
        if (found == record.metadata.end()) return make_error(Errc::NotFound, "no metadata key '{}'", key);
        record.metadata.erase(found);
        return SessionEventKind::Updated;
      });
}

Result<SessionRecord> InMemorySessionRegistry::end(SessionId id, EndInfo info) {
  return change<Touches::Anything>(
      id, [&](detail::RegistryShard& shard, SessionRecord& record) -> Result<SessionEventKind> {
        if (auto checked = check_transition(record.state, SessionState::Terminated); !checked) {
          return tl::unexpected(checked.error());
        }
        --shard.in_state[static_cast<std::size_t>(record.state)];
        ++shard.in_state[static_cast<std::size_t>(SessionState::Terminated)];
        record.state = SessionState::Terminated;
        // Every media state but None may stop (the table), and an ended call
        // has no stream.
        if (record.media_state != MediaState::None) record.media_state = MediaState::None;
        record.last_cause = info.cause;
        record.end_info = std::move(info);
        record.ended = clock_.wall_now();
        // Taken under the shard lock, so the queue stays in time order.
        shard.ended_order.emplace_back(clock_.now(), record.id.value());
        --shard.active;
        ++shard.ended;
        return SessionEventKind::Ended;
      });
}

// Two passes so that a page copies only the records it returns: first the
// ids (each shard's smallest matching ids, and no more than the smallest
// `limit` found so far allow), then the records, each checked again since
// it may have changed between the passes.
Result<SessionPage> InMemorySessionRegistry::list(const SessionFilter& filter) const {
  if (auto valid = validate(filter); !valid) return tl::unexpected(valid.error());
  const std::uint64_t after = filter.cursor ? filter.cursor->value() : 0;
  std::uint64_t bound = std::numeric_limits<std::uint64_t>::max();
  std::vector<std::uint64_t> chosen;
  std::vector<std::uint64_t> found;
  chosen.reserve(2 * filter.limit);
  for (std::size_t s = 0; s < config_.shards; ++s) {
    found.clear();
    {
      const std::shared_lock lock(shards_[s].mutex);
      shards_[s].store.find_matching(filter, after, bound, filter.limit, found);
    }
    const auto middle = chosen.insert(chosen.end(), found.begin(), found.end());
    std::inplace_merge(chosen.begin(), middle, chosen.end());
    if (chosen.size() >= filter.limit) {
      chosen.resize(filter.limit);
      bound = chosen.back();
    }
  }

  SessionPage page;
  page.records.reserve(chosen.size());
  for (const std::uint64_t id : chosen) {
    const detail::RegistryShard& shard = shard_for(id);
    const std::shared_lock lock(shard.mutex);
    const detail::PackedRecord* stored = shard.store.find(id);
    if (stored != nullptr && detail::filter_matches(filter, *stored)) page.records.emplace_back(stored->unpacked());
  }
  if (chosen.size() == filter.limit) page.next_cursor = SessionId(chosen.back());
  return page;
}

RegistryCounts InMemorySessionRegistry::counts() const {
  RegistryCounts counts;
  for (std::size_t s = 0; s < config_.shards; ++s) {
    const std::shared_lock lock(shards_[s].mutex);
    counts.created += shards_[s].created;
    counts.active += shards_[s].active;
    counts.ended += shards_[s].ended;
    counts.removed += shards_[s].removed;
    for (std::size_t i = 0; i < kSessionStateCount; ++i) counts.by_state[i] += shards_[s].in_state[i];
    counts.retained += shards_[s].store.size() - shards_[s].active;
  }
  return counts;
}

std::size_t InMemorySessionRegistry::expire() {
  std::size_t expired = 0;
  for (std::size_t s = 0; s < config_.shards; ++s) {
    detail::RegistryShard& shard = shards_[s];
    Wakes wakes;
    {
      const std::unique_lock lock(shard.mutex);
      const Clock::TimePoint now = clock_.now();
      std::shared_lock subscribers_lock(subscribers_mutex_, std::defer_lock);
      if (subscriber_count_.load(std::memory_order_acquire) > 0) subscribers_lock.lock();
      while (!shard.ended_order.empty() && shard.ended_order.front().first + config_.retention <= now) {
        const std::uint64_t id = shard.ended_order.front().second;
        shard.ended_order.pop_front();
        std::optional<SessionRecord> removed = shard.store.erase(id);
        if (!removed) continue;
        ++shard.removed;
        --shard.in_state[static_cast<std::size_t>(SessionState::Terminated)];
        ++expired;
        const std::uint64_t sequence = next_sequence_.fetch_add(1, std::memory_order_relaxed) + 1;
        if (subscribers_lock.owns_lock()) {
          const Matched before(subscribers_.size(), false);
          publish(SessionEventKind::Removed, sequence, *removed, before, wakes);
        }
      }
    }
    for (const auto& queue : wakes) queue->wake();
  }
  return expired;
}

Result<std::unique_ptr<Subscription>> InMemorySessionRegistry::subscribe(SessionFilter filter, WakeFunction wake) {
  for (const auto& [key, value] : filter.metadata) {
    if (key.empty()) return make_error(Errc::InvalidArgument, "metadata filter with an empty key");
  }
  auto queue =
      std::make_shared<detail::SubscriberQueue>(std::move(filter), std::move(wake), config_.subscriber_queue_capacity);
  {
    const std::unique_lock lock(subscribers_mutex_);
    subscribers_.push_back(queue);
    subscriber_count_.store(subscribers_.size(), std::memory_order_release);
  }
  return std::make_unique<SubscriptionImpl>(*this, std::move(queue));
}

void InMemorySessionRegistry::unsubscribe(const detail::SubscriberQueue* queue) {
  const std::unique_lock lock(subscribers_mutex_);
  std::erase_if(subscribers_, [&](const auto& candidate) { return candidate.get() == queue; });
  subscriber_count_.store(subscribers_.size(), std::memory_order_release);
}

}  // namespace voxgate::session
