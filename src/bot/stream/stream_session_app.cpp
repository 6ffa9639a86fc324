#include "bot/stream/stream_session_app.hpp"

#include <chrono>
#include <utility>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "bot/stream/audiosocket_codec.hpp"
#include "bot/stream/l16_codec.hpp"
#include "bot/stream/twilio_codec.hpp"
#include "session/session.hpp"

namespace voxgate::bot {
namespace {

std::string json(const boost::json::object& fields) {
  return boost::json::serialize(fields);
}

std::unique_ptr<StreamCodec> make_codec(const StreamSettings& settings, std::uint64_t session_id) {
  switch (settings.profile) {
    case StreamProfile::Twilio: {
      TwilioCodecOptions options;
      // Unique per stream: the session id and the moment it started.
      const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
      options.stream_sid = fmt::format("MZ{:016x}{:016x}", session_id, static_cast<std::uint64_t>(now));
      options.account_sid = settings.account_sid;
      options.watermarks = settings.watermarks.value_or(false);
      return std::make_unique<TwilioCodec>(std::move(options));
    }
    case StreamProfile::L16:
      return std::make_unique<L16Codec>(L16CodecOptions{settings.l16_rate, settings.watermarks.value_or(true)});
    case StreamProfile::AudioSocket: return std::make_unique<AudioSocketCodec>();
  }
  return nullptr;
}

}  // namespace

StreamSessionApp::StreamSessionApp(boost::asio::io_context& io, StreamAppContext context)
    : io_(io), context_(std::move(context)) {}

StreamSessionApp::~StreamSessionApp() {
  if (connection_) connection_->detach();
}

std::size_t StreamSessionApp::samples_for(std::chrono::milliseconds duration) const noexcept {
  return static_cast<std::size_t>(duration.count()) * static_cast<std::size_t>(context_.app_rate) / 1000;
}

void StreamSessionApp::event(std::string_view type, std::string fields_json) {
  if (session_ != nullptr) (void)session_->report_app_event(type, std::move(fields_json));
}

void StreamSessionApp::send(std::optional<StreamMessage> message) {
  if (message && open_ && connection_) connection_->send(std::move(*message));
}

// --- the call -------------------------------------------------------------------

void StreamSessionApp::on_call_started(const session::CallStarted& event, session::Session& session) {
  session_ = &session;
  if (fallback_) return fallback_->on_call_started(event, session);
  context_.start.session_id = session.id().value();
  codec_ = make_codec(context_.settings, context_.start.session_id);
  const int wire = codec_->wire_rate();
  if (wire != context_.app_rate) {
    auto to_wire = media::Resampler::create(context_.app_rate, wire);
    auto from_wire = media::Resampler::create(wire, context_.app_rate);
    if (!to_wire || !from_wire) {
      return on_disconnected(fmt::format("cannot resample {} Hz to {} Hz", context_.app_rate, wire));
    }
    to_wire_.emplace(std::move(*to_wire));
    from_wire_.emplace(std::move(*from_wire));
  }
  connect();
}

void StreamSessionApp::connect() {
  StreamConnectionOptions options;
  options.connect_timeout = context_.settings.connect_timeout;
  // jambonz's listen servers expect their subprotocol (and may refuse others).
  if (context_.settings.profile == StreamProfile::L16) options.subprotocol = "audio.jambonz.org";
  StreamConnectionCallbacks callbacks;
  callbacks.on_open = [this] { on_open(); };
  callbacks.on_message = [this](const StreamMessage& message) { on_message(message); };
  callbacks.on_closed = [this](const std::string& reason) {
    connection_.reset();
    on_disconnected(reason);
  };
  auto connection = connect_stream(io_, context_.settings.url, options, std::move(callbacks));
  if (!connection) return on_disconnected(connection.error().message);
  connection_ = std::move(*connection);
}

void StreamSessionApp::on_open() {
  open_ = true;
  for (auto& message : codec_->start(context_.start)) send(std::move(message));
  event("stream.connected", json({{"url", context_.settings.url}, {"profile", to_string(context_.settings.profile)}}));
}

void StreamSessionApp::on_hold_changed(const session::HoldChanged& event, session::Session& session) {
  if (fallback_) fallback_->on_hold_changed(event, session);
}

void StreamSessionApp::on_pcm_received(const session::PcmReceived& event, session::Session& session) {
  if (fallback_) return fallback_->on_pcm_received(event, session);
  if (!open_) return;  // before the bot answered: not buffered, the bot hears the call from its start
  if (!to_wire_) return send(codec_->caller_audio(event.frame));
  scratch_.clear();
  to_wire_->process(event.frame, scratch_);
  send(codec_->caller_audio(scratch_));
}

void StreamSessionApp::on_dtmf_received(const session::DtmfReceived& event, session::Session& session) {
  if (fallback_) return fallback_->on_dtmf_received(event, session);
  if (open_) send(codec_->dtmf(event.digit));
}

void StreamSessionApp::on_audio_played(const session::AudioPlayed& event, session::Session& session) {
  if (fallback_) return fallback_->on_audio_played(event, session);
  if (hangup_when_played_) {
    if (event.still_queued == 0) (void)session.hangup();
    return;
  }
  for (auto& name : ledger_.played(event.samples)) {
    send(codec_->mark(name, MarkOutcome::Played));
    this->event("stream.mark", json({{"name", name}, {"outcome", "played"}}));
  }
  watch_level();
}

void StreamSessionApp::on_call_ended(const session::CallEnded& event, session::Session& session) {
  if (fallback_) fallback_->on_call_ended(event, session);
  session_ = nullptr;
  if (connection_) {
    if (open_) send(codec_->stop());
    open_ = false;
    connection_->detach();  // closes after the stop message
    connection_.reset();
  }
}

// --- the bot --------------------------------------------------------------------

void StreamSessionApp::on_message(const StreamMessage& message) {
  if (session_ == nullptr || fallback_) return;
  auto commands = codec_->decode(message);
  if (!commands) {
    // One bad message is reported, not fatal: the stream goes on.
    return event("stream.error", json({{"message", commands.error().message}}));
  }
  for (auto& command : *commands) {
    if (auto* audio = std::get_if<BotAudio>(&command)) {
      play(std::move(audio->pcm));
    } else if (auto* marked = std::get_if<BotMark>(&command)) {
      mark(std::move(marked->name));
    } else if (std::holds_alternative<BotClear>(command)) {
      clear();
    } else if (std::holds_alternative<BotHangup>(command)) {
      (void)session_->hangup();
      return;
    }
  }
}

void StreamSessionApp::play(std::vector<std::int16_t> wire_pcm) {
  std::vector<std::int16_t> pcm;
  if (from_wire_) {
    from_wire_->process(wire_pcm, pcm);
  } else {
    pcm = std::move(wire_pcm);
  }
  const std::size_t room = samples_for(context_.settings.max_queue) -
                           std::min(ledger_.queued_samples(), samples_for(context_.settings.max_queue));
  if (pcm.size() > room) {
    if (!overflowing_) {
      event("stream.overflow", json({{"dropped_ms", (pcm.size() - room) * 1000 / context_.app_rate},
                                     {"max_queue_ms", context_.settings.max_queue.count()}}));
    }
    overflowing_ = true;
    pcm.resize(room);
  } else {
    overflowing_ = false;
  }
  if (pcm.empty()) return;
  if (auto queued = session_->play_audio(pcm); !queued) {
    return event("stream.error", json({{"message", queued.error().message}}));
  }
  ledger_.queue({}, pcm.size());
  watch_level();
}

void StreamSessionApp::mark(std::string name) {
  if (ledger_.queued_samples() == 0) {
    // Nothing before it is still to play: it is reached now.
    send(codec_->mark(name, MarkOutcome::Played));
    return event("stream.mark", json({{"name", name}, {"outcome", "played"}}));
  }
  ledger_.queue_mark(std::move(name));
}

void StreamSessionApp::clear() {
  (void)session_->clear_audio();
  const auto report = ledger_.flush();
  const auto dropped = report.samples_queued - report.samples_played;
  for (const auto& name : report.marks_dropped) {
    send(codec_->mark(name, MarkOutcome::Cleared));
    event("stream.mark", json({{"name", name}, {"outcome", "cleared"}}));
  }
  event("stream.clear", json({{"dropped_ms", dropped * 1000 / static_cast<std::size_t>(context_.app_rate)}}));
  watch_level();
}

void StreamSessionApp::watch_level() {
  const std::size_t queued = ledger_.queued_samples();
  const auto queued_ms = static_cast<std::uint64_t>(queued * 1000 / static_cast<std::size_t>(context_.app_rate));
  if (!level_high_ && queued >= samples_for(context_.settings.high_watermark)) {
    level_high_ = true;
    send(codec_->queue_level(true, queued_ms));
  } else if (level_high_ && queued < samples_for(context_.settings.low_watermark)) {
    level_high_ = false;
    send(codec_->queue_level(false, queued_ms));
  }
}

void StreamSessionApp::on_disconnected(const std::string& reason) {
  open_ = false;
  if (session_ == nullptr) return;  // the call is over: nothing to save
  event("stream.disconnected", json({{"reason", reason}}));
  (void)session_->clear_audio();
  (void)ledger_.flush();
  if (context_.settings.on_disconnect == StreamDisconnectAction::Bot && context_.fallback) {
    fallback_ = context_.fallback();
    if (fallback_ && session_->negotiated()) {
      return fallback_->on_call_started(session::CallStarted{*session_->negotiated()}, *session_);
    }
    fallback_.reset();
  }
  const auto& prompt = context_.disconnect_prompt;
  if (prompt == nullptr || prompt->empty() || !session_->play_audio(*prompt)) {
    (void)session_->hangup();
    return;
  }
  hangup_when_played_ = true;
}

}  // namespace voxgate::bot
