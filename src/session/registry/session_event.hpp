#pragma once
// One entry of the registry's change feed (session_registry.hpp).

#include <cstdint>
#include <string_view>

#include "session/registry/session_record.hpp"

namespace voxgate::session {

enum class SessionEventKind : std::uint8_t {
  Created,
  Updated,  // state, media, metadata, tags or media summary changed
  Ended,    // reached Terminated; the record carries end_info
  Removed,  // the retention ran out; the record is the last snapshot
  // The subscriber fell behind: its queue was full, so the events queued
  // before this one were dropped; the ones after it are complete again.
  // Resynchronise with list() and carry on with the events that follow
  // (skipping snapshots whose version is not above what list() showed).
  Overflow,
};

struct SessionEvent {
  SessionEventKind kind = SessionEventKind::Created;
  // Registry-wide, increasing in the order changes happened to any one
  // session (in_memory_session_registry.cpp, change(), says why not across sessions). For
  // Overflow: the sequence of the event that found the queue full (it
  // follows the Overflow event in the queue).
  std::uint64_t sequence = 0;
  SessionRecord record;  // empty for Overflow
};

std::string_view to_string(SessionEventKind kind) noexcept;

}  // namespace voxgate::session
