#include "app/routing_config.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>
#include <utility>

#include <toml++/toml.h>
#include <boost/asio/ip/address.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "app/config.hpp"
#include "app/toml_table_reader.hpp"
#include "net/http/url.hpp"

namespace voxgate::app {
namespace {

// Every key a route, a fallback or a decision can have: one of these left
// unread was given to an action that has no use for it, which deserves a
// better message than "unknown setting".
constexpr std::array<std::string_view, 22> kKnownKeys{"name",
                                                      "match",
                                                      "action",
                                                      "app",
                                                      "tone_hz",
                                                      "play_file",
                                                      "play_loop",
                                                      "status",
                                                      "reason",
                                                      "ring_ms",
                                                      "answer",
                                                      "max_ring_ms",
                                                      "metadata",
                                                      "decision_url",
                                                      "fallback",
                                                      "decision_timeout_ms",
                                                      "events_url",
                                                      "events_secret",
                                                      "stream_url",
                                                      "stream_profile",
                                                      "stream_parameters",
                                                      "bot"};

// One TOML table, remembering which keys were read so that the rest can
// be reported (config.cpp's TableReader, with the messages routes need).
class Fields {
 public:
  Fields(const toml::table* table, std::string path) : table_(table), path_(std::move(path)) {}

  [[nodiscard]] std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  const toml::node* take(std::string_view key) {
    if (table_ == nullptr) return nullptr;
    consumed_.emplace(key);
    return table_->get(key);
  }

  Result<std::optional<std::int64_t>> integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const toml::node* node = take(key);
    if (node == nullptr) return std::optional<std::int64_t>();
    const auto value = node->value_exact<std::int64_t>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be an integer", key_path(key));
    if (*value < min || *value > max) {
      return make_error(Errc::InvalidArgument, "{}: must be between {} and {} (got {})", key_path(key), min, max,
                        *value);
    }
    return value;
  }

  Result<void> milliseconds(std::string_view key, std::chrono::milliseconds& out, std::int64_t min, std::int64_t max) {
    auto value = integer(key, min, max);
    if (!value) return tl::unexpected(value.error());
    if (*value) out = std::chrono::milliseconds(**value);
    return {};
  }

  Result<std::optional<double>> number(std::string_view key, double min, double max) {
    const toml::node* node = take(key);
    if (node == nullptr) return std::optional<double>();
    const auto value = node->value<double>();  // accepts integers too
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be a number", key_path(key));
    if (*value < min || *value > max) {
      return make_error(Errc::InvalidArgument, "{}: must be between {} and {} (got {})", key_path(key), min, max,
                        *value);
    }
    return value;
  }

  Result<std::optional<bool>> boolean(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) return std::optional<bool>();
    const auto value = node->value_exact<bool>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be true or false", key_path(key));
    return value;
  }

  Result<std::optional<std::string>> string(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) return std::optional<std::string>();
    auto value = node->value_exact<std::string>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be a string", key_path(key));
    return value;
  }

  // A sub-table; a reader over nothing when absent.
  Result<Fields> table(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) return Fields(nullptr, key_path(key));
    if (!node->is_table()) return make_error(Errc::InvalidArgument, "{}: must be a table", key_path(key));
    return Fields(node->as_table(), key_path(key));
  }

  // Every key not read is a mistake: a typo, or a key of another action
  // than `what` (`action "reject"`, say).
  [[nodiscard]] Result<void> finish(std::string_view what) const {
    if (table_ == nullptr) return {};
    for (const auto& [key, node] : *table_) {
      const std::string_view name = key.str();
      if (consumed_.contains(name)) continue;
      if (std::find(kKnownKeys.begin(), kKnownKeys.end(), name) != kKnownKeys.end()) {
        return make_error(Errc::InvalidArgument, "{}: not a setting of {}", key_path(name), what);
      }
      return make_error(Errc::InvalidArgument, "{}: unknown setting", key_path(name));
    }
    return {};
  }

  // For sub-tables whose keys are data (metadata, headers).
  [[nodiscard]] const toml::table* raw() const noexcept { return table_; }

 private:
  const toml::table* table_;
  std::string path_;
  std::set<std::string, std::less<>> consumed_;
};

