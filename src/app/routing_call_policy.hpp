#pragma once
// What `voxgate serve` does with an incoming call: the first matching
// [[routes]] entry (route_matcher.hpp) decides, per its action
// (routing_config.hpp):
//
//   app      accept at once, with the route's media app (app "bot": the
//            voice bot's SessionApp over silence)
//   reject   reject with the route's status and reason
//   ring     accept, answering after ring_ms; answer = false: defer with
//            max_ring_ms as the watchdog (480 when it fires)
//   hold     accept with silence: the call stays up until the caller's BYE
//   park     defer until max_ring_ms: the API answers or rejects it
//   webhook  defer until max_ring_ms and POST the call to decision_url;
//            the reply's action (or, on any failure, the fallback) is
//            carried out through api::SessionControl (Answer/Reject). A
//            ring asked for there is timed on the HTTP io_context, from
//            when the reply came; park and ring without answer leave the
//            call to the API or the watchdog.
//
// Every decision carries the route's metadata and route=<name>. Metadata
// in a webhook's reply is checked but not applied yet: api::SessionCommand
// has no field for it. With no routes configured, every call takes the
// implicit route: [media] app after [answer] delay_ms, no metadata (as
// before routing). With routes, a call matching none gets 404.
//
// Threads: on_incoming_call runs on any worker loop, concurrently; it only
// reads the routes and posts webhook work to `http_io`, whose thread alone
// runs the HTTP client and its timers.
//
// The decision request: POST decision_url, Content-Type: application/json,
//   {"route": "...", "session_id": "42", "call_id": "...", "from": "sip:...",
//    "from_name": "...", "to": "sip:...", "request_uri": "sip:...",
//    "source": "192.0.2.4", "metadata": {...the route's...},
//    "headers": [{"name": "Via", "value": "..."}, ...]}
// with every header field of the INVITE in order, except Authorization and
// Proxy-Authorization (credentials are no business of the decider).

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "api/session_control.hpp"
#include "app/bot_apps.hpp"
#include "app/config.hpp"
#include "app/routing_config.hpp"
#include "base/log.hpp"
#include "session/incoming_call.hpp"
#include "session/registry/session_registry.hpp"

namespace voxgate::app {

class RoutingCallPolicy final : public session::IncomingCallPolicy {
 public:
  // `routes` as validate_routes() accepts them (GatewayConfig::routes).
  // A decision webhook's metadata lands on the session through `registry`
  // before its action is carried out through `control`.
  // `control`, `registry` and `http_io` must outlive the policy, and it must be
  // destroyed on http_io's thread or while http_io is not running (it owns
  // an net::HttpClient); webhook work still queued then is dropped.
  RoutingCallPolicy(std::vector<RouteConfig> routes, MediaConfig media, AnswerConfig answer,
                    api::SessionControl& control, session::SessionRegistry& registry, boost::asio::io_context& http_io,
                    Logger log, SessionAppFactories apps = {});
  RoutingCallPolicy(const RoutingCallPolicy&) = delete;
  RoutingCallPolicy& operator=(const RoutingCallPolicy&) = delete;
  ~RoutingCallPolicy() override;

  session::IncomingDecision on_incoming_call(const session::IncomingCall& call) override;

  // The routes in force: the configured ones, or the implicit one.
  [[nodiscard]] std::span<const RouteConfig> routes() const noexcept { return routes_; }

 private:
  class Webhooks;

  [[nodiscard]] session::IncomingDecision decide(const RouteConfig& route, const session::IncomingCall& call) const;
  [[nodiscard]] session::IncomingDecision answer_with(const RouteApp& app, std::chrono::milliseconds ring,
                                                      const session::IncomingCall& call) const;

  std::vector<RouteConfig> routes_;
  bool implicit_;  // no routes configured: routes_ holds the implicit one
  MediaConfig media_;
  SessionAppFactories apps_;
  boost::asio::io_context& http_io_;
  Logger log_;
  std::shared_ptr<Webhooks> webhooks_;
};

// The JSON body POSTed to `route`'s decision_url for `call`.
std::string decision_request_body(const session::IncomingCall& call, const RouteConfig& route);

// The API command carrying out `action` on a deferred call (Answer with
// the media app, or Reject); nullopt for the actions that leave it ringing
// (park, ring without answer). A ring's delay is the caller's to wait.
std::optional<api::SessionCommand> command_for(const RouteAction& action, const MediaConfig& media);

}  // namespace voxgate::app
