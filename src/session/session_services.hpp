#pragma once
// What every session of one worker loop shares, owned by that loop's
// SessionManager and handed to each Session by reference: the loop's SIP
// dialog layer, timers and clock, its media (nullptr: signalling only), the
// process-wide registry and limits, the settings, and the loop's counters.

#include <chrono>
#include <cstdint>
#include <string>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "media/stream/media_loop.hpp"
#include "runtime/timer_service.hpp"
#include "sdp/local_media.hpp"
#include "session/call_event.hpp"
#include "session/registry/session_registry.hpp"
#include "session/registry/session_state.hpp"
#include "session/session_limits.hpp"
#include "session/stream_config.hpp"

namespace voxgate::sip {
class DialogLayer;
}

namespace voxgate::session {

struct SessionSettings {
  sdp::LocalMediaConfig media;  // what we offer and answer with; rtp_port is filled per call
  StreamSettings stream;
  int app_sample_rate = 8000;  // the PCM rate apps and PcmReceived see
  // An outbound call not answered by then is cancelled (0: never).
  std::chrono::milliseconds outbound_timeout{60000};
};

// Per loop. Every session that reached the manager ends in exactly one of
// `failed` (never established) or `ended` (established, then over).
struct SessionStats {
  std::uint64_t inbound = 0;   // INVITEs that got a session
  std::uint64_t outbound = 0;  // make_call()s that sent an INVITE
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;  // by the policy or a deferred reject
  std::uint64_t redirected = 0;
  std::uint64_t deferred = 0;
  std::uint64_t watchdog_expired = 0;  // deferred, and nobody decided in time
  std::uint64_t refused_by_limit = 0;  // 503/486 before any session existed
  std::uint64_t no_rtp_port = 0;
  std::uint64_t answered = 0;
  std::uint64_t failed = 0;
  std::uint64_t ended = 0;
  std::uint64_t media_failed = 0;  // answered, but no stream could start: hung up
  std::uint64_t media_ended = 0;   // hung up because the stream ended by itself
  std::uint64_t dtmf_digits = 0;
  std::uint64_t registry_errors = 0;  // a registry write refused (a bug if ever non-zero)
  // Media totals over the sessions whose stream ended.
  std::uint64_t media_streams = 0;
  std::uint64_t media_packets_received = 0;
  std::uint64_t media_packets_sent = 0;
  std::int64_t media_lost = 0;
  std::uint64_t media_concealed = 0;

  SessionStats& operator+=(const SessionStats& other) noexcept;
};

struct SessionServices {
  sip::DialogLayer* layer = nullptr;  // set by SessionManager::attach before the first call
  runtime::Timers& timers;
  const Clock& clock;
  media::MediaLoop* media;    // nullptr: sessions without media (signalling tests)
  media::RtpPortPool* ports;  // with media
  SessionRegistry& registry;
  SessionLimits& limits;
  SessionSettings settings;
  Logger log;
  CallEventSink* events = nullptr;  // nullptr: nobody listens
  SessionStats stats;
  TransitionCounts transitions;
};

}  // namespace voxgate::session