std::optional<RouteActionKind> action_from_name(std::string_view name) {
  for (const RouteActionKind kind : {RouteActionKind::App, RouteActionKind::Reject, RouteActionKind::Ring,
                                     RouteActionKind::Hold, RouteActionKind::Park, RouteActionKind::Webhook}) {
    if (name == to_string(kind)) return kind;
  }
  return std::nullopt;
}

Result<std::optional<std::map<std::string, std::string>>> read_strings(Fields& fields, std::string_view key);

Result<void> read_app(Fields& fields, RouteApp& app) {
  auto name = fields.string("app");
  if (!name) return tl::unexpected(name.error());
  if (*name) {
    app.kind = media_app_from_name(**name);
    if (!app.kind) {
      return make_error(Errc::InvalidArgument, "{}: '{}' is not one of echo, tone, silence, play, record, bot, stream",
                        fields.key_path("app"), **name);
    }
  }
  auto tone_hz = fields.number("tone_hz", 1, 20000);
  if (!tone_hz) return tl::unexpected(tone_hz.error());
  app.tone_hz = *tone_hz;
  auto bot = fields.string("bot");
  if (!bot) return tl::unexpected(bot.error());
  if (*bot && (*bot)->empty())
    return make_error(Errc::InvalidArgument, "{}: must name a bot profile", fields.key_path("bot"));
  app.bot = std::move(*bot);
  auto play_file = fields.string("play_file");
  if (!play_file) return tl::unexpected(play_file.error());
  app.play_file = std::move(*play_file);
  auto play_loop = fields.boolean("play_loop");
  if (!play_loop) return tl::unexpected(play_loop.error());
  app.play_loop = *play_loop;
  auto stream_url = fields.string("stream_url");
  if (!stream_url) return tl::unexpected(stream_url.error());
  app.stream_url = std::move(*stream_url);
  auto parameters = read_strings(fields, "stream_parameters");
  if (!parameters) return tl::unexpected(parameters.error());
  app.stream_parameters = std::move(*parameters);
  auto stream_profile = fields.string("stream_profile");
  if (!stream_profile) return tl::unexpected(stream_profile.error());
  if (*stream_profile) {
    app.stream_profile = bot::stream_profile_from_name(**stream_profile);
    if (!app.stream_profile) {
      return make_error(Errc::InvalidArgument, "{}: '{}' is not one of twilio, l16, audiosocket",
                        fields.key_path("stream_profile"), **stream_profile);
    }
  }
  return {};
}

// Where an action is read: a route's own, a webhook's fallback or a
// webhook's reply. Only a route may ask a webhook.
enum class ActionSite : std::uint8_t { Route, Fallback, Decision };

Result<RouteAction> read_action(Fields& fields, ActionSite site) {
  auto name = fields.string("action");
  if (!name) return tl::unexpected(name.error());
  if (!*name) {
    return make_error(Errc::InvalidArgument, "{}: required (app, reject, ring, hold, park{})",
                      fields.key_path("action"), site == ActionSite::Route ? ", webhook" : "");
  }
  const auto kind = action_from_name(**name);
  if (!kind || (*kind == RouteActionKind::Webhook && site != ActionSite::Route)) {
    return make_error(Errc::InvalidArgument, "{}: '{}' is not one of app, reject, ring, hold, park{}",
                      fields.key_path("action"), **name, site == ActionSite::Route ? ", webhook" : "");
  }
  RouteAction action;
  action.kind = *kind;
  switch (action.kind) {
    case RouteActionKind::App: VOXGATE_TRY(read_app(fields, action.app)); break;
    case RouteActionKind::Reject: {
      auto status = fields.integer("status", 400, 699);
      if (!status) return tl::unexpected(status.error());
      if (!*status) return make_error(Errc::InvalidArgument, "{}: required (400-699)", fields.key_path("status"));
      action.status = static_cast<std::uint16_t>(**status);
      auto reason = fields.string("reason");
      if (!reason) return tl::unexpected(reason.error());
      action.reason = reason->value_or("");
      // It becomes the status line's reason phrase (RFC 3261 §25.1).
      if (std::any_of(action.reason.begin(), action.reason.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; })) {
        return make_error(Errc::InvalidArgument, "{}: must be one line", fields.key_path("reason"));
      }
      break;
    }
    case RouteActionKind::Ring: {
      auto answer = fields.boolean("answer");
      if (!answer) return tl::unexpected(answer.error());
      action.answer = answer->value_or(true);
      if (action.answer) {
        auto ring = fields.integer("ring_ms", 1, 3'600'000);
        if (!ring) return tl::unexpected(ring.error());
        if (!*ring) {
          return make_error(Errc::InvalidArgument, "{}: required (1-3600000) unless answer = false",
                            fields.key_path("ring_ms"));
        }
        action.ring = std::chrono::milliseconds(**ring);
        VOXGATE_TRY(read_app(fields, action.app));
      }
      break;
    }
    case RouteActionKind::Hold:
    case RouteActionKind::Park:
    case RouteActionKind::Webhook: break;
  }
  return action;
}

