#pragma once
// How the wiring hands out the voice bot: the SessionApp for the call with
// this Call-ID (bot::BotService::make_app on that call's worker loop).
// Empty when no bot runs. Used where a call gets answered: the routing
// policy and the API's answer command (a webhook decision, POST .../answer).
#include <functional>
#include <memory>
#include <string_view>

#include "session/session_app.hpp"

namespace voxgate::app {

using BotAppFactory = std::function<std::unique_ptr<session::SessionApp>(std::string_view call_id)>;

}  // namespace voxgate::app
