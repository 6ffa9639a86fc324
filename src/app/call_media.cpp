#include "app/call_media.hpp"

#include <filesystem>

#include "app/stream_config.hpp"
#include "media/apps/basic_apps.hpp"
#include "media/apps/play_app.hpp"
#include "media/apps/record_app.hpp"

namespace voxgate::app {

std::string file_name_for(std::string_view call_id) {
  std::string name;
  name.reserve(call_id.size());
  for (const char c : call_id) {
    const bool safe =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    name.push_back(safe ? c : '_');
  }
  if (name.empty() || name.front() == '.') name.insert(name.begin(), '_');
  return name;
}

CallMedia::~CallMedia() {
  // Streams before their watches (Entry's order) and before the loop goes.
  calls_.clear();
}

Result<std::unique_ptr<media::MediaApp>> CallMedia::make_app(std::string_view call_id, std::string record_path) const {
  const int rate = static_cast<int>(config_.app_rate);
  std::unique_ptr<media::MediaApp> app;
  switch (config_.app) {
    case MediaAppKind::Echo: app = std::make_unique<media::EchoApp>(rate); break;
    case MediaAppKind::Tone: app = std::make_unique<media::ToneApp>(rate, config_.tone_hz); break;
    case MediaAppKind::Silence:
    case MediaAppKind::Record: app = std::make_unique<media::SilenceApp>(rate); break;
    case MediaAppKind::Play: {
      auto play = media::PlayApp::create(config_.play_file, rate,
                                         config_.play_loop ? media::PlayMode::Loop : media::PlayMode::Once);
      if (!play) return tl::unexpected(play.error());
      app = std::move(*play);
      break;
    }
  }
  if (record_path.empty() && !config_.record_dir.empty()) {
    record_path = (std::filesystem::path(config_.record_dir) / (file_name_for(call_id) + ".wav")).string();
  }
  if (record_path.empty()) return app;
  auto recorder = media::RecordApp::create(
      record_path, config_.record_stereo ? media::RecordChannels::Both : media::RecordChannels::Caller, std::move(app));
  if (!recorder) return tl::unexpected(recorder.error());
  return std::unique_ptr<media::MediaApp>(std::move(*recorder));
}

Result<media::RtpStreamConfig> CallMedia::stream_config_for(sip::CallHandle call,
                                                            const sdp::NegotiatedMedia& negotiated) const {
  const sdp::NegotiatedStream* audio = negotiated.audio();
  if (audio == nullptr) return make_error(Errc::InvalidArgument, "no audio stream was agreed");
  auto stream_config = make_stream_config(*audio, config_);
  if (stream_config) stream_config->cname = fmt::format("voxgate-{}@{}", call.value(), config_.address);
  return stream_config;
}

Result<void> CallMedia::start(sip::CallHandle call, std::string_view call_id, media::RtpPortReservation& ports,
                              const sdp::NegotiatedMedia& negotiated, CallMediaListener& listener,
                              std::string record_path) {
  auto stream_config = stream_config_for(call, negotiated);
  if (!stream_config) return tl::unexpected(stream_config.error());
  auto app = make_app(call_id, std::move(record_path));
  if (!app) return tl::unexpected(app.error());
  Entry entry;
  entry.watch = std::make_unique<StreamWatch>(call, listener);
  auto stream = media::RtpStream::create(loop_, ports, *stream_config, std::move(*app), *entry.watch);
  if (!stream) return tl::unexpected(stream.error());
  entry.stream = std::move(*stream);
  calls_.insert_or_assign(call, std::move(entry));
  return {};
}

Result<void> CallMedia::update(sip::CallHandle call, const sdp::NegotiatedMedia& negotiated) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return make_error(Errc::NotFound, "call {} has no media", call);
  auto stream_config = stream_config_for(call, negotiated);
  if (!stream_config) return tl::unexpected(stream_config.error());
  return it->second.stream->update(*stream_config);
}

Result<void> CallMedia::send_dtmf(sip::CallHandle call, std::string_view digits) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return make_error(Errc::NotFound, "call {} has no media", call);
  for (const char digit : digits) {
    if (auto queued = it->second.stream->send_dtmf(digit); !queued) return queued;
  }
  return {};
}

std::optional<media::RtpStreamStats> CallMedia::stop(sip::CallHandle call) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return std::nullopt;
  media::RtpStreamStats stats = it->second.stream->stats();
  calls_.erase(it);
  return stats;
}

}  // namespace voxgate::app