// `action "ring" with answer = false in a fallback`: what the keys left
// over were given to.
std::string describe(const RouteAction& action, ActionSite site) {
  std::string what = fmt::format("action \"{}\"", to_string(action.kind));
  if (action.kind == RouteActionKind::Ring && !action.answer) what += " with answer = false";
  if (site == ActionSite::Fallback) what += " in a fallback";
  if (site == ActionSite::Decision) what += " in a decision";
  return what;
}

// A table of strings under `key` (metadata, stream_parameters); nullopt
// when the key is absent.
Result<std::optional<std::map<std::string, std::string>>> read_strings(Fields& fields, std::string_view key) {
  auto table = fields.table(key);
  if (!table) return tl::unexpected(table.error());
  if (table->raw() == nullptr) return std::nullopt;
  std::map<std::string, std::string> values;
  for (const auto& [name, node] : *table->raw()) {
    const auto value = node.value_exact<std::string>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be a string", table->key_path(name.str()));
    values.emplace(std::string(name.str()), *value);
  }
  return values;
}

Result<void> read_metadata(Fields& fields, session::Metadata& out) {
  auto values = read_strings(fields, "metadata");
  if (!values) return tl::unexpected(values.error());
  if (!*values) return {};
  for (auto& [name, value] : **values) {
    if (name == "route") {
      return make_error(Errc::InvalidArgument, "{}.route: reserved: voxgate sets it to the route's name",
                        fields.key_path("metadata"));
    }
    out.insert_or_assign(name, std::move(value));
  }
  return {};
}

bool is_token_char(char c) {
  // RFC 3261 §25.1 token.
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

Result<void> read_sources(Fields& fields, std::vector<AddressBlock>& out) {
  const toml::node* node = fields.take("source");
  if (node == nullptr) return {};
  std::vector<std::string> texts;
  if (auto one = node->value_exact<std::string>()) {
    texts.push_back(*one);
  } else if (const toml::array* many = node->as_array(); many != nullptr && !many->empty()) {
    for (const toml::node& element : *many) {
      auto text = element.value_exact<std::string>();
      if (!text) break;
      texts.push_back(*text);
    }
    if (texts.size() != many->size()) texts.clear();
  }
  if (texts.empty()) {
    return make_error(Errc::InvalidArgument, "{}: must be an address or CIDR block, or a non-empty array of them",
                      fields.key_path("source"));
  }
  for (const auto& text : texts) {
    auto block = parse_address_block(text);
    if (!block) return make_error(Errc::InvalidArgument, "{}: {}", fields.key_path("source"), block.error().message);
    out.push_back(std::move(*block));
  }
  return {};
}

Result<void> read_headers(Fields& fields, std::vector<HeaderCondition>& out) {
  auto table = fields.table("headers");
  if (!table) return tl::unexpected(table.error());
  if (table->raw() == nullptr) return {};
  for (const auto& [key, node] : *table->raw()) {
    const std::string_view name = key.str();
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
      return make_error(Errc::InvalidArgument, "{}: '{}' is not a header name", table->path(), name);
    }
    const auto value = node.value_exact<std::string>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be a string (a glob)", table->key_path(name));
    out.push_back(HeaderCondition{std::string(name), *value});
  }
  return {};
}

