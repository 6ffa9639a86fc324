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

Result<std::unique_ptr<BotService>> BotService::create(BotSettings settings, Logger log) {
  if (auto menu = validate(settings.menu); !menu) return tl::unexpected(menu.error());
  settings.vad.sample_rate = settings.sample_rate;
  settings.stt.sample_rate = settings.sample_rate;
  auto model = PocketsphinxModel::load();
  if (!model) return tl::unexpected(model.error());
  auto voice = create_synthesizer(settings.tts, settings.sample_rate);
  if (!voice)
    return make_error(voice.error().code, "bot.tts = \"{}\": {}", settings.tts.provider, voice.error().message);
  auto service = std::unique_ptr<BotService>(
      new BotService(std::move(settings), std::move(log), std::move(*model), std::move(*voice)));
  // One call's providers now, so a setting they refuse fails the start, not every call.
  if (auto trial = service->providers_for_call("trial"); !trial) return tl::unexpected(trial.error());
  return service;
}

BotService::BotService(BotSettings settings, Logger log, std::shared_ptr<const PocketsphinxModel> model,
                       std::unique_ptr<SpeechSynthesizer> voice)
    : settings_(std::move(settings)),
      log_(std::move(log)),
      model_(std::move(model)),
      voice_(std::move(voice)),
      agent_breaker_(std::make_shared<CircuitBreaker>(settings_.http.breaker, clock_, log_)),
      timers_(std::make_unique<runtime::LoopTimers>(loop_, clock_)) {}

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

std::unique_ptr<session::SessionApp> BotService::make_app(runtime::EventLoop& session_loop) {
  return std::make_unique<BotSessionApp>(std::make_shared<BotLink>(*this, session_loop));
}

Result<ConversationProviders> BotService::providers_for_call(std::string_view call_id) {
  ConversationProviders providers;
  auto vad = WebrtcVoiceProcessor::create(settings_.vad);
  if (!vad) return tl::unexpected(vad.error());
  providers.vad = std::move(*vad);
  auto stt = PocketsphinxRecognizer::create(model_, settings_.stt);
  if (!stt) return tl::unexpected(stt.error());
  providers.stt = std::move(*stt);
  providers.tts = voice_.get();
  switch (settings_.agent) {
    case AgentKind::Menu: {
      auto agent = MenuAgent::create(settings_.menu);
      if (!agent) return tl::unexpected(agent.error());
      providers.agent = std::move(*agent);
      break;
    }
    case AgentKind::EchoTranscript: providers.agent = std::make_unique<EchoTranscriptAgent>(); break;
    case AgentKind::Http: {
      auto agent = HttpAgent::create(loop_.context(), settings_.http, std::string(call_id), agent_breaker_);
      if (!agent) return make_error(agent.error().code, "bot.http: {}", agent.error().message);
      providers.agent = std::move(*agent);
      break;
    }
    case AgentKind::WebSocket:
      providers.agent = std::make_unique<WebSocketAgent>(loop_.context(), settings_.websocket, std::string(call_id));
      break;
  }
  return providers;
}

}  // namespace voxgate::bot
