#pragma once
// What the session registry knows about one session, as a value. A
// SessionRecord is a snapshot: it holds no pointers into the registry, so it
// can be kept, sent to another thread or serialised (a Redis registry will
// hand out the same type).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/strong_id.hpp"
#include "session/registry/session_state.hpp"

namespace voxgate::session {

// Assigned by the registry, increasing in creation order; never reused.
using SessionId = StrongId<struct VoiceSessionIdTag>;

enum class Direction : std::uint8_t { Inbound, Outbound };

struct Party {
  std::string uri;  // the SIP URI from From/To, as received or sent
  std::string display_name;

  friend bool operator==(const Party&, const Party&) = default;
};

enum class EndedBy : std::uint8_t {
  Local,   // we hung up, cancelled or rejected
  Remote,  // the peer's BYE, CANCEL or final error response
  System,  // a timer, a transport failure, shutdown
};

struct EndInfo {
  EndedBy by = EndedBy::System;
  std::uint16_t sip_status = 0;  // the final status that ended it (e.g. 486), 0 when a BYE did
  std::string reason;            // Reason header text (RFC 3326), empty when none
  TransitionCause cause = TransitionCause::HangupLocal;

  friend bool operator==(const EndInfo&, const EndInfo&) = default;
};

// The negotiated media in a form worth listing; the full SDP stays with the
// session's media.
struct MediaSummary {
  std::string codec;       // e.g. "PCMU/8000"
  std::string remote_rtp;  // e.g. "192.0.2.10:40000"

  friend bool operator==(const MediaSummary&, const MediaSummary&) = default;
};

// Ordered so snapshots compare and print the same way every time;
// transparent so lookups by string_view do not allocate.
using Metadata = std::map<std::string, std::string, std::less<>>;

// The fields a caller chooses when it creates a session; the registry fills
// in the rest (id, times, states, version).
struct NewSession {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;  // empty until the peer's tag is known (outbound)
  Direction direction = Direction::Inbound;
  Party local;
  Party remote;
  Metadata metadata;
};

struct SessionRecord {
  SessionId id;
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  Direction direction = Direction::Inbound;
  Party local;
  Party remote;
  Clock::WallTime created;
  std::optional<Clock::WallTime> answered;  // first reached Connected
  std::optional<Clock::WallTime> ended;     // reached Terminated
  SessionState state = SessionState::Initializing;
  MediaState media_state = MediaState::None;
  std::optional<TransitionCause> last_cause;  // why the last state or media change happened
  std::optional<EndInfo> end_info;            // set exactly when state is Terminated
  std::optional<MediaSummary> media;
  Metadata metadata;
  // 1 at creation, +1 on every change, so a consumer of the change feed can
  // tell a newer snapshot from an older one (and skip what list() already
  // showed it).
  std::uint64_t version = 0;

  friend bool operator==(const SessionRecord&, const SessionRecord&) = default;
};

std::string_view to_string(Direction direction) noexcept;
std::string_view to_string(EndedBy by) noexcept;

}  // namespace voxgate::session