Result<RouteMatch> read_match(Fields& route) {
  auto fields = route.table("match");
  if (!fields) return tl::unexpected(fields.error());
  RouteMatch match;
  for (auto [key, out] :
       {std::pair{"user", &match.user}, std::pair{"host", &match.host}, std::pair{"from", &match.from}}) {
    auto glob = fields->string(key);
    if (!glob) return tl::unexpected(glob.error());
    *out = std::move(*glob);
  }
  VOXGATE_TRY(read_sources(*fields, match.sources));
  VOXGATE_TRY(read_headers(*fields, match.headers));
  VOXGATE_TRY(fields->finish("match"));
  return match;
}

Result<void> check_url(const Fields& fields, std::string_view key, const std::string& url) {
  if (auto parsed = net::parse_http_url(url); !parsed) {
    return make_error(Errc::InvalidArgument, "{}: {}", fields.key_path(key), parsed.error().message);
  }
  return {};
}

Result<void> read_webhook(Fields& fields, DecisionWebhook& decision) {
  auto url = fields.string("decision_url");
  if (!url) return tl::unexpected(url.error());
  if (!*url)
    return make_error(Errc::InvalidArgument, "{}: required for action \"webhook\"", fields.key_path("decision_url"));
  decision.url = std::move(**url);
  VOXGATE_TRY(check_url(fields, "decision_url", decision.url));
  VOXGATE_TRY(fields.milliseconds("decision_timeout_ms", decision.timeout, 100, 60'000));
  auto fallback = fields.table("fallback");
  if (!fallback) return tl::unexpected(fallback.error());
  if (fallback->raw() != nullptr) {
    auto action = read_action(*fallback, ActionSite::Fallback);
    if (!action) return tl::unexpected(action.error());
    VOXGATE_TRY(fallback->finish(describe(*action, ActionSite::Fallback)));
    decision.fallback = std::move(*action);
  }
  return {};
}

Result<RouteConfig> read_route(Fields& fields) {
  RouteConfig route;
  auto name = fields.string("name");
  if (!name) return tl::unexpected(name.error());
  if (!*name || (*name)->empty()) {
    return make_error(Errc::InvalidArgument, "{}: required (a unique, non-empty name)", fields.key_path("name"));
  }
  route.name = std::move(**name);
  auto match = read_match(fields);
  if (!match) return tl::unexpected(match.error());
  route.match = std::move(*match);
  auto action = read_action(fields, ActionSite::Route);
  if (!action) return tl::unexpected(action.error());
  route.action = std::move(*action);
  const RouteActionKind kind = route.action.kind;
  if ((kind == RouteActionKind::Ring && !route.action.answer) || kind == RouteActionKind::Park ||
      kind == RouteActionKind::Webhook) {
    VOXGATE_TRY(fields.milliseconds("max_ring_ms", route.max_ring, 100, 86'400'000));
  }
  if (kind == RouteActionKind::Webhook) VOXGATE_TRY(read_webhook(fields, route.decision));
  VOXGATE_TRY(read_metadata(fields, route.metadata));
  auto events_url = fields.string("events_url");
  if (!events_url) return tl::unexpected(events_url.error());
  auto events_secret = fields.string("events_secret");
  if (!events_secret) return tl::unexpected(events_secret.error());
  route.events_url = events_url->value_or("");
  route.events_secret = events_secret->value_or("");
  if (!route.events_url.empty()) VOXGATE_TRY(check_url(fields, "events_url", route.events_url));
  // Receivers check the signature: an unsigned target would be one they
  // cannot trust, a secret without a target a forgotten URL.
  if (route.events_url.empty() != route.events_secret.empty()) {
    return make_error(Errc::InvalidArgument, "{}: events_url and events_secret go together",
                      fields.key_path(route.events_url.empty() ? "events_url" : "events_secret"));
  }
  VOXGATE_TRY(fields.finish(describe(route.action, ActionSite::Route)));
  return route;
}

// A JSON value as the TOML node the action reader takes, so that a
// webhook's reply and a route accept exactly the same keys and values.
Result<void> insert_json(toml::table& table, std::string_view key, const boost::json::value& value,
                         const std::string& path) {
  switch (value.kind()) {
    case boost::json::kind::string: table.insert(key, std::string(value.get_string())); return {};
    case boost::json::kind::int64: table.insert(key, value.get_int64()); return {};
    case boost::json::kind::uint64:
      if (value.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return make_error(Errc::InvalidArgument, "{}: out of range", path);
      }
      table.insert(key, static_cast<std::int64_t>(value.get_uint64()));
      return {};
    case boost::json::kind::double_: table.insert(key, value.get_double()); return {};
    case boost::json::kind::bool_: table.insert(key, value.get_bool()); return {};
    case boost::json::kind::object: {
      toml::table nested;
      for (const auto& member : value.get_object()) {
        VOXGATE_TRY(insert_json(nested, member.key(), member.value(), path + "." + std::string(member.key())));
      }
      table.insert(key, std::move(nested));
      return {};
    }
    case boost::json::kind::array: return make_error(Errc::InvalidArgument, "{}: no setting is an array", path);
    case boost::json::kind::null: return make_error(Errc::InvalidArgument, "{}: null is not a value", path);
  }
  return make_error(Errc::InvalidArgument, "{}: unreadable", path);
}

}  // namespace

std::string_view to_string(RouteActionKind kind) noexcept {
  switch (kind) {
    case RouteActionKind::App: return "app";
    case RouteActionKind::Reject: return "reject";
    case RouteActionKind::Ring: return "ring";
    case RouteActionKind::Hold: return "hold";
    case RouteActionKind::Park: return "park";
    case RouteActionKind::Webhook: return "webhook";
  }
  return "?";
}

Result<AddressBlock> parse_address_block(std::string_view text) {
  const auto slash = text.find('/');
  const std::string address_text(text.substr(0, slash));
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(address_text, ec);
  if (ec) return make_error(Errc::InvalidArgument, "'{}': '{}' is not an IP address", text, address_text);
  AddressBlock block;
  block.text = std::string(text);
  unsigned bits = address.is_v4() ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view prefix = text.substr(slash + 1);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), value);
    if (prefix.empty() || error != std::errc{} || end != prefix.data() + prefix.size() || value > bits) {
      return make_error(Errc::InvalidArgument, "'{}': the prefix length must be 0-{}", text, bits);
    }
    bits = value;
  }
  // An IPv4-mapped block holds IPv4 sources, which are compared as IPv4.
  if (address.is_v6() && address.to_v6().is_v4_mapped() && bits >= 96) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    bits -= 96;
  }
  block.v6 = address.is_v6();
  if (block.v6) {
    block.bytes = address.to_v6().to_bytes();
  } else {
    const auto v4 = address.to_v4().to_bytes();
    std::copy(v4.begin(), v4.end(), block.bytes.begin());
  }
  block.prefix = static_cast<std::uint8_t>(bits);
  // Host bits set usually mean a typo in the prefix (10.1.0.0/8 for /16).
  for (unsigned bit = bits; bit < (block.v6 ? 128U : 32U); ++bit) {
    if (((block.bytes[bit / 8] >> (7 - bit % 8)) & 1U) != 0) {
      return make_error(Errc::InvalidArgument, "'{}': the address has bits set beyond the /{} prefix", text, bits);
    }
  }
  return block;
}

