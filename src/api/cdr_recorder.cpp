#include "api/cdr_recorder.hpp"

namespace voxgate::api {

void CdrRecorder::on_entry(const JournalEntry& entry) {
  if (entry.totals) {
    totals_[entry.record.id] = *entry.totals;
    return;
  }
  if (entry.type != "session.ended") return;
  CallDetailRecord cdr = cdr_from(entry.record);
  if (const auto found = totals_.find(entry.record.id); found != totals_.end()) {
    cdr.packets_sent = found->second.packets_sent;
    cdr.packets_received = found->second.packets_received;
    cdr.packets_lost = found->second.packets_lost;
    cdr.jitter_ms = found->second.jitter_ms;
    totals_.erase(found);
  }
  writer_.submit(std::move(cdr));
}

}  // namespace voxgate::api
