#pragma once
// The application's side of one session (seed 000's session <-> app
// contract): the typed events a session delivers to its app, on the
// session's own loop, and what the app answers where an answer is needed.
// What the app sends back (seed 000's BotAudioReady, HangupRequested) are
// calls on the Session it is given: play_audio(), hangup().
//
//   CallProgress    outbound: a provisional response (180 Ringing, 183...)
//   CallStarted     the call is answered and its media runs
//   HoldChanged     the call went on hold or came off it (either side)
//   PcmReceived     one frame of the caller's audio (only if wants_audio())
//   DtmfReceived    a key the caller pressed (RFC 4733, in-band or SIP INFO)
//   SessionTimeout  the peer did not refresh the session (RFC 4028 §10)
//   MediaAppFinished the attached media app has nothing more to say (a
//                   prompt played once); it was detached
//   AudioPlayed     a frame of what play_audio() queued left for the wire
//   TransferAccepted the transferee accepted our REFER (Session::transfer)
//   TransferProgress it tells how its call to the target goes (1xx)
//   TransferFailed  the transfer failed; the call is back in Connected (or
//                   OnHold). A success is the CallEnded that follows, with
//                   cause Transferred.
//   CallEnded       the session is over; the last event
//
// And requests the app may refuse (the default: Unsupported):
//   SayRequested    speak this text (the API's say); only apps that speak
//                   text (the voice bot) take it
//
// An app is owned by its session and lives until after CallEnded. Every
// handler must return at once: slow work happens elsewhere and is posted
// back to the session's loop.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/result.hpp"
#include "session/registry/session_record.hpp"

namespace voxgate::sdp {
struct NegotiatedMedia;
}

namespace voxgate::session {

class Session;

struct CallProgress {
  std::uint16_t status = 180;
};

struct CallStarted {
  const sdp::NegotiatedMedia& media;
};

struct PcmReceived {
  std::span<const std::int16_t> frame;  // 20 ms, linear 16-bit mono
  int sample_rate = 8000;
};

enum class DtmfVia : std::uint8_t { Rfc4733, Inband, SipInfo };

struct DtmfReceived {
  char digit = '0';  // '0'-'9', '*', '#', 'A'-'D'
  DtmfVia via = DtmfVia::Rfc4733;
};

struct HoldChanged {
  bool held = false;
  bool by_us = false;  // our re-offer did it, not the peer's
};

struct SessionTimeout {};

struct MediaAppFinished {};

// Every frame that takes queued audio (play_audio) reports it, to the
// sample: what the caller has heard is what was played.
struct AudioPlayed {
  std::size_t samples = 0;       // this frame's share of the queue
  std::size_t still_queued = 0;  // left after it; 0: the queue ran dry
};

struct CallEnded {
  const EndInfo& end;
};

// Our blind transfer (Session::transfer, RFC 3515). `status` is the REFER's
// 2xx (Accepted), the status line of the transferee's NOTIFY (Progress:
// 1xx; Failed: >= 300), or the REFER's refusal, or 408 when no outcome came
// in time (Failed).
struct TransferAccepted {
  std::uint16_t status = 202;
};

struct TransferProgress {
  std::uint16_t status = 100;
};

struct TransferFailed {
  std::uint16_t status = 0;
};

// Speak `text` to the caller; `handle` names it in the app's events
// (bot.said) and in a later cancel.
struct SayRequested {
  std::string_view handle;
  std::string_view text;
};

// What to do when the session timer expires.
enum class TimeoutDecision : std::uint8_t {
  Hangup,  // BYE with Reason: SIP;cause=408 (RFC 4028 §10), the default
  Keep,    // go on without a session timer
};

class SessionApp {
 public:
  SessionApp() = default;
  SessionApp(const SessionApp&) = delete;
  SessionApp& operator=(const SessionApp&) = delete;
  virtual ~SessionApp() = default;

  // True when the app consumes the caller's audio (PcmReceived); false
  // spares the stream decoding it for nobody.
  [[nodiscard]] virtual bool wants_audio() const noexcept { return false; }

  virtual void on_call_progress(const CallProgress& /*event*/, Session& /*session*/) {}
  virtual void on_call_started(const CallStarted& /*event*/, Session& /*session*/) {}
  virtual void on_hold_changed(const HoldChanged& /*event*/, Session& /*session*/) {}
  virtual void on_pcm_received(const PcmReceived& /*event*/, Session& /*session*/) {}
  virtual void on_dtmf_received(const DtmfReceived& /*event*/, Session& /*session*/) {}
  virtual TimeoutDecision on_session_timeout(const SessionTimeout& /*event*/, Session& /*session*/) {
    return TimeoutDecision::Hangup;
  }
  virtual void on_media_app_finished(const MediaAppFinished& /*event*/, Session& /*session*/) {}
  virtual void on_audio_played(const AudioPlayed& /*event*/, Session& /*session*/) {}
  virtual void on_transfer_accepted(const TransferAccepted& /*event*/, Session& /*session*/) {}
  virtual void on_transfer_progress(const TransferProgress& /*event*/, Session& /*session*/) {}
  virtual void on_transfer_failed(const TransferFailed& /*event*/, Session& /*session*/) {}
  virtual void on_call_ended(const CallEnded& /*event*/, Session& /*session*/) {}

  // Requests (Session::say): accepted means queued; how it ends is the
  // app's own event. NotFound when cancelling a handle no longer speaking.
  virtual Result<void> on_say(const SayRequested& /*request*/, Session& /*session*/) {
    return make_error(Errc::Unsupported, "the app serving this call does not speak text (the voice bot does)");
  }
  virtual Result<void> on_cancel_say(std::string_view /*handle*/, Session& /*session*/) {
    return make_error(Errc::Unsupported, "the app serving this call does not speak text (the voice bot does)");
  }
};

std::string_view to_string(DtmfVia via) noexcept;

}  // namespace voxgate::session