MediaConfig media_config_for(const MediaConfig& base, const RouteApp& app) {
  MediaConfig config = base;
  if (app.kind) config.app = *app.kind;
  if (app.tone_hz) config.tone_hz = *app.tone_hz;
  if (app.play_file) config.play_file = *app.play_file;
  if (app.play_loop) config.play_loop = *app.play_loop;
  return config;
}

bot::StreamSettings stream_settings_for(const bot::StreamSettings& base, const RouteApp& app) {
  bot::StreamSettings settings = base;
  if (app.stream_url) settings.url = *app.stream_url;
  if (app.stream_profile) settings.profile = *app.stream_profile;
  if (app.stream_parameters) settings.parameters = *app.stream_parameters;
  return settings;
}

Result<void> check_action(const RouteAction& action, const MediaConfig& media) {
  const bool answers = action.kind == RouteActionKind::App || (action.kind == RouteActionKind::Ring && action.answer);
  if (!answers) return {};
  const MediaConfig config = media_config_for(media, action.app);
  if (config.app == MediaAppKind::Play && config.play_file.empty()) {
    return make_error(Errc::InvalidArgument, "play_file: app \"play\" needs a WAV file (here or in [media])");
  }
  if (config.app == MediaAppKind::Record && config.record_dir.empty()) {
    return make_error(Errc::InvalidArgument, "app: \"record\" needs [media] record_dir");
  }
  if (action.app.bot && config.app != MediaAppKind::Bot) {
    return make_error(Errc::InvalidArgument, "bot: only with app \"bot\" (this route's app is \"{}\")",
                      to_string(config.app));
  }
  return {};
}

