#pragma once
// Routing rules for inbound calls: the `[[routes]]` of the configuration,
// tried in order; the first whose `match` holds for a call decides what
// happens to it. Read here, matched by route_matcher.hpp, carried out by
// routing_call_policy.hpp. examples/routing.toml shows every action.
//
//   [[routes]]
//   name = "support"        # required, unique; the session gets metadata route=<name>
//   match = { user = "support*", host = "*", from = "sip:*@example.com*",
//             source = ["127.0.0.0/8", "2001:db8::/32"], headers = { "X-Tenant" = "acme" } }
//   action = "app"          # app | reject | ring | hold | park | webhook
//   app = "tone"            # the media app, as [media] app; tone_hz, play_file, play_loop too;
//                           # app "stream": stream_url, stream_profile, stream_parameters ([stream])
//   bot = "sales"           # app "bot" only: the bot profile [bots.sales] (default: [bot],
//                           # the profile "default"); an unknown profile is an error
//   metadata = { team = "support" }
//   events_url = "http://127.0.0.1:9000/events"   # this route's session events go there,
//   events_secret = "..."                          # signed with this secret (both or neither)
//
// match: every key optional, all given must hold; no `match`: every call.
//   user    glob on the Request-URI's user part, unescaped, case-sensitive
//           (RFC 3261 §19.1.4); a tel: URI's number
//   host    glob on the Request-URI's host (no brackets around IPv6),
//           case-insensitive
//   from    glob on the From URI as received (port and parameters
//           included), case-insensitive
//   source  an IP address or CIDR block (v4 or v6), or an array of them
//           (any may hold); host bits beyond the prefix are an error
//   headers a table name -> glob: some field of that name (case-insensitive,
//           compact forms too) has a value the glob matches (case-sensitive)
//   A glob is text where '*' matches any run of characters, none included.
//
// Actions and their keys (a key of another action is an error):
//   app      answer at once, served by `app` (default: [media] app) with
//            tone_hz, play_file, play_loop (default: [media]'s); recorded
//            when [media] record_dir is set. With app "bot", `bot` picks
//            the voice bot's profile (bot_config.hpp); a webhook's
//            decision may name one too (an unknown one: 500 at the call)
//   reject   `status` 400-699 (required), `reason` (default: the standard
//            phrase)
//   ring     180, then after `ring_ms` answer with `app` (as for app); or,
//            with `answer = false`, never answer: the caller gives up, or
//            after `max_ring_ms` (default 60 s) voxgate answers 480
//   hold     answer and keep the call, sending silence, until a BYE
//   park     ring until the API answers or rejects the session (POST
//            /v1/sessions/{id}/answer); 480 after `max_ring_ms`
//   webhook  ring, POST the call as JSON to `decision_url` and do what the
//            reply says (parse_route_decision); on a timeout
//            (`decision_timeout_ms`, default 2000), an error, a non-2xx
//            status or an unusable reply do `fallback` (an inline table
//            with an action other than webhook and its keys; default
//            { action = "reject", status = 503 }). 480 if nothing was
//            decided after `max_ring_ms` (default 60 s, above the timeout).
//
// No [[routes]]: one implicit route answers every call with [media] app
// after [answer] delay_ms, as before routing existed. With routes, a call
// that matches none gets 404 (RFC 3261 §21.4.5).

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "bot/stream/stream_settings.hpp"
#include "session/registry/session_record.hpp"

// toml++ is only needed by the reader (routing_config.cpp, config.cpp):
// declared here rather than included, so that the many includers of
// config.hpp do not parse it. A mismatch with toml++'s own namespace makes
// `toml::node` ambiguous in routing_config.cpp, which fails to compile.
namespace toml {
inline namespace v3 {
class node;
}  // namespace v3
}  // namespace toml

namespace voxgate::app {

struct MediaConfig;
enum class MediaAppKind : std::uint8_t;

// One IP network: "192.0.2.0/24", "2001:db8::/32", or one address (/32,
// /128). An IPv4-mapped IPv6 source ("::ffff:192.0.2.1") is compared as
// the IPv4 address it maps.
struct AddressBlock {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // network order; IPv4 in the first 4
  std::uint8_t prefix = 0;               // leading bits that must be equal
  std::string text;                      // as configured, for messages

  friend bool operator==(const AddressBlock&, const AddressBlock&) = default;
};

// "address" or "address/prefix"; InvalidArgument when not an IP literal,
// the prefix is out of range or the address has bits set beyond it.
Result<AddressBlock> parse_address_block(std::string_view text);

struct HeaderCondition {
  std::string name;   // compared case-insensitively
  std::string value;  // glob on each field's whole value

