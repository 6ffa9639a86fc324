#include "app/routing_call_policy.hpp"

#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "app/media_app_factory.hpp"
#include "app/route_matcher.hpp"
#include "net/http/http_client.hpp"

namespace voxgate::app {
namespace {

// A route for configurations without any: what `voxgate serve` did before
// routing, the [media] app after [answer] delay_ms.
RouteConfig implicit_route(const AnswerConfig& answer) {
  RouteConfig route;
  route.name = "default";
  route.action.kind = RouteActionKind::Ring;
  route.action.ring = answer.answer_delay;
  return route;
}

api::MediaAppSpec media_spec_for(const MediaConfig& base, const RouteApp& app) {
  const MediaConfig config = media_config_for(base, app);
  api::MediaAppSpec spec;
  spec.name = std::string(to_string(config.app));
  spec.tone_hz = config.tone_hz;
  // "record" with no file records to [media] record_dir, as configured.
  if (config.app == MediaAppKind::Play) spec.file = config.play_file;
  spec.loop = config.play_loop;
  return spec;
}

}  // namespace

// The webhook side of routing: on the HTTP io_context's thread only.
// Handlers hold it weakly, so work still queued when the policy goes is
// dropped rather than run on a dead object.
class RoutingCallPolicy::Webhooks final : public std::enable_shared_from_this<Webhooks> {
 public:
  struct Pending {
    session::SessionId id;
    std::string call_id;
    std::string route;
    DecisionWebhook webhook;
    std::string body;
  };

  Webhooks(boost::asio::io_context& io, api::SessionControl& control, session::SessionRegistry& registry,
           MediaConfig media, Logger log)
      : io_(io), client_(io), control_(control), registry_(registry), media_(std::move(media)), log_(std::move(log)) {}

  void ask(Pending pending) {
    net::HttpRequestSpec spec;
    spec.method = boost::beast::http::verb::post;
    spec.url = pending.webhook.url;
    spec.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    spec.body = std::move(pending.body);
    const auto timeout = pending.webhook.timeout;
    client_.request(
        std::move(spec), timeout,
        [weak = weak_from_this(), pending = std::move(pending)](const Result<net::HttpResponseData>& reply) {
          if (auto self = weak.lock()) self->on_reply(pending, reply);
        });
  }

 private:
  Result<RouteDecision> interpret(const Result<net::HttpResponseData>& reply) const {
    if (!reply) return tl::unexpected(reply.error());
    if (reply->status < 200 || reply->status > 299) {
      return make_error(Errc::InvalidArgument, "it answered {} {}", reply->status, reply->reason);
    }
    auto decision = parse_route_decision(reply->body);
    if (!decision) return decision;
    if (auto usable = check_action(decision->action, media_); !usable) return tl::unexpected(usable.error());
    return decision;
  }

  void on_reply(const Pending& pending, const Result<net::HttpResponseData>& reply) {
    auto decision = interpret(reply);
    if (!decision) {
      log_.warn("session {} (route {}): no decision from {}: {}; taking the fallback ({})", pending.id, pending.route,
                pending.webhook.url, decision.error().message, to_string(pending.webhook.fallback.kind));
      carry_out(pending, pending.webhook.fallback);
      return;
    }
    log_.debug("session {} (route {}): the webhook decided {}", pending.id, pending.route,
               to_string(decision->action.kind));
    // Before the action, so the events of the answer (and the CDR) carry it.
    for (auto& [key, value] : decision->metadata) {
      if (auto set = registry_.set_metadata(pending.id, key, std::move(value)); !set) {
        log_.warn("session {}: the decision's metadata '{}' was not set: {}", pending.id, key, set.error().message);
      }
    }
    carry_out(pending, decision->action);
  }

  void carry_out(const Pending& pending, const RouteAction& action) {
    auto command = command_for(action, media_);
    if (!command) return;  // it rings on: the API or the watchdog ends it
    if (action.kind == RouteActionKind::Ring && action.ring.count() > 0) {
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, action.ring);
      timer->async_wait([weak = weak_from_this(), timer, id = pending.id, call_id = pending.call_id,
                         command = std::move(*command)](boost::system::error_code ec) mutable {
        if (ec) return;
        if (auto self = weak.lock()) self->send(id, std::move(call_id), std::move(command));
      });
      return;
    }
    send(pending.id, pending.call_id, std::move(*command));
  }

  void send(session::SessionId id, std::string call_id, api::SessionCommand command) {
    // `done` runs on the session's worker loop: it may only log. A call
    // that failed to be answered (the caller hung up, a prompt file went
    // missing) rings on until its watchdog.
    control_.command(id, std::move(call_id), std::move(command), [log = log_, id](Result<void> done) {
      if (!done) log.warn("session {}: the routing decision could not be carried out: {}", id, done.error().message);
    });
  }

  boost::asio::io_context& io_;
  net::HttpClient client_;
  api::SessionControl& control_;
  session::SessionRegistry& registry_;
  MediaConfig media_;
  Logger log_;
};

RoutingCallPolicy::RoutingCallPolicy(std::vector<RouteConfig> routes, MediaConfig media, AnswerConfig answer,
                                     api::SessionControl& control, session::SessionRegistry& registry,
                                     boost::asio::io_context& http_io, Logger log, SessionAppFactories apps)
    : routes_(std::move(routes)),
      implicit_(routes_.empty()),
      media_(std::move(media)),
      apps_(std::move(apps)),
      http_io_(http_io),
      log_(std::move(log)),
      webhooks_(std::make_shared<Webhooks>(http_io, control, registry, media_, log_)) {
  if (implicit_) routes_.push_back(implicit_route(answer));
}

RoutingCallPolicy::~RoutingCallPolicy() = default;

