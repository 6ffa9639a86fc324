#include "session/session_manager.hpp"

#include <utility>

#include "sip/dialog/dialog_layer.hpp"

namespace voxgate::session {

namespace {

Party party_of(const sip::NameAddr& address) {
  return Party{std::string(address.uri.text), address.display_name_text()};
}

Party party_of(const sip::Message& message, bool from) {
  auto address = from ? message.from() : message.to();
  return address ? party_of(*address) : Party{};
}

}  // namespace

SessionStats& SessionStats::operator+=(const SessionStats& other) noexcept {
  inbound += other.inbound;
  outbound += other.outbound;
  accepted += other.accepted;
  rejected += other.rejected;
  redirected += other.redirected;
  deferred += other.deferred;
  watchdog_expired += other.watchdog_expired;
  refused_by_limit += other.refused_by_limit;
  no_rtp_port += other.no_rtp_port;
  answered += other.answered;
  failed += other.failed;
  ended += other.ended;
  media_failed += other.media_failed;
  media_ended += other.media_ended;
  dtmf_digits += other.dtmf_digits;
  registry_errors += other.registry_errors;
  media_streams += other.media_streams;
  media_packets_received += other.media_packets_received;
  media_packets_sent += other.media_packets_sent;
  media_lost += other.media_lost;
  media_concealed += other.media_concealed;
  return *this;
}

SessionManager::SessionManager(runtime::Timers& timers, const Clock& clock, media::MediaLoop* media,
                               media::RtpPortPool* ports, SessionRegistry& registry, SessionLimits& limits,
                               SessionSettings settings, Logger log, IncomingCallPolicy& policy)
    : services_{nullptr,        timers,   clock,          media,
                ports,          registry, limits,         std::move(settings),
                std::move(log), nullptr,  SessionStats{}, TransitionCounts{}},
      policy_(policy) {}

SessionManager::~SessionManager() {
  if (collect_timer_) services_.timers.cancel(*collect_timer_);
  // Sessions still live (the loop is going away) end in the registry as
  // shut down, so its counts stay true: created = active + ended.
  for (auto& [call, session] : by_call_) {
    if (!session->ended()) session->finish(EndInfo{EndedBy::System, 0, {}, TransitionCause::Shutdown}, "shut down");
  }
}

Session* SessionManager::find(SessionId id) noexcept {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : session_of(it->second);
}

Session* SessionManager::session_of(sip::CallHandle call) noexcept {
  auto it = by_call_.find(call);
  return it == by_call_.end() ? nullptr : it->second.get();
}

Session* SessionManager::add(NewSession fields, sip::CallHandle call, SessionSlot slot,
                             std::optional<media::RtpPortReservation> ports) {
  const Direction direction = fields.direction;
  std::string call_id = fields.call_id;
  auto record = services_.registry.create(std::move(fields));
  if (!record) {
    ++services_.stats.registry_errors;
    services_.log.error("call {}: the registry refused the session: {}", call, record.error().message);
    return nullptr;
  }
  auto session = std::unique_ptr<Session>(
      new Session(services_, Session::Origin{record->id, direction, std::move(call_id), call}, std::move(slot)));
  session->ports_ = std::move(ports);
  Session* raw = session.get();
  by_id_.emplace(record->id, call);
  by_call_.emplace(call, std::move(session));
  return raw;
}

// --- incoming ---------------------------------------------------------------

sip::CallDecision SessionManager::on_invite(const sip::IncomingInvite& invite) {
  Party from = party_of(invite.request, true);
  const std::string source = invite.flow.remote.ip.to_string();
  auto slot = services_.limits.admit(from.uri, source);
  if (!slot) {
    ++services_.stats.refused_by_limit;
    services_.log.warn("refusing call from {} ({}): {} session limit", from.uri, source, to_string(slot.error()));
    return sip::CallDecision::reject(status_for(slot.error()));  // 503 gets Retry-After (§21.5.4)
  }
  std::optional<media::RtpPortReservation> ports;
  if (services_.ports != nullptr) {
    auto reserved = services_.ports->reserve();
    if (!reserved) {
      ++services_.stats.no_rtp_port;
      services_.log.warn("refusing call from {}: {}", from.uri, reserved.error().message);
      return sip::CallDecision::reject(503);
    }
    ports.emplace(std::move(*reserved));
  }
  const auto identity = services_.layer != nullptr ? services_.layer->identity_of(invite.call) : std::nullopt;
  NewSession fields;
  fields.call_id = std::string(invite.request.call_id().value_or(""));
  fields.local_tag = identity ? identity->local_tag : std::string();
  if (auto address = invite.request.from()) fields.remote_tag = std::string(address->tag().value_or(""));
  fields.direction = Direction::Inbound;
  fields.local = party_of(invite.request, false);
  fields.remote = from;
  Session* session = add(std::move(fields), invite.call, std::move(*slot), std::move(ports));
  if (session == nullptr) return sip::CallDecision::reject(500);
  ++services_.stats.inbound;
  if (invite.offer != nullptr) session->move_media(MediaState::Negotiating, TransitionCause::OfferReceived);

  const IncomingCall call{
      session->id(), std::move(from), party_of(invite.request, false), std::string(invite.request.request_uri_text()),
      source,        invite.request};
  return apply(*session, policy_.on_incoming_call(call));
}

sip::CallDecision SessionManager::apply(Session& session, IncomingDecision decision) {
  for (auto& [key, value] : decision.metadata) (void)session.set_metadata(key, value);
  switch (decision.kind) {
    case IncomingDecision::Kind::Accept:
      ++services_.stats.accepted;
      session.decided_ = true;
      session.set_app(std::move(decision.app), std::move(decision.media_app));
      if (decision.answer_after.count() > 0) {
        session.start_timer(decision.answer_after, &Session::on_answer_timer);
        session.on_ringing_sent();
        return sip::CallDecision::ring();
      }
      return sip::CallDecision::answer(session.media_config());
    case IncomingDecision::Kind::Reject:
      ++services_.stats.rejected;
      session.decided_ = true;
      session.ending_ = EndInfo{EndedBy::Local, decision.status, decision.reason, TransitionCause::Rejected};
      return sip::CallDecision::reject(decision.status, std::move(decision.reason));
    case IncomingDecision::Kind::Redirect:
      ++services_.stats.redirected;
      session.decided_ = true;
      session.ending_ = EndInfo{EndedBy::Local, decision.status, {}, TransitionCause::Rejected};
      return sip::CallDecision::redirect(decision.status, std::move(decision.contacts));
    case IncomingDecision::Kind::Defer:
      ++services_.stats.deferred;
      session.start_timer(decision.watchdog, &Session::on_watchdog);
      session.on_ringing_sent();
      return sip::CallDecision::ring();
  }
  return sip::CallDecision::reject(500);
}

// --- outgoing ---------------------------------------------------------------

Result<SessionId> SessionManager::make_call(OutboundCall call) {
  if (services_.layer == nullptr) return make_error(Errc::Internal, "the session manager has no dialog layer");
  auto slot = services_.limits.admit({}, {});
  if (!slot) {
    ++services_.stats.refused_by_limit;
    return make_error(Errc::LimitExceeded, "the {} session limit is reached", to_string(slot.error()));
  }
  std::optional<media::RtpPortReservation> ports;
  sdp::LocalMediaConfig media = services_.settings.media;
  if (services_.ports != nullptr) {
    auto reserved = services_.ports->reserve();
    if (!reserved) {
      ++services_.stats.no_rtp_port;
      return tl::unexpected(reserved.error());
    }
    media.rtp_port = reserved->rtp_port();
    ports.emplace(std::move(*reserved));
  }
  sip::OutgoingCall outgoing{call.target, call.from, call.to.empty() ? "<" + call.target + ">" : call.to, call.route,
                             std::move(media)};
  auto handle = services_.layer->make_call(outgoing, *this);
  if (!handle) return tl::unexpected(handle.error());
  const auto identity = services_.layer->identity_of(*handle);
  NewSession fields;
  fields.call_id = identity ? identity->call_id : std::string();
  fields.local_tag = identity ? identity->local_tag : std::string();
  fields.direction = Direction::Outbound;
  if (auto from = sip::parse_name_addr(call.from)) fields.local = party_of(*from);
  if (auto to = sip::parse_name_addr(outgoing.to)) fields.remote = party_of(*to);
  fields.metadata = std::move(call.metadata);
  Session* session = add(std::move(fields), *handle, std::move(*slot), std::move(ports));
  if (session == nullptr) {
    (void)services_.layer->hangup(*handle);
    return make_error(Errc::Internal, "the registry refused the session");
  }
  ++services_.stats.outbound;
  session->decided_ = true;
  session->set_app(std::move(call.app), std::move(call.media_app));
  session->move(SessionState::Dialing, TransitionCause::InviteSent);
  session->move_media(MediaState::Negotiating, TransitionCause::OfferSent);
  const auto timeout = call.timeout.value_or(services_.settings.outbound_timeout);
  if (timeout.count() > 0) session->start_timer(timeout, &Session::on_outbound_timeout);
  return session->id();
}

// --- the dialog layer's reports ------------------------------------------

void SessionManager::on_call_progress(sip::CallHandle call, std::uint16_t status, std::string_view /*remote_tag*/) {
  if (Session* session = session_of(call)) session->on_progress(status);
}

void SessionManager::on_call_answered(sip::CallHandle call, const sdp::NegotiatedMedia& media) {
  Session* session = session_of(call);
  if (session == nullptr) return;
  session->on_answered(media);
  if (session->ended()) retire(*session);
}

void SessionManager::on_call_failed(sip::CallHandle call, std::uint16_t status) {
  Session* session = session_of(call);
  if (session == nullptr) return;
  session->on_failed(status);
  retire(*session);
}

void SessionManager::on_call_ended(sip::CallHandle call, sip::DialogEndReason reason) {
  Session* session = session_of(call);
  if (session == nullptr) return;
  session->on_ended(reason);
  retire(*session);
}

void SessionManager::on_call_media_changed(sip::CallHandle call, const sdp::NegotiatedMedia& media) {
  if (Session* session = session_of(call)) session->on_media_changed(media);
}

void SessionManager::on_call_reoffer_failed(sip::CallHandle call, std::uint16_t status) {
  if (Session* session = session_of(call)) session->on_reoffer_failed(status);
}

void SessionManager::on_call_dtmf(sip::CallHandle call, char digit, std::uint32_t /*duration_ms*/) {
  if (Session* session = session_of(call)) session->on_sip_dtmf(digit);
}

sip::CallObserver::SessionExpiry SessionManager::on_call_session_expired(sip::CallHandle call) {
  Session* session = session_of(call);
  if (session == nullptr) return SessionExpiry::Hangup;
  return session->on_session_expired() == TimeoutDecision::Keep ? SessionExpiry::Keep : SessionExpiry::Hangup;
}

void SessionManager::on_call_transfer(sip::CallHandle call, sip::TransferUpdate update) {
  Session* session = session_of(call);
  if (session == nullptr) return;
  session->on_transfer(update);
  if (session->ended()) retire(*session);
}

void SessionManager::hangup_all(std::string_view reason) {
  std::vector<Session*> live;
  for (auto& [call, session] : by_call_) {
    if (!session->ended()) live.push_back(session.get());
  }
  for (Session* session : live) {
    if (!session->ended()) (void)session->hangup(reason);
  }
}

// --- collection ---------------------------------------------------------------

void SessionManager::retire(Session& session) {
  retired_.push_back(session.call_);
  if (collect_timer_) return;
  collect_timer_ = services_.timers.schedule(Clock::Duration::zero(), [this] {
    collect_timer_.reset();
    collect();
  });
}

void SessionManager::collect() {
  for (const sip::CallHandle call : std::exchange(retired_, {})) {
    auto it = by_call_.find(call);
    if (it == by_call_.end()) continue;
    by_id_.erase(it->second->id());
    by_call_.erase(it);
  }
}

}  // namespace voxgate::session