  friend bool operator==(const HeaderCondition&, const HeaderCondition&) = default;
};

struct RouteMatch {
  std::optional<std::string> user;  // nullopt: any (a glob "" matches only an empty user)
  std::optional<std::string> host;
  std::optional<std::string> from;
  std::vector<AddressBlock> sources;     // empty: any
  std::vector<HeaderCondition> headers;  // every one must hold

  friend bool operator==(const RouteMatch&, const RouteMatch&) = default;
};

// The media app serving an answered call; what is not set comes from
// [media] when the call is answered.
struct RouteApp {
  std::optional<MediaAppKind> kind;
  std::optional<double> tone_hz;
  std::optional<std::string> play_file;
  std::optional<bool> play_loop;
  std::optional<std::string> stream_url;  // app "stream": this route's bot, else [stream] url
  std::optional<bot::StreamProfile> stream_profile;
  std::optional<std::map<std::string, std::string>> stream_parameters;  // instead of [stream]'s
  std::optional<std::string> bot;  // app "bot": the profile ([bots.<name>]); nullopt: [bot], "default"

  friend bool operator==(const RouteApp&, const RouteApp&) = default;
};

// `base` with what `app` sets.
MediaConfig media_config_for(const MediaConfig& base, const RouteApp& app);
bot::StreamSettings stream_settings_for(const bot::StreamSettings& base, const RouteApp& app);

enum class RouteActionKind : std::uint8_t { App, Reject, Ring, Hold, Park, Webhook };
std::string_view to_string(RouteActionKind kind) noexcept;

// What to do with a call, from a route, a webhook's fallback or its reply.
struct RouteAction {
  RouteActionKind kind = RouteActionKind::App;
  RouteApp app;                       // App, and Ring when it answers
  std::uint16_t status = 0;           // Reject: 400-699
  std::string reason;                 // Reject: "" for the standard phrase
  std::chrono::milliseconds ring{0};  // Ring: 180 this long before the 200
  bool answer = true;                 // Ring: false rings until the caller gives up

  static RouteAction reject(std::uint16_t status, std::string reason = {}) {
    RouteAction action;
    action.kind = RouteActionKind::Reject;
    action.status = status;
    action.reason = std::move(reason);
    return action;
  }

  friend bool operator==(const RouteAction&, const RouteAction&) = default;
};

// Whether `action` can be carried out with `media`: a play app needs a
// file, a record app [media] record_dir. The message names the key.
Result<void> check_action(const RouteAction& action, const MediaConfig& media);

struct DecisionWebhook {
  std::string url;  // http:// (api/http/url.hpp)
  std::chrono::milliseconds timeout{2000};
  RouteAction fallback = RouteAction::reject(503);

  friend bool operator==(const DecisionWebhook&, const DecisionWebhook&) = default;
};

struct RouteConfig {
  std::string name;
  RouteMatch match;
  RouteAction action;
  // Ring without answer, Park, Webhook: the session's watchdog, 480 after it.
  std::chrono::milliseconds max_ring{60000};
  DecisionWebhook decision;  // Webhook
  session::Metadata metadata;
  std::string events_url;  // "" when the route's events go nowhere in particular
  std::string events_secret;

  friend bool operator==(const RouteConfig&, const RouteConfig&) = default;
};

// What a decision webhook answered: {"action": "reject", "status": 486,
// "metadata": {"k": "v"}} (the keys of a route's action, an action other
// than webhook, plus metadata). InvalidArgument naming the key otherwise.
struct RouteDecision {
  RouteAction action;
  session::Metadata metadata;

  friend bool operator==(const RouteDecision&, const RouteDecision&) = default;
};
Result<RouteDecision> parse_route_decision(std::string_view json);

// The value of the document's `routes` key (nullptr: absent, no routes).
// Errors name the key: "routes[2].match.source: ...".
Result<std::vector<RouteConfig>> read_routes(const toml::node* routes_node);

// Rules across routes and [media]: unique names, apps that can be built
// (check_action), a webhook's max_ring above its decision timeout.
Result<void> validate_routes(std::span<const RouteConfig> routes, const MediaConfig& media);

// The route named `name` (the session's metadata `route`); nullptr if none.
const RouteConfig* find_route(std::span<const RouteConfig> routes, std::string_view name) noexcept;

}  // namespace voxgate::app
