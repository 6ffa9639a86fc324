#pragma once
// How the wiring hands out the apps that serve a call from another thread:
// the embedded voice bot (bot::BotService::make_app on the call's worker
// loop, under the route's bot profile) and the stream to a user's bot (bot::StreamSessionApp). Empty when
// no call can use them. Used where a call gets answered: the routing policy
// and the API's answer command (a webhook decision, POST .../answer).
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "session/session_app.hpp"

namespace voxgate::app {

struct RouteApp;

// The bot app for a call under the profile `bot` ("" for the default,
// [bot]); nullptr when there is no such profile.
using BotAppFactory =
    std::function<std::unique_ptr<session::SessionApp>(std::string_view call_id, std::string_view bot)>;

// What a streamed call tells its bot of itself.
struct StreamedCall {
  std::string call_id;
  std::string from;  // URIs
  std::string to;
};
// The stream app for `call`, with `route`'s stream_url/stream_profile over
// [stream]'s; an error when the stream cannot be set up.
using StreamAppFactory =
    std::function<std::unique_ptr<session::SessionApp>(const StreamedCall& call, const RouteApp& route)>;

struct SessionAppFactories {
  BotAppFactory bot;
  StreamAppFactory stream;
};

}  // namespace voxgate::app
