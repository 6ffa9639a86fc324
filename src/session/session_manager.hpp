#pragma once
// The sessions of one worker loop (docs/SESSIONS.md): it is the dialog
// layer's IncomingCallHandler and the observer of every call it places,
// turns each call into a Session registered in the SessionRegistry, asks
// the IncomingCallPolicy about incoming calls, enforces the SessionLimits,
// and forwards the dialog layer's reports to the session they concern.
//
// Ended sessions are collected on a later turn of the loop (never inside
// a callback that may still be running in them).
//
//   SessionManager sessions(services..., policy);
//   sessions.attach(dialog_layer);       // the layer that calls it
//   auto id = sessions.make_call({...});  // outbound
//   sessions.find(id)->hangup();

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "session/incoming_call.hpp"
#include "session/session.hpp"
#include "session/session_services.hpp"
#include "sip/dialog/call_observer.hpp"

namespace voxgate::sip {
class DialogLayer;
}

namespace voxgate::session {

struct OutboundCall {
  std::string target;              // Request-URI: "sip:bob@192.0.2.4:5060"
  std::string from;                // "Voxgate <sip:gw@example.com>" (no tag)
  std::string to;                  // "" for <target>
  std::vector<std::string> route;  // preloaded route, each "<sip:...;lr>"
  std::unique_ptr<SessionApp> app;
  std::unique_ptr<media::MediaApp> media_app;
  Metadata metadata;
  // Cancel when not answered by then; nullopt: the settings' default.
  std::optional<std::chrono::milliseconds> timeout;
};

class SessionManager final : public sip::IncomingCallHandler {
 public:
  // `media`/`ports`: nullptr for sessions without media. Every reference
  // must outlive the manager.
  SessionManager(runtime::Timers& timers, const Clock& clock, media::MediaLoop* media, media::RtpPortPool* ports,
                 SessionRegistry& registry, SessionLimits& limits, SessionSettings settings, Logger log,
                 IncomingCallPolicy& policy);
  SessionManager(const SessionManager&) = delete;
  SessionManager& operator=(const SessionManager&) = delete;
  ~SessionManager() override;

  // The dialog layer of this loop; before the first call.
  void attach(sip::DialogLayer& layer) noexcept { services_.layer = &layer; }
  // Where the sessions report their call events (DTMF, media, timers);
  // before the first call. It must outlive the manager.
  void report_events_to(CallEventSink& sink) noexcept { services_.events = &sink; }

  // Places a call; the session is Dialing when this returns.
  Result<SessionId> make_call(OutboundCall call);

  // A live session of this loop (ended ones until they are collected);
  // nullptr otherwise.
  [[nodiscard]] Session* find(SessionId id) noexcept;
  [[nodiscard]] std::size_t sessions() const noexcept { return by_call_.size(); }
  // Hangs up every session (shutdown): BYE, CANCEL or 480 as each stands.
  void hangup_all(std::string_view reason = {});

  [[nodiscard]] const SessionStats& stats() const noexcept { return services_.stats; }
  [[nodiscard]] const TransitionCounts& transitions() const noexcept { return services_.transitions; }

  // sip::IncomingCallHandler
  sip::CallDecision on_invite(const sip::IncomingInvite& invite) override;
  void on_call_progress(sip::CallHandle call, std::uint16_t status, std::string_view remote_tag) override;
  void on_call_answered(sip::CallHandle call, const sdp::NegotiatedMedia& media) override;
  void on_call_failed(sip::CallHandle call, std::uint16_t status) override;
  void on_call_ended(sip::CallHandle call, sip::DialogEndReason reason) override;
  void on_call_media_changed(sip::CallHandle call, const sdp::NegotiatedMedia& media) override;
  void on_call_reoffer_failed(sip::CallHandle call, std::uint16_t status) override;
  void on_call_dtmf(sip::CallHandle call, char digit, std::uint32_t duration_ms) override;
  SessionExpiry on_call_session_expired(sip::CallHandle call) override;
  void on_call_transfer(sip::CallHandle call, sip::TransferUpdate update) override;

 private:
  Session* session_of(sip::CallHandle call) noexcept;
  // A new session in the registry and in this manager; nullptr (logged,
  // counted) when the registry refuses.
  Session* add(NewSession fields, sip::CallHandle call, SessionSlot slot,
               std::optional<media::RtpPortReservation> ports);
  sip::CallDecision apply(Session& session, IncomingDecision decision);
  // The session ended: collect it on a later turn.
  void retire(Session& session);
  void collect();

  SessionServices services_;
  IncomingCallPolicy& policy_;
  std::unordered_map<sip::CallHandle, std::unique_ptr<Session>> by_call_;
  std::unordered_map<SessionId, sip::CallHandle> by_id_;
  std::vector<sip::CallHandle> retired_;
  std::optional<runtime::TimerId> collect_timer_;
};

}  // namespace voxgate::session
