#pragma once
// How an application decides about an incoming call: the session manager
// creates the session (it is in the registry from the first moment), then
// asks the IncomingCallPolicy, which returns one decision:
//
//   accept    answer (after ringing for `answer_after`, if set) and serve
//             the call with a SessionApp and/or a media app (echo, tone...)
//   reject    a final status 400-699 with an optional reason phrase
//   redirect  a 3xx with Contact headers (RFC 3261 §8.3, §21.3)
//   defer     ring, and decide later through Session::accept / reject /
//             redirect; a watchdog rejects the call (480) if nobody does
//             in time, so a forgotten call cannot ring forever

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "media/apps/media_app.hpp"
#include "session/registry/session_record.hpp"
#include "session/session_app.hpp"
#include "sip/message/message.hpp"

namespace voxgate::session {

// Valid during IncomingCallPolicy::on_incoming_call only.
struct IncomingCall {
  SessionId session;
  Party from;                  // the caller
  Party to;                    // whom it called
  std::string request_uri;     // the INVITE's Request-URI
  std::string source;          // the address the INVITE came from: "192.0.2.4"
  const sip::Message& invite;  // every header, for routing on anything else
};

struct IncomingDecision {
  enum class Kind : std::uint8_t { Accept, Reject, Redirect, Defer };

  Kind kind = Kind::Defer;
  // Accept
  std::unique_ptr<SessionApp> app;             // nullptr: no events wanted
  std::unique_ptr<media::MediaApp> media_app;  // nullptr: silence unless the app plays audio
  std::chrono::milliseconds answer_after{0};   // ring (180) this long first
  // Reject, Redirect
  std::uint16_t status = 0;
  std::string reason;                 // Reject: the reason phrase, "" for the default
  std::vector<std::string> contacts;  // Redirect: Contact values, "<sip:bob@192.0.2.5>"
  // Defer: reject with 480 if no decision came by then.
  std::chrono::milliseconds watchdog{10000};
  // Any kind: lands on the session's metadata (a route's, say).
  Metadata metadata;

  static IncomingDecision accept(std::unique_ptr<SessionApp> app, std::unique_ptr<media::MediaApp> media_app = nullptr,
                                 std::chrono::milliseconds answer_after = std::chrono::milliseconds(0)) {
    IncomingDecision d;
    d.kind = Kind::Accept;
    d.app = std::move(app);
    d.media_app = std::move(media_app);
    d.answer_after = answer_after;
    return d;
  }
  static IncomingDecision reject(std::uint16_t status, std::string reason = {}) {
    IncomingDecision d;
    d.kind = Kind::Reject;
    d.status = status;
    d.reason = std::move(reason);
    return d;
  }
  static IncomingDecision redirect(std::uint16_t status, std::vector<std::string> contacts) {
    IncomingDecision d;
    d.kind = Kind::Redirect;
    d.status = status;
    d.contacts = std::move(contacts);
    return d;
  }
  static IncomingDecision defer(std::chrono::milliseconds watchdog = std::chrono::milliseconds(10000)) {
    IncomingDecision d;
    d.kind = Kind::Defer;
    d.watchdog = watchdog;
    return d;
  }
};

class IncomingCallPolicy {
 public:
  virtual ~IncomingCallPolicy() = default;
  // On the loop of the call. The session exists (Initializing); after a
  // defer, the caller keeps the id and finds the session through its
  // SessionManager.
  virtual IncomingDecision on_incoming_call(const IncomingCall& call) = 0;
};

}  // namespace voxgate::session
