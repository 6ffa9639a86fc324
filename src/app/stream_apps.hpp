#pragma once
// The wiring of bot streaming (bot/stream): the StreamAppFactory that
// serve hands the routing policy. The disconnect prompt is synthesised
// once here, at start-up, not on a media loop when a bot breaks.
#include "app/bot_apps.hpp"
#include "app/config.hpp"
#include "base/result.hpp"
#include "runtime/loop_pool.hpp"

namespace voxgate::app {

// `workers` must outlive the factory; `bots` (may be empty) serves
// on_disconnect = "bot". Fails when the prompt cannot be synthesised.
Result<StreamAppFactory> make_stream_app_factory(const GatewayConfig& config, runtime::LoopPool& workers,
                                                 BotAppFactory bots);

}  // namespace voxgate::app
