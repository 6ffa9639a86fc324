#include "bot/call/bot_service.hpp"

#include <chrono>
#include <thread>
#include <utility>

#include "bot/agent/echo_transcript_agent.hpp"
#include "bot/agent/http_agent.hpp"
#include "bot/call/bot_call.hpp"
#include "bot/call/bot_link.hpp"
#include "bot/call/bot_session_app.hpp"

namespace voxgate::bot {

std::string_view to_string(AgentKind kind) noexcept {
  switch (kind) {
    case AgentKind::Menu: return "menu";
    case AgentKind::EchoTranscript: return "echo-transcript";
    case AgentKind::Http: return "http";
    case AgentKind::WebSocket: return "websocket";
  }
  return "?";
}

namespace {

// What makes two profiles' voices the same synthesizer: the settings that
// [bot] tts, voice and [bot.espeak] set (the output rate is the service's).
std::string voice_key(const TtsSettings& tts) {
  if (tts.provider == "espeak-ng") {
    return fmt::format("espeak-ng/{}/{}/{}", tts.espeak.voice, tts.espeak.words_per_minute, tts.espeak.pitch);
  }
  return fmt::format("{}/{}", tts.provider, static_cast<int>(tts.flite.voice));
}

// How a profile's keys are named in messages: [bot] or [bots.<name>].
std::string table_of(std::string_view profile) {
  return profile == kDefaultBotProfile ? std::string("bot") : fmt::format("bots.{}", profile);
}

}  // namespace

Result<std::unique_ptr<BotService>> BotService::create(BotSettings settings, Logger log) {
  BotProfiles profiles;
  profiles.emplace(std::string(kDefaultBotProfile), std::move(settings));
  return create(std::move(profiles), std::move(log));
}

Result<std::unique_ptr<BotService>> BotService::create(BotProfiles profiles, Logger log) {
  if (profiles.empty()) return make_error(Errc::InvalidArgument, "the voice bot needs at least one profile");
  for (const auto& [name, settings] : profiles) {
    if (auto menu = validate(settings.menu); !menu) {
      return make_error(menu.error().code, "{}.menu: {}", table_of(name), menu.error().message);
    }
  }
  auto model = PocketsphinxModel::load();
  if (!model) return tl::unexpected(model.error());
  auto service = std::unique_ptr<BotService>(new BotService(std::move(log), std::move(*model)));
  std::map<std::string, SpeechSynthesizer*> voices;  // voice_key -> one of voices_
  for (auto& [name, settings] : profiles) {
    settings.vad.sample_rate = settings.sample_rate;
    settings.stt.sample_rate = settings.sample_rate;
    const std::string key = fmt::format("{}@{}", voice_key(settings.tts), settings.sample_rate);
    SpeechSynthesizer*& voice = voices[key];
    if (voice == nullptr) {
      auto made = create_synthesizer(settings.tts, settings.sample_rate);
      if (!made) {
        return make_error(made.error().code, "{}.tts = \"{}\": {}", table_of(name), settings.tts.provider,
                          made.error().message);
      }
      voice = made->get();
      service->voices_.push_back(std::move(*made));
    }
    BotProfile profile{name, std::move(settings), voice, nullptr};
    profile.agent_breaker =
        std::make_shared<CircuitBreaker>(profile.settings.http.breaker, service->clock_, service->log_);
    const auto at = service->profiles_.emplace(name, std::move(profile)).first;
    // One call's providers now, so a setting they refuse fails the start, not every call.
    if (auto trial = service->providers_for_call(at->second, "trial"); !trial) {
      if (name == kDefaultBotProfile) return tl::unexpected(trial.error());
      return make_error(trial.error().code, "{}: {}", table_of(name), trial.error().message);
    }
  }
  return service;
}

BotService::BotService(Logger log, std::shared_ptr<const PocketsphinxModel> model)
    : log_(std::move(log)), model_(std::move(model)), timers_(std::make_unique<runtime::LoopTimers>(loop_, clock_)) {}

BotService::~BotService() {
  stop();
  // Calls still linked go with the loop's queued tasks, after the timers
  // (cancel_timer() then does nothing).
  timers_.reset();
}

void BotService::start() {
  if (running_) return;
  running_ = true;
  loop_.start();
}

void BotService::stop() {
  if (!running_) return;
  running_ = false;
  for (int i = 0; i < 200 && active_calls() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  loop_.stop();
  loop_.join();
}

std::unique_ptr<session::SessionApp> BotService::make_app(runtime::EventLoop& session_loop, std::string_view profile) {
  const BotProfile* chosen = this->profile(profile);
  if (chosen == nullptr) return nullptr;
  return std::make_unique<BotSessionApp>(std::make_shared<BotLink>(*this, *chosen, session_loop));
}

const BotProfile* BotService::profile(std::string_view name) const noexcept {
  const auto found = profiles_.find(name.empty() ? kDefaultBotProfile : name);
  return found == profiles_.end() ? nullptr : &found->second;
}

Result<ConversationProviders> BotService::providers_for_call(const BotProfile& profile, std::string_view call_id) {
  const BotSettings& settings = profile.settings;
  ConversationProviders providers;
  auto vad = WebrtcVoiceProcessor::create(settings.vad);
  if (!vad) return tl::unexpected(vad.error());
  providers.vad = std::move(*vad);
  auto stt = PocketsphinxRecognizer::create(model_, settings.stt);
  if (!stt) return tl::unexpected(stt.error());
  providers.stt = std::move(*stt);
  providers.tts = profile.voice;
  switch (settings.agent) {
    case AgentKind::Menu: {
      auto agent = MenuAgent::create(settings.menu);
      if (!agent) return tl::unexpected(agent.error());
      providers.agent = std::move(*agent);
      break;
    }
    case AgentKind::EchoTranscript: providers.agent = std::make_unique<EchoTranscriptAgent>(); break;
    case AgentKind::Http: {
      auto agent = HttpAgent::create(loop_.context(), settings.http, std::string(call_id), profile.agent_breaker);
      if (!agent) return make_error(agent.error().code, "bot.http: {}", agent.error().message);
      providers.agent = std::move(*agent);
      break;
    }
    case AgentKind::WebSocket:
      providers.agent = std::make_unique<WebSocketAgent>(loop_.context(), settings.websocket, std::string(call_id));
      break;
  }
  return providers;
}

}  // namespace voxgate::bot
