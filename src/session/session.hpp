#pragma once
// One call as the application sees it (docs/SESSIONS.md): its dialog, its
// media and its timers tied together, with one state machine
// (SessionStateMachine) whose every move is mirrored into the registry.
//
// A Session lives on its worker loop and is owned by that loop's
// SessionManager; every method must be called on that loop (from another
// thread: post to the loop, then find the session by id). The dialog
// layer's reports reach it through the manager; the application hears of
// them as typed events (session_app.hpp) and acts through the methods
// below. A session that ended stays readable until the manager collects it
// on a later turn of the loop; its methods then answer InvalidState.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "media/apps/media_app.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "media/stream/rtp_stream.hpp"
#include "sdp/local_media.hpp"
#include "sdp/negotiated_media.hpp"
#include "session/registry/session_record.hpp"
#include "session/registry/session_state.hpp"
#include "session/session_app.hpp"
#include "session/session_audio.hpp"
#include "session/session_limits.hpp"
#include "session/session_services.hpp"
#include "sip/dialog/call_observer.hpp"

namespace voxgate::session {

class SessionManager;

class Session final : private SessionAudioSink, private media::RtpStreamObserver {
 public:
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() override;

  [[nodiscard]] SessionId id() const noexcept { return id_; }
  [[nodiscard]] Direction direction() const noexcept { return direction_; }
  [[nodiscard]] const std::string& call_id() const noexcept { return call_id_; }
  [[nodiscard]] SessionState state() const noexcept { return machine_.state(); }
  [[nodiscard]] MediaState media_state() const noexcept { return machine_.media_state(); }
  [[nodiscard]] const SessionStateMachine& machine() const noexcept { return machine_; }
  [[nodiscard]] bool ended() const noexcept { return machine_.state() == SessionState::Terminated; }
  // What offer/answer last agreed; nullopt before the answer.
  [[nodiscard]] const std::optional<sdp::NegotiatedMedia>& negotiated() const noexcept { return negotiated_; }
  // The media stream's counters; nullopt without a stream.
  [[nodiscard]] std::optional<media::RtpStreamStats> media_stats() const;

  // A deferred incoming call (IncomingDecision::defer): answer it and
  // serve it with `app` and/or `media_app`; or refuse it; or redirect it.
  Result<void> accept(std::unique_ptr<SessionApp> app, std::unique_ptr<media::MediaApp> media_app = nullptr);
  Result<void> reject(std::uint16_t status, std::string_view reason = {});
  Result<void> redirect(std::uint16_t status, std::vector<std::string> contacts);

  // Ends the session however it stands (seed 000's HangupRequested):
  // BYE when established, CANCEL for an outbound call not yet answered, 480
  // for an inbound one. `reason`: a Reason header value (RFC 3326), such as
  // `Q.850;cause=16`; empty for none.
  Result<void> hangup(std::string_view reason = {});

  // Puts the call on hold with a re-offer (RFC 3264 §8.4: sendonly, or
  // inactive when the peer already holds us) and takes it off again.
  // InvalidState when not established or an offer/answer is under way.
  Result<void> hold();
  Result<void> resume();
  // Re-offers with these codecs, in this order of preference (RFC 3264
  // §8.3.2); the answer picks the one the call then uses. A refusal (488)
  // leaves the call as it was.
  Result<void> change_codecs(std::vector<sdp::Codec> codecs);

  // RFC 4733 telephone events; InvalidState without media, Unsupported
  // when the peer agreed to none.
  Result<void> send_dtmf(std::string_view digits);

  // Blind transfer (RFC 3515): asks the peer, with a REFER, to call
  // `target` (a sip: or sips: URI) instead. Connected or OnHold ->
  // Transferring; the app hears TransferAccepted, TransferProgress, then
  // either TransferFailed (back to Connected, or OnHold when held) or, once
  // the peer reached the target, CallEnded: we hang up with a BYE and the
  // session ends with cause Transferred. InvalidState when not Connected
  // or OnHold (a transfer under way included), InvalidArgument for a bad
  // target; the dialog layer's error when the REFER cannot be sent.
  Result<void> transfer(std::string target);

  // Hands an answered call to another app (the API's POST .../stream): the
  // app serving it now goes, with the audio it queued, and `app` hears
  // CallStarted at once. InvalidState before the answer or after the end.
  Result<void> switch_app(std::unique_ptr<SessionApp> app);

  // The media app that serves the call (echo, tone, play, record...); at
  // the session's app sample rate. Before the answer it waits for the
  // stream.
  Result<void> attach_media_app(std::unique_ptr<media::MediaApp> app);
  Result<void> detach_media_app();

  // Queues audio to play before anything the media app says (seed 000's
  // BotAudioReady): linear 16-bit mono at the app sample rate.
  Result<void> play_audio(std::span<const std::int16_t> pcm);
  // Drops whatever play_audio queued and is not yet sent (barge-in).
  Result<void> clear_audio();

