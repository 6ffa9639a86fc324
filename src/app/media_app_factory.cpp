#include "app/media_app_factory.hpp"

#include <filesystem>

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

Result<std::unique_ptr<media::MediaApp>> make_media_app(const MediaConfig& config, std::string_view call_id,
                                                        std::string record_path) {
  const int rate = static_cast<int>(config.app_rate);
  std::unique_ptr<media::MediaApp> app;
  switch (config.app) {
    case MediaAppKind::Echo: app = std::make_unique<media::EchoApp>(rate); break;
    case MediaAppKind::Tone: app = std::make_unique<media::ToneApp>(rate, config.tone_hz); break;
    case MediaAppKind::Silence:
    case MediaAppKind::Record:
    case MediaAppKind::Bot:     // the bot queues its speech over silence (Session::play_audio)
    case MediaAppKind::Stream:  // so does a streaming bot
      app = std::make_unique<media::SilenceApp>(rate);
      break;
    case MediaAppKind::Play: {
      auto play = media::PlayApp::create(config.play_file, rate,
                                         config.play_loop ? media::PlayMode::Loop : media::PlayMode::Once);
      if (!play) return tl::unexpected(play.error());
      app = std::move(*play);
      break;
    }
  }
  if (record_path.empty() && !config.record_dir.empty()) {
    record_path = (std::filesystem::path(config.record_dir) / (file_name_for(call_id) + ".wav")).string();
  }
  if (record_path.empty()) return app;
  auto recorder = media::RecordApp::create(
      record_path, config.record_stereo ? media::RecordChannels::Both : media::RecordChannels::Caller, std::move(app));
  if (!recorder) return tl::unexpected(recorder.error());
  return std::unique_ptr<media::MediaApp>(std::move(*recorder));
}

}  // namespace voxgate::app
