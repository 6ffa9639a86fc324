#pragma once
// The control plane's event history (GET /v1/events, webhooks, CDRs): the
// registry's change feed and the sessions' call events (DTMF, media,
// timers) merged into one sequence, numbered from 1, of which the newest
// `capacity` entries are kept. A WebSocket client resumes from the number
// of the last entry it saw (its cursor) and misses nothing still retained;
// one that fell further behind is told so with a gap entry first.
//
// Appends come from the worker loops (the registry's wake function polls
// synchronously, so a session's state changes and its call events enter
// the journal in the order they happened); observers hear of each entry
// as it is appended, under the journal's lock, so they must only queue
// (the CDR writer, the webhook dispatcher); readers wake through `notify`
// and read what is new with since().

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "session/call_event.hpp"
#include "session/registry/session_registry.hpp"

namespace voxgate::api {

struct JournalEntry {
  std::uint64_t sequence = 0;
  std::string type;               // "session.created", "session.updated", "session.ended", "call.dtmf", ...
  session::SessionRecord record;  // the session as it then was (filters match on it)
  std::string json;               // the entry as sent: {"seq":..,"type":..,"time":..,"session":{..},...}
  std::optional<session::MediaTotals> totals;  // call.media_stopped: the stream's counters
};

using JournalObserver = std::function<void(const JournalEntry& entry)>;

class EventJournal final : public session::CallEventSink {
 public:
  // `notify` is called (from the appending thread) after entries were
  // appended; typically it posts to the control plane's io_context.
  EventJournal(session::SessionRegistry& registry, const Clock& clock, std::size_t capacity,
               std::function<void()> notify);
  EventJournal(const EventJournal&) = delete;
  EventJournal& operator=(const EventJournal&) = delete;
  ~EventJournal() override;

  // Subscribes to the registry; before the first session.
  Result<void> start();
  // Before start().
  void add_observer(JournalObserver observer);

  // session::CallEventSink (the worker loops)
  void on_call_event(session::CallEvent event) override;

  struct Slice {
    std::vector<std::shared_ptr<const JournalEntry>> entries;  // after the cursor, oldest first
    bool gap = false;          // entries after the cursor were dropped: the client missed some
    std::uint64_t oldest = 0;  // the oldest entry still retained (0: none yet)
  };
  // At most `max` entries with sequence > cursor.
  [[nodiscard]] Slice since(std::uint64_t cursor, std::size_t max) const;
  [[nodiscard]] std::uint64_t last_sequence() const;

 private:
  void drain();
  // Under mutex_.
  void append(std::string type, const session::SessionRecord& record, std::string extra_json_fields,
              std::optional<session::MediaTotals> totals = std::nullopt);

  session::SessionRegistry& registry_;
  const Clock& clock_;
  const std::size_t capacity_;
  std::function<void()> notify_;
  std::vector<JournalObserver> observers_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const JournalEntry>> entries_;
  std::uint64_t next_sequence_ = 1;
  std::unique_ptr<session::Subscription> subscription_;
};

}  // namespace voxgate::api
