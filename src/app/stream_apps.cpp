#include "app/stream_apps.hpp"

#include <utility>

#include "app/routing_config.hpp"
#include "bot/stream/stream_session_app.hpp"
#include "bot/tts/synthesizer_factory.hpp"

namespace voxgate::app {

Result<StreamAppFactory> make_stream_app_factory(const GatewayConfig& config, runtime::LoopPool& workers,
                                                 BotAppFactory bots) {
  const int app_rate = static_cast<int>(config.media.app_rate);
  std::shared_ptr<const std::vector<std::int16_t>> prompt;
  if (!config.stream.disconnect_prompt.empty()) {
    // The bot's voice ([bot] tts and voice), so a streamed call's last words
    // sound like the bot.
    auto synthesizer = bot::create_synthesizer(config.bot.tts, app_rate);
    if (!synthesizer) return tl::unexpected(synthesizer.error());
    auto pcm = (*synthesizer)->synthesize(config.stream.disconnect_prompt);
    if (!pcm) return tl::unexpected(pcm.error());
    prompt = std::make_shared<const std::vector<std::int16_t>>(std::move(*pcm));
  }
  return [base = config.stream, app_rate, prompt, &workers, bots = std::move(bots)](
             const StreamedCall& call, const RouteApp& route) -> std::unique_ptr<session::SessionApp> {
    bot::StreamAppContext context;
    context.settings = stream_settings_for(base, route);
    context.start.call_id = call.call_id;
    context.start.from = call.from;
    context.start.to = call.to;
    context.start.parameters = context.settings.parameters;
    context.app_rate = app_rate;
    context.disconnect_prompt = prompt;
    if (bots) context.fallback = [bots, call_id = call.call_id] { return bots(call_id, ""); };
    return std::make_unique<bot::StreamSessionApp>(workers.loop_for(call.call_id).context(), std::move(context));
  };
}

}  // namespace voxgate::app