session::IncomingDecision RoutingCallPolicy::on_incoming_call(const session::IncomingCall& call) {
  const RouteConfig* route = match_route(routes_, call);
  if (route == nullptr) {
    log_.debug("session {}: no route for {} from {} ({}); 404", call.session, call.request_uri, call.from.uri,
               call.source);
    return session::IncomingDecision::reject(404, "Not Found");
  }
  log_.debug("session {}: route {} ({})", call.session, route->name, to_string(route->action.kind));
  session::IncomingDecision decision = decide(*route, call);
  if (!implicit_) {
    decision.metadata = route->metadata;
    decision.metadata.insert_or_assign("route", route->name);
  }
  return decision;
}

session::IncomingDecision RoutingCallPolicy::decide(const RouteConfig& route, const session::IncomingCall& call) const {
  const RouteAction& action = route.action;
  switch (action.kind) {
    case RouteActionKind::App: return answer_with(action.app, std::chrono::milliseconds(0), call);
    case RouteActionKind::Reject: return session::IncomingDecision::reject(action.status, action.reason);
    case RouteActionKind::Ring:
      if (!action.answer) return session::IncomingDecision::defer(route.max_ring);
      return answer_with(action.app, action.ring, call);
    case RouteActionKind::Hold: {
      RouteApp silence;
      silence.kind = MediaAppKind::Silence;
      return answer_with(silence, std::chrono::milliseconds(0), call);
    }
    case RouteActionKind::Park: return session::IncomingDecision::defer(route.max_ring);
    case RouteActionKind::Webhook: {
      Webhooks::Pending pending{call.session, std::string(call.invite.call_id().value_or("")), route.name,
                                route.decision, decision_request_body(call, route)};
      boost::asio::post(http_io_, [weak = std::weak_ptr<Webhooks>(webhooks_), pending = std::move(pending)]() mutable {
        if (auto webhooks = weak.lock()) webhooks->ask(std::move(pending));
      });
      return session::IncomingDecision::defer(route.max_ring);
    }
  }
  return session::IncomingDecision::reject(500, "No route action");
}

session::IncomingDecision RoutingCallPolicy::answer_with(const RouteApp& app, std::chrono::milliseconds ring,
                                                         const session::IncomingCall& call) const {
  const MediaConfig config = media_config_for(media_, app);
  std::unique_ptr<session::SessionApp> session_app;
  if (config.app == MediaAppKind::Bot) {
    if (!apps_.bot) {
      log_.error("session {}: the route wants the bot, which is not running; refusing the call", call.session);
      return session::IncomingDecision::reject(500, "Bot unavailable");
    }
    session_app = apps_.bot(call.invite.call_id().value_or(""), app.bot.value_or(""));
    if (!session_app) {
      // Only a webhook's decision gets here: a route's profile was checked at start-up.
      log_.error("session {}: no bot profile \"{}\"; refusing the call", call.session, app.bot.value_or(""));
      return session::IncomingDecision::reject(500, "Bot unavailable");
    }
  } else if (config.app == MediaAppKind::Stream) {
    if (!apps_.stream) {
      log_.error("session {}: the route wants a bot stream, which is not set up; refusing the call", call.session);
      return session::IncomingDecision::reject(500, "Bot stream unavailable");
    }
    session_app =
        apps_.stream(StreamedCall{std::string(call.invite.call_id().value_or("")), call.from.uri, call.to.uri}, app);
  }
  auto media_app = make_media_app(config, call.invite.call_id().value_or(""));
  if (!media_app) {
    log_.error("session {}: no media app: {}; refusing the call", call.session, media_app.error().message);
    return session::IncomingDecision::reject(500, "Media app unavailable");
  }
  return session::IncomingDecision::accept(std::move(session_app), std::move(*media_app), ring);
}

std::string decision_request_body(const session::IncomingCall& call, const RouteConfig& route) {
  boost::json::object body;
  body["route"] = route.name;
  body["session_id"] = fmt::format("{}", call.session);
  body["call_id"] = std::string(call.invite.call_id().value_or(""));
  body["from"] = call.from.uri;
  body["from_name"] = call.from.display_name;
  body["to"] = call.to.uri;
  body["request_uri"] = call.request_uri;
  body["source"] = call.source;
  boost::json::object metadata;
  for (const auto& [key, value] : route.metadata) metadata[key] = value;
  body["metadata"] = std::move(metadata);
  boost::json::array headers;
  for (const sip::HeaderField& field : call.invite.fields()) {
    if (field.id == sip::HeaderId::Authorization || field.id == sip::HeaderId::ProxyAuthorization) continue;
    headers.push_back(boost::json::object{{"name", call.invite.name(field)}, {"value", call.invite.value(field)}});
  }
  body["headers"] = std::move(headers);
  return boost::json::serialize(body);
}

std::optional<api::SessionCommand> command_for(const RouteAction& action, const MediaConfig& media) {
  api::SessionCommand command;
  switch (action.kind) {
    case RouteActionKind::App:
      command.kind = api::SessionCommand::Kind::Answer;
      command.app = media_spec_for(media, action.app);
      return command;
    case RouteActionKind::Ring:
      if (!action.answer) return std::nullopt;
      command.kind = api::SessionCommand::Kind::Answer;
      command.app = media_spec_for(media, action.app);
      return command;
    case RouteActionKind::Hold: {
      RouteApp silence;
      silence.kind = MediaAppKind::Silence;
      command.kind = api::SessionCommand::Kind::Answer;
      command.app = media_spec_for(media, silence);
      return command;
    }
    case RouteActionKind::Reject:
      command.kind = api::SessionCommand::Kind::Reject;
      command.status = action.status;
      command.reason = action.reason;
      return command;
    case RouteActionKind::Park:
    case RouteActionKind::Webhook: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace voxgate::app
