#pragma once
// Writes one CDR per ended session (issue 6): a journal observer that
// builds the CDR from the session's last record and its stream's counters
// (the call.media_stopped entry that precedes session.ended) and hands it
// to the CdrWriter, whose thread does the disk work. It sees every entry
// as it is appended, so nothing depends on the journal's retention.

#include <unordered_map>

#include "api/cdr/cdr_writer.hpp"
#include "api/event_journal.hpp"

namespace voxgate::api {

class CdrRecorder {
 public:
  explicit CdrRecorder(CdrWriter& writer) : writer_(writer) {}

  // The journal observer (under the journal's lock).
  void on_entry(const JournalEntry& entry);

 private:
  CdrWriter& writer_;
  std::unordered_map<session::SessionId, session::MediaTotals> totals_;  // stream stopped, session not yet ended
};

}  // namespace voxgate::api
