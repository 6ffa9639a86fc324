#pragma once
// A call detail record: what voxgate keeps about one session after it ended
// (issue 6), as a value. The CDR store (cdr_store.hpp) writes one row per
// CallDetailRecord; cdr_from() fills one from the registry's last snapshot
// of the session, and the caller adds what only the media knows:
//
//   CallDetailRecord cdr = cdr_from(ended_record);
//   cdr.packets_sent = stats.packets_sent;  // ... and the other RTP stats
//   cdr_writer.submit(std::move(cdr));

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.hpp"
#include "base/strong_id.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::api {

// The store's number for a stored CDR: unique within its database file and
// increasing in insertion order. Session ids start again at 1 when the
// process restarts; CDR ids do not.
using CdrId = StrongId<struct CdrIdTag>;

struct CallDetailRecord {
  session::SessionId session_id;
  std::string call_id;
  session::Direction direction = session::Direction::Inbound;
  session::Party local;
  session::Party remote;

  Clock::WallTime created;
  std::optional<Clock::WallTime> answered;  // unset when the call was never answered
  Clock::WallTime ended;
  // Answered to ended, the billable time; zero when never answered.
  Clock::Duration duration{0};

  session::EndedBy ended_by = session::EndedBy::System;
  std::uint16_t sip_status = 0;  // the final status that ended it (e.g. 486), 0 when a BYE did
  std::string reason;            // Reason header text (RFC 3326), empty when none
  std::string cause;             // to_string(session::TransitionCause), e.g. "hangup-remote"

  std::string codec;       // e.g. "PCMU/8000", empty when no media was agreed
  std::string remote_rtp;  // e.g. "192.0.2.10:40000"

  // RTP statistics of the session's stream (RFC 3550 §6.4).
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;
  std::int64_t packets_lost = 0;  // cumulative, signed: duplicates can make it negative (RFC 3550 §6.4.1)
  double jitter_ms = 0.0;         // interarrival jitter

  session::Metadata metadata;

  friend bool operator==(const CallDetailRecord&, const CallDetailRecord&) = default;
};

// A CDR with every field the registry's record of an ended session has; the
// RTP statistics stay zero for the caller to fill. Meant for a Terminated
// record: for one that has not ended (a caller's bug) `ended` is its
// creation time and the end fields keep their defaults, with the record's
// last cause.
CallDetailRecord cdr_from(const session::SessionRecord& ended_record);

}  // namespace voxgate::api
