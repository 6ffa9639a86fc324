#include "app/loop_session_control.hpp"

#include <utility>

#include "app/media_app_factory.hpp"

namespace voxgate::app {

using Kind = api::SessionCommand::Kind;

Result<MediaConfig> media_config_for(const MediaConfig& base, const api::MediaAppSpec& spec) {
  MediaConfig config = base;
  if (spec.name == "echo") {
    config.app = MediaAppKind::Echo;
  } else if (spec.name == "tone") {
    config.app = MediaAppKind::Tone;
    config.tone_hz = spec.tone_hz;
  } else if (spec.name == "silence") {
    config.app = MediaAppKind::Silence;
  } else if (spec.name == "play") {
    config.app = MediaAppKind::Play;
    config.play_file = spec.file;
    config.play_loop = spec.loop;
  } else if (spec.name == "record") {
    config.app = MediaAppKind::Record;
  } else if (spec.name == "bot") {
    config.app = MediaAppKind::Bot;
  } else {
    return make_error(Errc::InvalidArgument, "no media app '{}'", spec.name);
  }
  return config;
}

LoopSessionControl::LoopSessionControl(runtime::LoopPool& pool, const std::vector<session::SessionManager*>& managers,
                                       MediaConfig media, Logger log)
    : pool_(pool), managers_(managers), media_(std::move(media)), log_(std::move(log)) {}

Result<std::unique_ptr<media::MediaApp>> LoopSessionControl::build(const api::MediaAppSpec& spec,
                                                                   std::string_view call_id) const {
  auto config = media_config_for(media_, spec);
  if (!config) return tl::unexpected(config.error());
  // "record" with a file writes there; otherwise [media] record_dir decides.
  return make_media_app(*config, call_id, spec.name == "record" ? spec.file : std::string());
}

void LoopSessionControl::originate(api::OriginateRequest request, Originated done) {
  const std::size_t index = next_loop_.fetch_add(1, std::memory_order_relaxed) % managers_.size();
  pool_.loop(index).post([this, index, request = std::move(request), done = std::move(done)]() mutable {
    session::OutboundCall call;
    call.target = std::move(request.target);
    call.from = request.from.empty() ? default_from_ : std::move(request.from);
    call.metadata = std::move(request.metadata);
    call.timeout = request.timeout;
    if (request.app) {
      if (request.app->name == "record" && request.app->file.empty() && media_.record_dir.empty()) {
        return done(make_error(Errc::InvalidArgument, "app 'record' needs a 'file' (or [media] record_dir)"));
      }
      auto app = build(*request.app, "outbound");
      if (!app) return done(tl::unexpected(app.error()));
      call.media_app = std::move(*app);
    }
    done(managers_[index]->make_call(std::move(call)));
  });
}

void LoopSessionControl::command(session::SessionId id, std::string call_id, api::SessionCommand command, Done done) {
  const std::size_t index = pool_.index_for(call_id);
  pool_.loop(index).post(
      [this, index, id, call_id = std::move(call_id), command = std::move(command), done = std::move(done)]() mutable {
        session::Session* session = managers_[index]->find(id);
        if (session == nullptr || session->ended()) {
          return done(make_error(Errc::InvalidState, "session {} has ended", id));
        }
        done(apply(*session, std::move(command)));
      });
}

Result<void> LoopSessionControl::apply(session::Session& session, api::SessionCommand command) const {
  auto app_for = [&](const std::optional<api::MediaAppSpec>& spec) -> Result<std::unique_ptr<media::MediaApp>> {
    if (!spec) return make_media_app(media_, session.call_id());
    return build(*spec, session.call_id());
  };
  switch (command.kind) {
    case Kind::Hangup: return session.hangup(command.reason);
    case Kind::Reject: return session.reject(command.status, command.reason);
    case Kind::Hold: return session.hold();
    case Kind::Resume: return session.resume();
    case Kind::Dtmf: return session.send_dtmf(command.digits);
    case Kind::Transfer: return session.transfer(std::move(command.target));
    case Kind::Say: return session.say(command.handle, command.text);
    case Kind::CancelSay: return session.cancel_say(command.handle);
    case Kind::Answer: {
      auto app = app_for(command.app);
      if (!app) return tl::unexpected(app.error());
      auto config = command.app ? media_config_for(media_, *command.app) : Result<MediaConfig>(media_);
      if (config && config->app == MediaAppKind::Bot) {
        if (!apps_.bot) {
          return make_error(Errc::Unsupported, "the voice bot is not running (no [media] app or route app is \"bot\")");
        }
        // {"name": "bot", "profile": "sales"}: [bots.sales]; no profile (or
        // no app, [media] app = "bot"): the default one, [bot] (docs/API.md).
        const std::string_view profile = command.app ? std::string_view(command.app->bot_profile) : "";
        auto bot = apps_.bot(session.call_id(), profile);
        if (!bot) return make_error(Errc::InvalidArgument, "no bot profile '{}' (no [bots.{}])", profile, profile);
        return session.accept(std::move(bot), std::move(*app));
      }
      return session.accept(nullptr, std::move(*app));
    }
    case Kind::Stream: {
      if (!apps_.stream) {
        return make_error(Errc::Unsupported, "bot streaming is not set up (no [media] or route app is \"stream\")");
      }
      RouteApp route;
      if (!command.stream.url.empty()) route.stream_url = command.stream.url;
      if (!command.stream.profile.empty()) route.stream_profile = bot::stream_profile_from_name(command.stream.profile);
      if (!command.stream.parameters.empty()) route.stream_parameters = command.stream.parameters;
      // The registry has the parties; the session's loop has only the call.
      return session.switch_app(apps_.stream(StreamedCall{session.call_id(), {}, {}}, route));
    }
    case Kind::Play:
    case Kind::Record:
    case Kind::App: {
      auto app = app_for(command.app);
      if (!app) return tl::unexpected(app.error());
      return session.attach_media_app(std::move(*app));
    }
  }
  return make_error(Errc::Internal, "unknown command");
}

}  // namespace voxgate::app