Result<RouteDecision> parse_route_decision(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(json, ec);
  if (ec) return make_error(Errc::InvalidArgument, "not JSON: {}", ec.message());
  if (!value.is_object()) return make_error(Errc::InvalidArgument, "not a JSON object");
  toml::table table;
  for (const auto& member : value.get_object()) {
    VOXGATE_TRY(insert_json(table, member.key(), member.value(), std::string(member.key())));
  }
  Fields fields(&table, "");
  RouteDecision decision;
  auto action = read_action(fields, ActionSite::Decision);
  if (!action) return tl::unexpected(action.error());
  decision.action = std::move(*action);
  VOXGATE_TRY(read_metadata(fields, decision.metadata));
  VOXGATE_TRY(fields.finish(describe(decision.action, ActionSite::Decision)));
  return decision;
}

Result<std::vector<RouteConfig>> read_routes(const toml::node* routes_node) {
  std::vector<RouteConfig> routes;
  if (routes_node == nullptr) return routes;
  const toml::array* array = routes_node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return make_error(Errc::InvalidArgument, "routes: must be an array of tables ([[routes]] sections)");
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    Fields fields(array->get(i)->as_table(), fmt::format("routes[{}]", i));
    auto route = read_route(fields);
    if (!route) return tl::unexpected(route.error());
    routes.push_back(std::move(*route));
  }
  return routes;
}

Result<void> validate_routes(std::span<const RouteConfig> routes, const MediaConfig& media) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const RouteConfig& route = routes[i];
    if (route.name.empty()) return make_error(Errc::InvalidArgument, "routes[{}].name: required", i);
    if (!names.insert(route.name).second) {
      return make_error(Errc::InvalidArgument, "routes[{}].name: \"{}\" names an earlier route too", i, route.name);
    }
    if (auto ok = check_action(route.action, media); !ok) {
      return make_error(Errc::InvalidArgument, "routes[{}].{}", i, ok.error().message);
    }
    if (route.action.kind != RouteActionKind::Webhook) continue;
    if (auto ok = check_action(route.decision.fallback, media); !ok) {
      return make_error(Errc::InvalidArgument, "routes[{}].fallback.{}", i, ok.error().message);
    }
    if (route.max_ring <= route.decision.timeout) {
      return make_error(Errc::InvalidArgument,
                        "routes[{}].max_ring_ms: must be above decision_timeout_ms ({} ms), or every call "
                        "would end before its decision",
                        i, route.decision.timeout.count());
    }
  }
  return {};
}

const RouteConfig* find_route(std::span<const RouteConfig> routes, std::string_view name) noexcept {
  for (const RouteConfig& route : routes) {
    if (route.name == name) return &route;
  }
  return nullptr;
}

}  // namespace voxgate::app

#undef VOXGATE_TRY
