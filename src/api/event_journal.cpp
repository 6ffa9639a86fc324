#include "api/event_journal.hpp"

#include <utility>

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_codec.hpp"

namespace voxgate::api {
namespace {

std::string type_of(session::SessionEventKind kind) {
  return fmt::format("session.{}", snake_case(session::to_string(kind)));
}

}  // namespace

EventJournal::EventJournal(session::SessionRegistry& registry, const Clock& clock, std::size_t capacity,
                           std::function<void()> notify)
    : registry_(registry), clock_(clock), capacity_(capacity == 0 ? 1 : capacity), notify_(std::move(notify)) {}

EventJournal::~EventJournal() {
  // The subscription goes first: its wake function may run drain().
  subscription_.reset();
}

void EventJournal::add_observer(JournalObserver observer) {
  observers_.push_back(std::move(observer));
}

Result<void> EventJournal::start() {
  // The registry allows a wake function to poll synchronously: the entry
  // is in the journal before the worker loop moves on.
  auto subscription = registry_.subscribe(session::SessionFilter{}, [this] { drain(); });
  if (!subscription) return tl::unexpected(subscription.error());
  subscription_ = std::move(*subscription);
  return {};
}

void EventJournal::drain() {
  bool appended = false;
  {
    const std::lock_guard lock(mutex_);
    if (subscription_ == nullptr) return;
    for (;;) {
      auto events = subscription_->poll(256);
      if (events.empty()) break;
      for (const auto& event : events) {
        if (event.kind == session::SessionEventKind::Overflow) {
          // Cannot happen while drain() runs on every wake; kept visible if it does.
          append("journal.overflow", {}, {});
        } else {
          append(type_of(event.kind), event.record, {});
        }
        appended = true;
      }
    }
  }
  if (appended && notify_) notify_();
}

void EventJournal::on_call_event(session::CallEvent event) {
  auto record = registry_.get(event.session);
  if (!record) return;  // removed already: nobody can follow it
  boost::json::object extra;
  switch (event.kind) {
    case session::CallEventKind::Dtmf:
      extra["digit"] = event.detail;
      extra["via"] = event.via;
      break;
    case session::CallEventKind::MediaStarted: extra["codec"] = event.detail; break;
    case session::CallEventKind::MediaStopped: {
      boost::json::object rtp;
      rtp["packets_sent"] = event.totals.packets_sent;
      rtp["packets_received"] = event.totals.packets_received;
      rtp["packets_lost"] = event.totals.packets_lost;
      rtp["jitter_ms"] = event.totals.jitter_ms;
      extra["rtp"] = std::move(rtp);
      break;
    }
    case session::CallEventKind::TimerExpired: break;
    case session::CallEventKind::TransferRequested:
    case session::CallEventKind::TransferAccepted:
    case session::CallEventKind::TransferProgress:
    case session::CallEventKind::TransferSucceeded:
    case session::CallEventKind::TransferFailed:
    case session::CallEventKind::App: {
      // The application's fields as it gave them (a transfer's: target and
      // status, from the session); a detail that is not a JSON object is
      // kept as a string rather than lost.
      boost::system::error_code error;
      auto fields = boost::json::parse(event.detail, error);
      if (!error && fields.is_object()) {
        extra = std::move(fields.as_object());
      } else {
        extra["detail"] = event.detail;
      }
      break;
    }
  }
  {
    const std::lock_guard lock(mutex_);
    // What the registry said before this event belongs before it.
    if (subscription_ != nullptr) {
      for (auto events = subscription_->poll(256); !events.empty(); events = subscription_->poll(256)) {
        for (const auto& queued : events) append(type_of(queued.kind), queued.record, {});
      }
    }
    std::string fields = boost::json::serialize(extra);  // {"digit":"5",...}
    std::optional<session::MediaTotals> totals;
    if (event.kind == session::CallEventKind::MediaStopped) totals = event.totals;
    std::string type = event.kind == session::CallEventKind::App
                           ? event.via
                           : fmt::format("call.{}", snake_case(session::to_string(event.kind)));
    append(std::move(type), *record, fields, totals);
  }
  if (notify_) notify_();
}

void EventJournal::append(std::string type, const session::SessionRecord& record, std::string extra_json_fields,
                          std::optional<session::MediaTotals> totals) {
  auto entry = std::make_shared<JournalEntry>();
  entry->totals = totals;
  entry->sequence = next_sequence_++;
  entry->type = std::move(type);
  entry->record = record;
  boost::json::object object;
  object["seq"] = entry->sequence;
  object["type"] = entry->type;
  object["time"] = format_time(clock_.wall_now());
  object["session"] = to_json(record);
  std::string json = boost::json::serialize(object);
  if (extra_json_fields.size() > 2) {
    // Merge {"digit":..} into the object's top level, after "session".
    json.pop_back();
    json += ',';
    json.append(extra_json_fields, 1);
  }
  entry->json = std::move(json);
  for (const auto& observer : observers_) observer(*entry);
  entries_.push_back(std::move(entry));
  if (entries_.size() > capacity_) entries_.pop_front();
}

EventJournal::Slice EventJournal::since(std::uint64_t cursor, std::size_t max) const {
  const std::lock_guard lock(mutex_);
  Slice slice;
  if (entries_.empty()) return slice;
  const std::uint64_t first = entries_.front()->sequence;
  slice.oldest = first;
  slice.gap = cursor + 1 < first;
  const std::uint64_t start = cursor < first ? first : cursor + 1;
  for (std::size_t i = static_cast<std::size_t>(start - first); i < entries_.size() && slice.entries.size() < max;
       ++i) {
    slice.entries.push_back(entries_[i]);
  }
  return slice;
}

std::uint64_t EventJournal::last_sequence() const {
  const std::lock_guard lock(mutex_);
  return next_sequence_ - 1;
}

}  // namespace voxgate::api
