#include "session/session.hpp"

#include <utility>

#include "sdp/direction.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::session {

namespace {

// 480 Temporarily Unavailable (RFC 3261 §21.4.18): nobody decided about
// the call in time, which is no fault of the caller's request.
constexpr std::uint16_t kWatchdogStatus = 480;

// RFC 3264 §8.4: to hold, a stream we send and receive becomes sendonly;
// one the peer already holds (we only receive... from its side we are
// recvonly) becomes inactive.
sdp::Direction held(sdp::Direction current) noexcept {
  return sdp::receives(current) && sdp::sends(current) ? sdp::Direction::SendOnly : sdp::Direction::Inactive;
}

bool is_held(const sdp::NegotiatedMedia& media) noexcept {
  const sdp::NegotiatedStream* audio = media.audio();
  return audio != nullptr && audio->direction != sdp::Direction::SendRecv;
}

std::string summary_codec(const sdp::NegotiatedStream& audio) {
  return fmt::format("{}/{}", audio.codec.encoding_name, audio.codec.clock_rate);
}

// The Reason of the BYE that ends our leg once the transferee reached the
// target (RFC 3326): normal clearing, with the text saying why.
constexpr std::string_view kTransferredReason = "Q.850;cause=16;text=\"Call transferred\"";

// A string as a JSON string literal. The targets it quotes are validated
// SIP URIs, but an event must stay valid JSON whatever it carries.
std::string json_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace

Session::Session(SessionServices& services, Origin origin, SessionSlot slot)
    : services_(services),
      id_(origin.id),
      direction_(origin.direction),
      call_id_(std::move(origin.call_id)),
      call_(origin.call),
      slot_(std::move(slot)),
      machine_(services.clock.now(), &services.transitions) {}

Session::~Session() {
  cancel_timer();
  // The stream goes before its ports (member order) and before its app's
  // sink, this object.
  stream_.reset();
}

std::optional<media::RtpStreamStats> Session::media_stats() const {
  if (stream_ == nullptr) return std::nullopt;
  return stream_->stats();
}

// --- transitions ---------------------------------------------------------

// A move the table or the registry refused: a bug of ours, never the peer's.
void Session::refused(const Error& error, std::string_view where) {
  ++services_.stats.registry_errors;
  services_.log.error("session {}: {}{}", id_, where, error.message);
}

void Session::move(SessionState to, TransitionCause cause) {
  if (machine_.state() == to) return;
  if (auto moved = machine_.move_to(to, cause, services_.clock.now()); !moved) {
    refused(moved.error(), "");
    return;
  }
  if (to == SessionState::Terminated) return;  // finish() ends it in the registry, with its EndInfo
  if (auto updated = services_.registry.update_state(id_, to, cause); !updated) {
    refused(updated.error(), "registry: ");
  }
}

void Session::move_media(MediaState to, TransitionCause cause) {
  if (machine_.media_state() == to) return;
  if (auto moved = machine_.move_media_to(to, cause, services_.clock.now()); !moved) {
    refused(moved.error(), "");
    return;
  }
  if (machine_.state() == SessionState::Terminated) return;
  if (auto updated = services_.registry.update_media_state(id_, to, cause); !updated) {
    refused(updated.error(), "registry: ");
  }
}

// The session follows what offer/answer agreed: held media is OnHold
// (Paused), anything else Connected (Active).
void Session::media_follows(const sdp::NegotiatedMedia& media, TransitionCause hold, TransitionCause resume) {
  const bool on_hold = is_held(media);
  if (machine_.media_state() == MediaState::None || machine_.media_state() == MediaState::Failed) {
    move_media(MediaState::Negotiating, TransitionCause::OfferReceived);
  }
  move_media(on_hold ? MediaState::Paused : MediaState::Active, TransitionCause::AnswerApplied);
  const SessionState before = machine_.state();
  if (before == SessionState::Connected && on_hold) move(SessionState::OnHold, hold);
  if (before == SessionState::OnHold && !on_hold) move(SessionState::Connected, resume);
  if (machine_.state() == before) return;
  services_.log.info("session {} (Call-ID {}): {} by {}", id_, call_id_, on_hold ? "held" : "resumed",
                     hold == TransitionCause::HoldLocal ? "us" : "the peer");
  if (app_ != nullptr) app_->on_hold_changed(HoldChanged{on_hold, hold == TransitionCause::HoldLocal}, *this);
}

void Session::finish(const EndInfo& info, std::string_view outcome) {
  if (ended()) return;
  cancel_timer();
  stop_media(outcome);
  if (machine_.media_state() != MediaState::None) {
    move_media(MediaState::None, info.cause == TransitionCause::MediaTimeout ? TransitionCause::MediaTimeout
                                                                             : TransitionCause::MediaStopped);
  }
  move(SessionState::Terminated, info.cause);
  if (auto ended_in_registry = services_.registry.end(id_, info); !ended_in_registry) {
    refused(ended_in_registry.error(), "registry: ");
  }
  slot_.release();
  if (app_ != nullptr) app_->on_call_ended(CallEnded{info}, *this);
}

// --- the dialog layer's reports ------------------------------------------

void Session::on_ringing_sent() {
  move(SessionState::Ringing, TransitionCause::ProvisionalSent);
}

void Session::on_progress(std::uint16_t status) {
  // RFC 3261 §13.2.2.1: 180 is alerting; 183 Session Progress usually
  // carries early media (RFC 3960).
  if (status == 183) {
    move(SessionState::Early, TransitionCause::EarlyMedia);
  } else if (status == 180) {
    move(SessionState::Ringing, TransitionCause::ProvisionalReceived);
  }
  if (status > 100 && app_ != nullptr) app_->on_call_progress(CallProgress{status}, *this);
}

void Session::on_answered(const sdp::NegotiatedMedia& media) {
  cancel_timer();
  ++services_.stats.answered;
  negotiated_ = media;
  move(SessionState::Connected, TransitionCause::Answered);
  if (direction_ == Direction::Outbound) {
    if (const sip::Dialog* dialog = services_.layer->dialog_of(call_)) {
      (void)services_.registry.set_remote_tag(id_, std::string(dialog->id().remote_tag));
    }
  }
  if (const sdp::NegotiatedStream* audio = media.audio()) {
    (void)services_.registry.set_media(
        id_,
        MediaSummary{summary_codec(*audio), fmt::format("{}:{}", audio->remote_rtp.address, audio->remote_rtp.port)});
  }
  media_follows(media, TransitionCause::HoldRemote, TransitionCause::ResumeRemote);
  start_media(media);
  if (ended()) return;  // the media could not start: hung up
  if (app_ != nullptr) app_->on_call_started(CallStarted{*negotiated_}, *this);
}

void Session::on_media_changed(const sdp::NegotiatedMedia& media) {
  const bool ours = before_reoffer_.has_value();
  before_reoffer_.reset();
  negotiated_ = media;
  media_follows(media, ours ? TransitionCause::HoldLocal : TransitionCause::HoldRemote,
                ours ? TransitionCause::ResumeLocal : TransitionCause::ResumeRemote);
  if (stream_ == nullptr) return;
  const sdp::NegotiatedStream* audio = media.audio();
  if (audio == nullptr) return;
  auto config = make_stream_config(*audio, services_.settings.stream);
  if (config) {
    config->cname = fmt::format("voxgate-{}", id_);
    if (auto updated = stream_->update(*config); updated)
      return;
    else
      config = tl::unexpected(updated.error());
  }
  services_.log.warn("session {}: media not updated: {}", id_, config.error().message);
}

void Session::on_reoffer_failed(std::uint16_t status) {
  // RFC 3264 §8 / RFC 3261 §14.1: a refused re-offer leaves the session as
  // it was before it.
  if (before_reoffer_) {
    wanted_direction_ = before_reoffer_->direction;
    wanted_codecs_ = std::move(before_reoffer_->codecs);
  }
  before_reoffer_.reset();
  services_.log.info("session {}: re-offer refused ({}); media unchanged", id_, status);
  if (negotiated_) {
    move_media(is_held(*negotiated_) ? MediaState::Paused : MediaState::Active, TransitionCause::OfferFailed);
  }
}

void Session::on_failed(std::uint16_t status) {
  ++services_.stats.failed;
  EndInfo info;
  if (ending_) {
    info = *ending_;
  } else if (direction_ == Direction::Inbound) {
    // We did not refuse it: the caller gave up (CANCEL: 487), or our 2xx
    // got no ACK, or the answer failed (488).
    info.by = status == 487 ? EndedBy::Remote : EndedBy::System;
    info.cause = status == 487 ? TransitionCause::Cancelled : TransitionCause::Failed;
  } else {
    // The peer's final answer, or a timeout of ours (408).
    info.by = status == 408 ? EndedBy::System : EndedBy::Remote;
    info.cause = status == 408 ? TransitionCause::Failed : TransitionCause::Rejected;
  }
  info.sip_status = status;
  finish(info, fmt::format("not established ({})", status));
}

void Session::on_ended(sip::DialogEndReason reason) {
  ++services_.stats.ended;
  EndInfo info;
  switch (reason) {
    case sip::DialogEndReason::LocalBye:
      info = ending_.value_or(EndInfo{EndedBy::Local, 0, {}, TransitionCause::HangupLocal});
      break;
    case sip::DialogEndReason::RemoteBye: info = EndInfo{EndedBy::Remote, 0, {}, TransitionCause::HangupRemote}; break;
    case sip::DialogEndReason::SessionExpired:
      info = EndInfo{EndedBy::System, 408, "SIP;cause=408", TransitionCause::SessionTimerExpired};
      break;
    case sip::DialogEndReason::Shutdown: info = EndInfo{EndedBy::System, 0, {}, TransitionCause::Shutdown}; break;
    case sip::DialogEndReason::NoAck:
    case sip::DialogEndReason::PeerGone:
    case sip::DialogEndReason::Rejected:
    case sip::DialogEndReason::Cancelled:
    case sip::DialogEndReason::Superseded:
      info =
          ending_.value_or(EndInfo{EndedBy::System, 0, std::string(sip::to_string(reason)), TransitionCause::Failed});
      break;
  }
  finish(info, fmt::format("ended ({})", sip::to_string(reason)));
}

void Session::on_sip_dtmf(char digit) {
  deliver_dtmf(digit, DtmfVia::SipInfo);
}

void Session::on_transfer(sip::TransferUpdate update) {
  if (ended() || machine_.state() != SessionState::Transferring) return;
  using Kind = sip::TransferUpdate::Kind;
  switch (update.kind) {
    case Kind::Accepted:
      report_transfer(CallEventKind::TransferAccepted, update.status);
      if (app_ != nullptr) app_->on_transfer_accepted(TransferAccepted{update.status}, *this);
      return;
    case Kind::Progress:
      report_transfer(CallEventKind::TransferProgress, update.status);
      if (app_ != nullptr) app_->on_transfer_progress(TransferProgress{update.status}, *this);
      return;
    case Kind::Succeeded: {
      // RFC 3515 §2.4.5 leaves our leg to us: the transferee has a call
      // with the target, ours has nothing left to carry.
      services_.log.info("session {} (Call-ID {}): transferred to {} ({})", id_, call_id_, transfer_target_,
                         update.status);
      report_transfer(CallEventKind::TransferSucceeded, update.status);
      ending_ = EndInfo{EndedBy::Local, 0, std::string(kTransferredReason), TransitionCause::Transferred};
      if (auto hung_up = hangup(kTransferredReason); !hung_up) {
        services_.log.warn("session {}: cannot hang up after the transfer: {}", id_, hung_up.error().message);
      }
      return;
    }
    case Kind::Failed: {
      services_.log.info("session {} (Call-ID {}): transfer to {} failed ({}); the call goes on", id_, call_id_,
                         transfer_target_, update.status);
      // Back to where a transfer may start again; held media stays held.
      const bool held_now = negotiated_ && is_held(*negotiated_);
      move(held_now ? SessionState::OnHold : SessionState::Connected, TransitionCause::TransferFailed);
      report_transfer(CallEventKind::TransferFailed, update.status);
      transfer_target_.clear();
      if (app_ != nullptr) app_->on_transfer_failed(TransferFailed{update.status}, *this);
      return;
    }
  }
}

TimeoutDecision Session::on_session_expired() {
  report(CallEventKind::TimerExpired);
  if (app_ == nullptr) return TimeoutDecision::Hangup;
  return app_->on_session_timeout(SessionTimeout{}, *this);
}

// --- decisions on incoming calls -------------------------------------------

void Session::set_app(std::unique_ptr<SessionApp> app, std::unique_ptr<media::MediaApp> media_app) {
  app_ = std::move(app);
  waiting_media_app_ = std::move(media_app);
}

Result<void> Session::accept(std::unique_ptr<SessionApp> app, std::unique_ptr<media::MediaApp> media_app) {
  if (auto undecided = check_undecided("accept"); !undecided) return undecided;
  if (auto answered = services_.layer->answer(call_, media_config()); !answered) return answered;
  decided_ = true;
  cancel_timer();
  ++services_.stats.accepted;
  set_app(std::move(app), std::move(media_app));
  return {};
}

Result<void> Session::reject(std::uint16_t status, std::string_view reason) {
  if (auto undecided = check_undecided("reject"); !undecided) return undecided;
  if (status < 400 || status > 699)
    return make_error(Errc::InvalidArgument, "reject needs a status 400-699, not {}", status);
  ending_ = EndInfo{EndedBy::Local, status, std::string(reason), TransitionCause::Rejected};
  decided_ = true;
  cancel_timer();
  ++services_.stats.rejected;
  return services_.layer->reject(call_, status, reason);
}

Result<void> Session::redirect(std::uint16_t status, std::vector<std::string> contacts) {
  if (auto undecided = check_undecided("redirect"); !undecided) return undecided;
  if (status < 300 || status > 399 || contacts.empty()) {
    return make_error(Errc::InvalidArgument, "redirect needs a status 300-399 and at least one Contact");
  }
  ending_ = EndInfo{EndedBy::Local, status, {}, TransitionCause::Rejected};
  decided_ = true;
  cancel_timer();
  ++services_.stats.redirected;
  return services_.layer->redirect(call_, status, std::move(contacts));
}

void Session::start_timer(std::chrono::milliseconds delay, void (Session::*fire)()) {
  cancel_timer();
  timer_ = services_.timers.schedule(delay, [this, fire] {
    timer_.reset();
    (this->*fire)();
  });
}

void Session::cancel_timer() {
  if (timer_) services_.timers.cancel(*std::exchange(timer_, std::nullopt));
}

void Session::on_answer_timer() {
  if (ended()) return;
  if (auto answered = services_.layer->answer(call_, media_config()); !answered) {
    services_.log.warn("session {}: cannot answer: {}", id_, answered.error().message);
  }
}

void Session::on_watchdog() {
  if (ended() || decided_) return;
  ++services_.stats.watchdog_expired;
  services_.log.warn("session {}: no decision within the watchdog; rejecting with {}", id_, kWatchdogStatus);
  ending_ = EndInfo{EndedBy::System, kWatchdogStatus, "no decision in time", TransitionCause::Rejected};
  decided_ = true;
  (void)services_.layer->reject(call_, kWatchdogStatus);
}

void Session::on_outbound_timeout() {
  if (ended() || established()) return;
  ending_ = EndInfo{EndedBy::System, 0, "no answer in time", TransitionCause::Cancelled};
  if (machine_.state() != SessionState::Initializing) move(SessionState::Terminating, TransitionCause::Cancelled);
  (void)services_.layer->hangup(call_);
}

sdp::LocalMediaConfig Session::media_config() const {
  sdp::LocalMediaConfig config = services_.settings.media;
  if (ports_) config.rtp_port = ports_->rtp_port();
  config.direction = wanted_direction_;
  if (wanted_codecs_) config.codecs = *wanted_codecs_;
  return config;
}

// --- actions ------------------------------------------------------------

Result<void> Session::check_undecided(std::string_view action) const {
  if (auto live = check_live(action); !live) return live;
  if (direction_ != Direction::Inbound || decided_) {
    return make_error(Errc::InvalidState, "session {}: {} is for an undecided incoming call", id_, action);
  }
  return {};
}

Result<void> Session::check_live(std::string_view action) const {
  if (ended()) return make_error(Errc::InvalidState, "session {} has ended: cannot {}", id_, action);
  if (services_.layer == nullptr) return make_error(Errc::Internal, "session {}: no dialog layer", id_);
  return {};
}

bool Session::established() const noexcept {
  const SessionState s = machine_.state();
  return s == SessionState::Connected || s == SessionState::OnHold || s == SessionState::Transferring;
}

Result<void> Session::hangup(std::string_view reason) {
  if (auto live = check_live("hang up"); !live) return live;
  if (machine_.state() == SessionState::Terminating) return {};  // already on its way
  const bool before_answer = !established();
  EndInfo info{EndedBy::Local, 0, std::string(reason),
               before_answer ? TransitionCause::Cancelled : TransitionCause::HangupLocal};
  if (direction_ == Direction::Inbound && before_answer) {
    info.cause = TransitionCause::Rejected;
    decided_ = true;
  }
  if (!ending_) ending_ = std::move(info);
  cancel_timer();
  if (machine_.state() != SessionState::Initializing) move(SessionState::Terminating, ending_->cause);
  return services_.layer->hangup(call_, reason);
}

Result<void> Session::reoffer(OfferChange change) {
  if (auto live = check_live("re-offer"); !live) return live;
  if (!established())
    return make_error(Errc::InvalidState, "session {} is {}: not established", id_, to_string(state()));
  if (before_reoffer_ || machine_.media_state() == MediaState::Negotiating) {
    return make_error(Errc::InvalidState, "session {}: an offer/answer exchange is under way", id_);
  }
  OfferChange before{wanted_direction_, wanted_codecs_};
  wanted_direction_ = change.direction;
  if (change.codecs) wanted_codecs_ = std::move(change.codecs);
  if (auto sent = services_.layer->reoffer(call_, media_config()); !sent) {
    wanted_direction_ = before.direction;
    wanted_codecs_ = std::move(before.codecs);
    return sent;
  }
  before_reoffer_ = std::move(before);
  move_media(MediaState::Negotiating, TransitionCause::OfferSent);
  return {};
}

Result<void> Session::hold() {
  if (state() == SessionState::OnHold && wanted_direction_ != sdp::Direction::SendRecv) return {};
  const sdp::NegotiatedStream* audio = negotiated_ ? negotiated_->audio() : nullptr;
  return reoffer(OfferChange{held(audio != nullptr ? audio->direction : sdp::Direction::SendRecv), std::nullopt});
}

Result<void> Session::resume() {
  if (wanted_direction_ == sdp::Direction::SendRecv) {
    return make_error(Errc::InvalidState, "session {}: not held by us", id_);
  }
  return reoffer(OfferChange{sdp::Direction::SendRecv, std::nullopt});
}

Result<void> Session::change_codecs(std::vector<sdp::Codec> codecs) {
  if (codecs.empty()) return make_error(Errc::InvalidArgument, "session {}: no codec to offer", id_);
  return reoffer(OfferChange{wanted_direction_, std::move(codecs)});
}

Result<void> Session::send_dtmf(std::string_view digits) {
  if (auto live = check_live("send DTMF"); !live) return live;
  if (stream_ == nullptr) return make_error(Errc::InvalidState, "session {} has no media", id_);
  for (const char digit : digits) {
    if (auto queued = stream_->send_dtmf(digit); !queued) return queued;
  }
  return {};
}

Result<void> Session::transfer(std::string target) {
  if (auto live = check_live("transfer"); !live) return live;
  const SessionState now = machine_.state();
  if (now != SessionState::Connected && now != SessionState::OnHold) {
    return make_error(Errc::InvalidState, "session {} is {}: a transfer needs Connected or OnHold", id_,
                      to_string(now));
  }
  auto uri = sip::parse_uri(target);
  if (!uri || !uri->is_sip()) {
    return make_error(Errc::InvalidArgument, "transfer target '{}' is not a sip: or sips: URI", target);
  }
  if (auto referred = services_.layer->refer(call_, target); !referred) return referred;
  transfer_target_ = std::move(target);
  move(SessionState::Transferring, TransitionCause::TransferStarted);
  services_.log.info("session {} (Call-ID {}): transferring to {}", id_, call_id_, transfer_target_);
  report_transfer(CallEventKind::TransferRequested, 0);
  return {};
}

Result<void> Session::switch_app(std::unique_ptr<SessionApp> app) {
  if (auto live = check_live("switch its app"); !live) return live;
  if (app == nullptr) return make_error(Errc::InvalidArgument, "no app");
  if (!negotiated_ || audio_ == nullptr) return make_error(Errc::InvalidState, "session {} is not answered yet", id_);
  audio_->clear_queue();
  const auto previous = std::move(app_);  // destroyed at the end, after the new app took over
  app_ = std::move(app);
  audio_->forward_caller_audio(app_->wants_audio());
  app_->on_call_started(CallStarted{*negotiated_}, *this);
  return {};
}

Result<void> Session::attach_media_app(std::unique_ptr<media::MediaApp> app) {
  if (auto live = check_live("attach a media app"); !live) return live;
  if (app == nullptr) return make_error(Errc::InvalidArgument, "no media app");
  if (audio_ == nullptr) {
    if (app->sample_rate() != services_.settings.app_sample_rate) {
      return make_error(Errc::InvalidArgument, "the media app runs at {} Hz, the session at {} Hz", app->sample_rate(),
                        services_.settings.app_sample_rate);
    }
    waiting_media_app_ = std::move(app);
    return {};
  }
  if (auto attached = audio_->attach(std::move(app)); !attached) return attached;
  stream_->refresh_listening();
  return {};
}

Result<void> Session::detach_media_app() {
  if (auto live = check_live("detach a media app"); !live) return live;
  waiting_media_app_.reset();
  if (audio_ != nullptr) {
    (void)audio_->detach();
    stream_->refresh_listening();
  }
  return {};
}

Result<void> Session::play_audio(std::span<const std::int16_t> pcm) {
  if (auto live = check_live("play audio"); !live) return live;
  if (audio_ == nullptr) return make_error(Errc::InvalidState, "session {} has no media yet", id_);
  return audio_->queue(pcm);
}

Result<void> Session::clear_audio() {
  if (auto live = check_live("clear audio"); !live) return live;
  if (audio_ != nullptr) audio_->clear_queue();
  return {};
}

Result<void> Session::set_metadata(std::string key, std::string value) {
  auto set = services_.registry.set_metadata(id_, std::move(key), std::move(value));
  if (!set) return tl::unexpected(set.error());
  return {};
}

Result<void> Session::say(std::string_view handle, std::string_view text) {
  if (auto live = check_live("say"); !live) return live;
  if (!negotiated_ || app_ == nullptr) return make_error(Errc::InvalidState, "session {} is not answered yet", id_);
  return app_->on_say(SayRequested{handle, text}, *this);
}

Result<void> Session::cancel_say(std::string_view handle) {
  if (auto live = check_live("cancel a say"); !live) return live;
  if (app_ == nullptr) return make_error(Errc::NotFound, "session {} says nothing", id_);
  return app_->on_cancel_say(handle, *this);
}

Result<void> Session::report_app_event(std::string_view name, std::string fields_json) {
  if (auto live = check_live("report an event"); !live) return live;
  report(CallEventKind::App, std::move(fields_json), name);
  return {};
}

// --- media ----------------------------------------------------------------

void Session::start_media(const sdp::NegotiatedMedia& media) {
  if (services_.media == nullptr || !ports_) return;  // signalling only
  auto fail = [&](const Error& error) {
    ++services_.stats.media_failed;
    services_.log.warn("session {} (Call-ID {}): no media: {}; hanging up", id_, call_id_, error.message);
    move_media(MediaState::Failed, TransitionCause::OfferFailed);
    ending_ = EndInfo{EndedBy::System, 0, {}, TransitionCause::Failed};
    (void)hangup();
  };
  const sdp::NegotiatedStream* audio = media.audio();
  if (audio == nullptr) return fail(Error{Errc::InvalidArgument, "no audio stream was agreed"});
  auto config = make_stream_config(*audio, services_.settings.stream);
  if (!config) return fail(config.error());
  config->cname = fmt::format("voxgate-{}", id_);
  auto audio_app =
      std::make_unique<SessionAudio>(services_.settings.app_sample_rate, static_cast<SessionAudioSink&>(*this));
  SessionAudio* audio_port = audio_app.get();
  audio_port->forward_caller_audio(app_ != nullptr && app_->wants_audio());
  // Without an application, a media app that finishes (a prompt played
  // once) ends the call, as nobody else would.
  audio_port->end_when_app_finishes(app_ == nullptr);
  if (waiting_media_app_ != nullptr) {
    if (auto attached = audio_port->attach(std::move(waiting_media_app_)); !attached) return fail(attached.error());
  }
  auto stream = media::RtpStream::create(*services_.media, *ports_, *config, std::move(audio_app),
                                         static_cast<media::RtpStreamObserver&>(*this));
  if (!stream) return fail(stream.error());
  stream_ = std::move(*stream);
  audio_ = audio_port;
  report(CallEventKind::MediaStarted, summary_codec(*audio));
}

void Session::stop_media(std::string_view outcome) {
  if (stream_ == nullptr) return;
  const media::RtpStreamStats stats = stream_->stats();
  SessionStats& totals = services_.stats;
  ++totals.media_streams;
  totals.media_packets_received += stats.received.packets;
  totals.media_packets_sent += stats.packets_sent;
  totals.media_lost += stats.lost;
  totals.media_concealed += stats.frames_concealed;
  report(CallEventKind::MediaStopped, {}, {},
         MediaTotals{stats.packets_sent, stats.received.packets, stats.lost, stats.jitter_ms});
  services_.log.info(
      "session {} (Call-ID {}) {}: media sent {} packets, received {} (lost {}, duplicate {}, out of order {}), "
      "played {} frames, concealed {}, silent {}, jitter {} ms, jitter buffer late {} skipped {} delay {} ms, "
      "refused sources {}, RTCP sent {} received {}, DTMF \"{}\"",
      id_, call_id_, outcome, stats.packets_sent, stats.received.packets, stats.lost, stats.received.duplicates,
      stats.received.out_of_order, stats.frames_played, stats.frames_concealed, stats.frames_silent, stats.jitter_ms,
      stats.jitter_buffer_late, stats.jitter_buffer_skipped, stats.jitter_buffer_delay_ms, stats.refused_source,
      stats.rtcp_sent, stats.rtcp_received, digits_);
  // The stream itself goes with the session, on a later turn of the loop:
  // this may run inside one of its callbacks (an app hanging up on a digit).
  audio_->forward_caller_audio(false);
  audio_->clear_queue();
}

void Session::on_caller_pcm(std::span<const std::int16_t> frame, int sample_rate) {
  if (app_ != nullptr && !ended()) app_->on_pcm_received(PcmReceived{frame, sample_rate}, *this);
}

void Session::on_media_app_finished() {
  services_.log.debug("session {}: media app finished", id_);
  if (app_ != nullptr && !ended()) app_->on_media_app_finished(MediaAppFinished{}, *this);
}

void Session::on_queued_audio_played(std::size_t samples, std::size_t still_queued) {
  if (app_ != nullptr && !ended()) app_->on_audio_played(AudioPlayed{samples, still_queued}, *this);
}

void Session::on_stream_dtmf(char digit, media::DtmfSource source) {
  deliver_dtmf(digit, source == media::DtmfSource::Inband ? DtmfVia::Inband : DtmfVia::Rfc4733);
}

void Session::deliver_dtmf(char digit, DtmfVia via) {
  if (ended()) return;
  ++services_.stats.dtmf_digits;
  digits_.push_back(digit);
  services_.log.info("session {} (Call-ID {}): DTMF {} via {}", id_, call_id_, digit, to_string(via));
  report(CallEventKind::Dtmf, std::string(1, digit), to_string(via));
  if (app_ != nullptr) app_->on_dtmf_received(DtmfReceived{digit, via}, *this);
}

void Session::on_stream_ended(media::StreamEndReason reason) {
  if (ended()) return;
  ++services_.stats.media_ended;
  services_.log.info("session {}: {}; hanging up", id_, media::to_string(reason));
  const bool timeout = reason == media::StreamEndReason::MediaTimeout;
  move_media(MediaState::Failed, timeout ? TransitionCause::MediaTimeout : TransitionCause::MediaStopped);
  ending_ = EndInfo{EndedBy::System, 0, std::string(media::to_string(reason)),
                    timeout ? TransitionCause::MediaTimeout : TransitionCause::MediaStopped};
  if (auto hung_up = hangup(); !hung_up)
    services_.log.warn("session {}: cannot hang up: {}", id_, hung_up.error().message);
}

void Session::report_transfer(CallEventKind kind, std::uint16_t status) {
  report(kind, fmt::format(R"({{"target":{},"status":{}}})", json_quoted(transfer_target_), status));
}

void Session::report(CallEventKind kind, std::string detail, std::string_view via, MediaTotals totals) {
  if (services_.events == nullptr) return;
  services_.events->on_call_event(
      CallEvent{id_, kind, services_.clock.wall_now(), std::move(detail), std::string(via), totals});
}

std::string_view to_string(DtmfVia via) noexcept {
  switch (via) {
    case DtmfVia::Rfc4733: return "rfc4733";
    case DtmfVia::Inband: return "inband";
    case DtmfVia::SipInfo: return "sip-info";
  }
  return "?";
}

}  // namespace voxgate::session
