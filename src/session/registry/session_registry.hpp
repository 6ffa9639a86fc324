#pragma once
// The registry of every session (issue 5, seed 001): create, read, update,
// list with filters, end, and a change feed. An interface, so the in-memory
// registry (in_memory_session_registry.hpp) can be replaced by a shared one
// (Redis) without changing its callers; nothing it returns points into the
// store.
//
// Every method may be called from any thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "session/registry/session_event.hpp"
#include "session/registry/session_filter.hpp"
#include "session/registry/session_record.hpp"
#include "session/registry/session_state.hpp"

namespace voxgate::session {

struct SessionPage {
  std::vector<SessionRecord> records;  // in id order
  // Set when there may be more: pass it as the next filter's cursor. The
  // last page may come back empty.
  std::optional<SessionId> next_cursor;
};

// Leak accounting. Always created == active + ended, and
// ended == retained + removed: every session that ever ended counts in
// `ended`, whether it is still kept for its retention or already removed.
struct RegistryCounts {
  std::uint64_t created = 0;
  std::uint64_t active = 0;    // not yet Terminated
  std::uint64_t ended = 0;     // reached Terminated, ever
  std::uint64_t retained = 0;  // Terminated and still gettable
  std::uint64_t removed = 0;   // Terminated and removed after the retention
  // Sessions in each state now (indexed by SessionState), retained
  // Terminated ones included: the sum is active + retained.
  std::array<std::uint64_t, kSessionStateCount> by_state{};

  friend bool operator==(const RegistryCounts&, const RegistryCounts&) = default;
};

// A change-feed subscription; destroying it unsubscribes. After the
// destructor returns, its wake function is not running and will not be
// called again. It must not outlive the registry that made it.
class Subscription {
 public:
  Subscription() = default;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  Subscription(Subscription&&) = delete;
  Subscription& operator=(Subscription&&) = delete;
  virtual ~Subscription() = default;

  // Up to max_events queued events, oldest first. The wake function is
  // called again only after a poll has emptied the queue, so a woken
  // subscriber polls until it gets nothing.
  virtual std::vector<SessionEvent> poll(std::size_t max_events = std::numeric_limits<std::size_t>::max()) = 0;
};

// Called (from whichever thread made the change, with no registry lock
// held) when events wait in a subscription that had none. It must be cheap
// (typically: post a task to the subscriber's own loop), and must neither
// call the registry nor destroy the subscription synchronously.
using WakeFunction = std::function<void()>;

class SessionRegistry {
 public:
  SessionRegistry() = default;
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;
  SessionRegistry(SessionRegistry&&) = delete;
  SessionRegistry& operator=(SessionRegistry&&) = delete;
  virtual ~SessionRegistry() = default;

  // A new session in Initializing with media None, version 1.
  // InvalidArgument: empty Call-ID, or bad metadata (see set_metadata).
  virtual Result<SessionRecord> create(NewSession fields) = 0;

  // NotFound when the id was never issued or its retention ran out.
  virtual Result<SessionRecord> get(SessionId id) const = 0;

  // A move the state table allows (session_state.hpp), else InvalidState
  // naming both states. Terminated is reached through end() only, so it
  // comes with its EndInfo (InvalidArgument here). Reaching Connected the
  // first time sets `answered`.
  virtual Result<SessionRecord> update_state(SessionId id, SessionState to, TransitionCause cause) = 0;
  virtual Result<SessionRecord> update_media_state(SessionId id, MediaState to, TransitionCause cause) = 0;
  virtual Result<SessionRecord> set_media(SessionId id, MediaSummary media) = 0;
  // The peer's tag, once an outbound call learns it.
  virtual Result<SessionRecord> set_remote_tag(SessionId id, std::string tag) = 0;

  // Adds or replaces one key. InvalidArgument for an empty key or one with
  // a NUL; LimitExceeded beyond the registry's keys per session.
  virtual Result<SessionRecord> set_metadata(SessionId id, std::string key, std::string value) = 0;
  // NotFound when the key is absent.
  virtual Result<SessionRecord> remove_metadata(SessionId id, std::string_view key) = 0;

  // Moves to Terminated (InvalidState if already there), stops the media
  // state (None) and records when and why.
  virtual Result<SessionRecord> end(SessionId id, EndInfo info) = 0;

  // The matching sessions after filter.cursor, in id order. Not a snapshot
  // of one instant: every session that exists, unchanged in whether it
  // matches, for the whole paging is returned exactly once; one created or
  // changed meanwhile may or may not be.
  virtual Result<SessionPage> list(const SessionFilter& filter) const = 0;

  virtual RegistryCounts counts() const = 0;

  // Every change from now on that concerns a session the filter matches,
  // before or after the change, becomes an event in the subscription's own
  // queue: a session that stops matching yields one last Updated event (its
  // record no longer matches; filter.matches tells), one that starts
  // matching yields an Updated event (not Created). Limit and cursor are
  // ignored. To start from the current state, subscribe first, then list().
  virtual Result<std::unique_ptr<Subscription>> subscribe(SessionFilter filter, WakeFunction wake) = 0;
};

}  // namespace voxgate::session