  // Key/value metadata, in the registry.
  Result<void> set_metadata(std::string key, std::string value);

  // Asks the app serving the call to speak `text` (SessionApp::on_say: the
  // voice bot), or to stop speaking what `handle` named. Unsupported when
  // the app does not speak text; InvalidState before the answer.
  Result<void> say(std::string_view handle, std::string_view text);
  Result<void> cancel_say(std::string_view handle);

  // An event of the application's own (a bot's transcript, say) to the
  // session's CallEventSink, beside the session's: `name` is its type
  // ("bot.transcript"), `fields_json` a JSON object of its fields.
  Result<void> report_app_event(std::string_view name, std::string fields_json);

 private:
  friend class SessionManager;
  struct Origin {
    SessionId id;
    Direction direction;
    std::string call_id;
    sip::CallHandle call;
  };

  Session(SessionServices& services, Origin origin, SessionSlot slot);

  // Dialog-layer reports, from the manager.
  void on_ringing_sent();
  void on_progress(std::uint16_t status);
  void on_answered(const sdp::NegotiatedMedia& media);
  void on_media_changed(const sdp::NegotiatedMedia& media);
  void on_reoffer_failed(std::uint16_t status);
  void on_failed(std::uint16_t status);
  void on_ended(sip::DialogEndReason reason);
  void on_sip_dtmf(char digit);
  void on_transfer(sip::TransferUpdate update);
  TimeoutDecision on_session_expired();

  // Carrying out a decision on an incoming call (the manager's and the deferred ones).
  void set_app(std::unique_ptr<SessionApp> app, std::unique_ptr<media::MediaApp> media_app);
  void start_timer(std::chrono::milliseconds delay, void (Session::*fire)());
  void cancel_timer();
  void on_answer_timer();
  void on_watchdog();
  void on_outbound_timeout();
  [[nodiscard]] sdp::LocalMediaConfig media_config() const;

  // SessionAudioSink
  void on_caller_pcm(std::span<const std::int16_t> frame, int sample_rate) override;
  void on_media_app_finished() override;
  void on_queued_audio_played(std::size_t samples, std::size_t still_queued) override;
  // RtpStreamObserver
  void on_stream_dtmf(char digit, media::DtmfSource source) override;
  void on_stream_ended(media::StreamEndReason reason) override;

  void start_media(const sdp::NegotiatedMedia& media);
  // `outcome` says how the call ended, for the media summary line.
  void stop_media(std::string_view outcome);
  void deliver_dtmf(char digit, DtmfVia via);
  // To the services' CallEventSink, if any.
  void report(CallEventKind kind, std::string detail = {}, std::string_view via = {}, MediaTotals totals = {});
  void report_transfer(CallEventKind kind, std::uint16_t status);
  // What our next offer differs in; the state before it is kept to roll
  // back to when the peer refuses it.
  struct OfferChange {
    sdp::Direction direction;
    std::optional<std::vector<sdp::Codec>> codecs;
  };
  Result<void> reoffer(OfferChange change);

  // The one transition point for each state variable: the table decides,
  // the registry mirrors. A refused move is a bug of ours: logged, counted.
  void move(SessionState to, TransitionCause cause);
  void move_media(MediaState to, TransitionCause cause);
  void media_follows(const sdp::NegotiatedMedia& media, TransitionCause hold, TransitionCause resume);
  // Terminated: the registry's end(), the app's CallEnded, resources back.
  void finish(const EndInfo& info, std::string_view outcome);
  Result<void> check_live(std::string_view action) const;
  Result<void> check_undecided(std::string_view action) const;
  void refused(const Error& error, std::string_view where);
  [[nodiscard]] bool established() const noexcept;

  SessionServices& services_;
  SessionId id_;
  Direction direction_;
  std::string call_id_;
  sip::CallHandle call_;
  SessionSlot slot_;
  SessionStateMachine machine_;

  std::unique_ptr<SessionApp> app_;
  std::unique_ptr<media::MediaApp> waiting_media_app_;          // attached before the stream existed
  sdp::Direction wanted_direction_ = sdp::Direction::SendRecv;  // ours: sendonly/inactive while we hold
  std::optional<std::vector<sdp::Codec>> wanted_codecs_;        // nullopt: the settings' codecs
  std::optional<OfferChange> before_reoffer_;                   // rollback target of our re-offer
  std::optional<sdp::NegotiatedMedia> negotiated_;
  std::optional<media::RtpPortReservation> ports_;  // before the stream: it outlives it
  std::unique_ptr<media::RtpStream> stream_;
  SessionAudio* audio_ = nullptr;  // the stream's app; valid while stream_ is
  std::optional<runtime::TimerId> timer_;
  std::optional<EndInfo> ending_;  // how we ended it, before the dialog layer confirms
  bool decided_ = false;           // an incoming call's accept/reject/redirect is done
  std::string digits_;             // every digit received, in order (for the summary line)
  std::string transfer_target_;    // the transfer under way's (Transferring), for its events
};

}  // namespace voxgate::session
