#include "app/config.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include <toml++/toml.h>
#include <boost/asio/ip/address.hpp>

#include "app/bot_config.hpp"
#include "app/stream_config.hpp"
#include "app/toml_table_reader.hpp"
#include "base/ascii.hpp"

namespace voxgate::app {
namespace {

Result<void> read_sip(TableReader& root, SipConfig& sip) {
  auto table = root.table("sip");
  if (!table) return tl::unexpected(table.error());
  std::optional<std::vector<std::string>> listen;
  VOXGATE_TRY(table->strings("listen", listen));
  if (listen) {
    sip.listen.clear();
    for (const auto& text : *listen) {
      auto spec = parse_listen_spec(text);
      if (!spec) return make_error(Errc::InvalidArgument, "{}: {}", table->key_path("listen"), spec.error().message);
      sip.listen.push_back(*spec);
    }
  }
  VOXGATE_TRY(table->milliseconds("t1_ms", sip.t1, 1, 60'000));
  VOXGATE_TRY(table->milliseconds("t2_ms", sip.t2, 1, 600'000));
  VOXGATE_TRY(table->milliseconds("t4_ms", sip.t4, 0, 600'000));
  VOXGATE_TRY(table->string("user_agent", sip.user_agent));
  return table->finish();
}

Result<void> read_limits(TableReader& root, LimitsConfig& limits) {
  auto table = root.table("limits");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->integer("max_calls", limits.max_calls, 1, 10'000'000));
  VOXGATE_TRY(table->integer("max_calls_per_party", limits.max_calls_per_party, 0, 10'000'000));
  VOXGATE_TRY(table->integer("max_calls_per_source", limits.max_calls_per_source, 0, 10'000'000));
  VOXGATE_TRY(table->number("per_source_rate", limits.per_source_rate, 0.1, 1e7));
  VOXGATE_TRY(table->integer("per_source_burst", limits.per_source_burst, 1, 10'000'000));
  VOXGATE_TRY(table->integer("max_tcp_connections", limits.max_tcp_connections, 1, 1'000'000));
  VOXGATE_TRY(table->integer("max_tcp_connections_per_ip", limits.max_tcp_connections_per_ip, 1, 1'000'000));
  std::int64_t retry_after = limits.retry_after.count();
  VOXGATE_TRY(table->integer("retry_after_s", retry_after, 0, 3600));
  limits.retry_after = std::chrono::seconds(retry_after);
  return table->finish();
}

Result<void> read_media(TableReader& root, MediaConfig& media) {
  auto table = root.table("media");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->string("address", media.address));
  VOXGATE_TRY(table->integer("rtp_port_min", media.rtp_port_min, 1024, 65534));
  VOXGATE_TRY(table->integer("rtp_port_max", media.rtp_port_max, 1025, 65535));
  VOXGATE_TRY(table->integer("ptime_ms", media.ptime_ms, 10, 120));
  std::optional<std::vector<std::string>> codecs;
  VOXGATE_TRY(table->strings("codecs", codecs));
  if (codecs) media.codecs = std::move(*codecs);
  VOXGATE_TRY(table->boolean("rtcp_mux", media.rtcp_mux));
  std::string app(to_string(media.app));
  VOXGATE_TRY(table->string("app", app));
  const auto kind = media_app_from_name(app);
  if (!kind) {
    return make_error(Errc::InvalidArgument,
                      "media.app: '{}' is not one of echo, tone, silence, play, record, bot, stream", app);
  }
  media.app = *kind;
  VOXGATE_TRY(table->integer("app_rate", media.app_rate, 8000, 48000));
  VOXGATE_TRY(table->number("tone_hz", media.tone_hz, 1, 20000));
  VOXGATE_TRY(table->string("play_file", media.play_file));
  VOXGATE_TRY(table->boolean("play_loop", media.play_loop));
  VOXGATE_TRY(table->string("record_dir", media.record_dir));
  VOXGATE_TRY(table->boolean("record_stereo", media.record_stereo));
  VOXGATE_TRY(table->milliseconds("media_timeout_ms", media.media_timeout, 0, 86'400'000));
  VOXGATE_TRY(table->boolean("inband_dtmf", media.inband_dtmf));
  return table->finish();
}

Result<void> read_session_timer(TableReader& root, SessionTimerConfig& timer) {
  auto table = root.table("session_timer");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->integer("interval", timer.interval, 0, 86'400));
  VOXGATE_TRY(table->integer("min_se", timer.min_se, 1, 86'400));
  std::string refresher = timer.prefer_to_refresh ? "us" : "peer";
  VOXGATE_TRY(table->string("refresher", refresher));
  if (refresher != "us" && refresher != "peer") {
    return make_error(Errc::InvalidArgument, R"({}: must be "us" or "peer" (got "{}"))", table->key_path("refresher"),
                      refresher);
  }
  timer.prefer_to_refresh = refresher == "us";
  VOXGATE_TRY(table->boolean("allow_min_se_below_rfc_minimum", timer.allow_min_se_below_rfc_minimum));
  return table->finish();
}

Result<void> read_answer(TableReader& root, AnswerConfig& answer) {
  auto table = root.table("answer");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->milliseconds("delay_ms", answer.answer_delay, 0, 3'600'000));
  return table->finish();
}

Result<void> read_api(TableReader& root, ApiConfig& api) {
  auto table = root.table("api");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->string("listen", api.listen));
  std::optional<std::vector<std::string>> tokens;
  VOXGATE_TRY(table->strings("tokens", tokens));
  if (tokens) api.tokens = std::move(*tokens);
  VOXGATE_TRY(table->integer("max_body_bytes", api.max_body_bytes, 1024, 64 * 1024 * 1024));
  VOXGATE_TRY(table->milliseconds("request_timeout_ms", api.request_timeout, 100, 600'000));
  VOXGATE_TRY(table->integer("event_history", api.event_history, 1, 10'000'000));
  VOXGATE_TRY(table->integer("nice", api.nice, 0, 19));
  return table->finish();
}

Result<void> read_cdr(TableReader& root, CdrConfig& cdr) {
  auto table = root.table("cdr");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->string("path", cdr.path));
  return table->finish();
}

Result<void> read_shutdown(TableReader& root, ShutdownConfig& shutdown) {
  auto table = root.table("shutdown");
  if (!table) return tl::unexpected(table.error());
  VOXGATE_TRY(table->milliseconds("drain_timeout_ms", shutdown.drain_timeout, 0, 86'400'000));
  return table->finish();
}

bool is_ip_literal(std::string_view text) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(std::string(text), ec);
  return !ec;
}

}  // namespace

Result<ListenSpec> parse_listen_spec(std::string_view text) {
  // transport ":" host ":" port, the host an IP literal (IPv6 in brackets).
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return make_error(Errc::InvalidArgument, "'{}' is not transport:address:port", text);
  }
  ListenSpec spec;
  const auto transport = sip::transport_from_token(text.substr(0, colon));
  if (!transport) return make_error(Errc::InvalidArgument, "'{}': transport must be udp or tcp", text);
  spec.transport = *transport;
  std::string_view rest = text.substr(colon + 1);
  std::string_view host;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return make_error(Errc::InvalidArgument, "'{}': IPv6 address must be [addr]:port", text);
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const auto last = rest.rfind(':');
    if (last == std::string_view::npos) return make_error(Errc::InvalidArgument, "'{}': missing :port", text);
    host = rest.substr(0, last);
    port = rest.substr(last + 1);
  }
  if (!is_ip_literal(host)) return make_error(Errc::InvalidArgument, "'{}': '{}' is not an IP address", text, host);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
    return make_error(Errc::InvalidArgument, "'{}': port must be 0-65535", text);
  }
  spec.address = std::string(host);
  spec.port = static_cast<std::uint16_t>(value);
  return spec;
}

Result<std::pair<std::string, std::uint16_t>> parse_api_listen(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return make_error(Errc::InvalidArgument, "'{}': IPv6 address must be [addr]:port", text);
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto last = text.rfind(':');
    if (last == std::string_view::npos) return make_error(Errc::InvalidArgument, "'{}' is not address:port", text);
    host = text.substr(0, last);
    port = text.substr(last + 1);
  }
  if (!is_ip_literal(host)) return make_error(Errc::InvalidArgument, "'{}': '{}' is not an IP address", text, host);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
    return make_error(Errc::InvalidArgument, "'{}': port must be 0-65535", text);
  }
  return std::pair<std::string, std::uint16_t>(std::string(host), static_cast<std::uint16_t>(value));
}

std::string to_string(const ListenSpec& spec) {
  std::string transport(sip::to_string(spec.transport));
  for (char& c : transport) c = ascii::to_lower(c);
  if (spec.address.find(':') != std::string::npos) return fmt::format("{}:[{}]:{}", transport, spec.address, spec.port);
  return fmt::format("{}:{}:{}", transport, spec.address, spec.port);
}

std::string_view to_string(MediaAppKind kind) noexcept {
  switch (kind) {
    case MediaAppKind::Echo: return "echo";
    case MediaAppKind::Tone: return "tone";
    case MediaAppKind::Silence: return "silence";
    case MediaAppKind::Play: return "play";
    case MediaAppKind::Record: return "record";
    case MediaAppKind::Bot: return "bot";
    case MediaAppKind::Stream: return "stream";
  }
  return "?";
}

namespace {

// Every route's `bot` (its fallback's too) names [bot] ("default") or a
// [bots.<name>].
Result<void> check_bot_profiles(const GatewayConfig& config) {
  const auto check = [&](const RouteAction& action, std::size_t i, std::string_view where) -> Result<void> {
    if (!action.app.bot || *action.app.bot == bot::kDefaultBotProfile || config.bots.contains(*action.app.bot)) {
      return {};
    }
    return make_error(Errc::InvalidArgument, "routes[{}].{}bot: \"{}\" is not a bot profile (no [bots.{}])", i, where,
                      *action.app.bot, *action.app.bot);
  };
  for (std::size_t i = 0; i < config.routes.size(); ++i) {
    VOXGATE_TRY(check(config.routes[i].action, i, ""));
    if (config.routes[i].action.kind == RouteActionKind::Webhook) {
      VOXGATE_TRY(check(config.routes[i].decision.fallback, i, "fallback."));
    }
  }
  return {};
}

}  // namespace

Result<void> validate(const GatewayConfig& config) {
  if (config.sip.listen.empty()) return make_error(Errc::InvalidArgument, "sip.listen: at least one listener");
  if (config.sip.t1 > config.sip.t2) {
    return make_error(Errc::InvalidArgument, "sip.t2_ms: must not be below sip.t1_ms (RFC 3261 §17.1.2.2)");
  }
  const SessionTimerConfig& timer = config.session_timer;
  if (timer.min_se < 90 && !timer.allow_min_se_below_rfc_minimum) {
    return make_error(Errc::InvalidArgument,
                      "session_timer.min_se: RFC 4028 §4 forbids less than 90 s (got {}; tests may set "
                      "allow_min_se_below_rfc_minimum = true)",
                      timer.min_se);
  }
  if (timer.interval != 0 && timer.interval < timer.min_se) {
    return make_error(Errc::InvalidArgument, "session_timer.interval: must be 0 or at least min_se ({})", timer.min_se);
  }
  if (config.media.rtp_port_min >= config.media.rtp_port_max) {
    return make_error(Errc::InvalidArgument, "media.rtp_port_max: must be above media.rtp_port_min");
  }
  if (!is_ip_literal(config.media.address)) {
    return make_error(Errc::InvalidArgument, "media.address: '{}' is not an IP address", config.media.address);
  }
  if (config.media.codecs.empty()) return make_error(Errc::InvalidArgument, "media.codecs: at least one codec");
  if (config.media.app == MediaAppKind::Play && config.media.play_file.empty()) {
    return make_error(Errc::InvalidArgument, "media.play_file: app \"play\" needs a WAV file");
  }
  if (config.media.app == MediaAppKind::Record && config.media.record_dir.empty()) {
    return make_error(Errc::InvalidArgument, "media.record_dir: app \"record\" needs a directory");
  }
  VOXGATE_TRY(validate_routes(config.routes, config.media));
  VOXGATE_TRY(check_bot_profiles(config));
  if (config.routes.empty() && config.media.app == MediaAppKind::Stream && config.stream.url.empty()) {
    return make_error(Errc::InvalidArgument, "stream.url: app \"stream\" needs the bot's URL");
  }
  for (const RouteConfig& route : config.routes) {
    if (route.action.app.kind.value_or(config.media.app) != MediaAppKind::Stream) continue;
    const auto stream = stream_settings_for(config.stream, route.action.app);
    if (stream.url.empty()) {
      return make_error(Errc::InvalidArgument, "routes.{}: app \"stream\" needs stream_url (here or in [stream])",
                        route.name);
    }
    VOXGATE_TRY(check_stream_url(fmt::format("routes.{}.stream_url", route.name), stream.url, stream.profile));
  }
  if (uses_bot(config) && config.media.app_rate != 8000 && config.media.app_rate != 16000) {
    return make_error(Errc::InvalidArgument, "media.app_rate: the bot runs at 8000 or 16000 Hz (got {})",
                      config.media.app_rate);
  }
  if (!config.api.listen.empty()) {
    auto endpoint = parse_api_listen(config.api.listen);
    if (!endpoint) return make_error(Errc::InvalidArgument, "api.listen: {}", endpoint.error().message);
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(endpoint->first, ec);
    if (!address.is_loopback() && config.api.tokens.empty()) {
      return make_error(Errc::InvalidArgument,
                        "api.tokens: the API listens on {} (not loopback), so it needs at least one bearer token",
                        endpoint->first);
    }
    for (const auto& token : config.api.tokens) {
      if (token.size() < 16)
        return make_error(Errc::InvalidArgument, "api.tokens: a token needs 16 characters or more");
    }
  }
  return {};
}

std::optional<MediaAppKind> media_app_from_name(std::string_view name) {
  for (const MediaAppKind kind : {MediaAppKind::Echo, MediaAppKind::Tone, MediaAppKind::Silence, MediaAppKind::Play,
                                  MediaAppKind::Record, MediaAppKind::Bot, MediaAppKind::Stream}) {
    if (name == to_string(kind)) return kind;
  }
  return std::nullopt;
}

namespace {

// Whether some call can be answered with `kind`.
bool answers_with(const GatewayConfig& config, MediaAppKind kind) noexcept {
  if (config.routes.empty()) return config.media.app == kind;
  return std::any_of(config.routes.begin(), config.routes.end(), [&](const RouteConfig& route) {
    const bool answers = route.action.kind == RouteActionKind::App || route.action.kind == RouteActionKind::Ring;
    return answers && route.action.app.kind.value_or(config.media.app) == kind;
  });
}

}  // namespace

bool uses_bot(const GatewayConfig& config) noexcept {
  return answers_with(config, MediaAppKind::Bot) ||
         (uses_stream(config) && config.stream.on_disconnect == bot::StreamDisconnectAction::Bot);
}

bool uses_stream(const GatewayConfig& config) noexcept {
  // A [stream] url alone serves POST /v1/sessions/{id}/stream.
  return answers_with(config, MediaAppKind::Stream) || !config.stream.url.empty();
}

Result<GatewayConfig> parse_config(std::string_view toml_text, std::string_view source) {
  toml::table document;
  try {
    document = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return make_error(Errc::InvalidArgument, "{}:{}:{}: {}", source, where.line, where.column, e.description());
  }
  GatewayConfig config;
  TableReader root(&document, "");
  VOXGATE_TRY(root.integer("worker_threads", config.worker_threads, 0, 256));
  VOXGATE_TRY(read_sip(root, config.sip));
  VOXGATE_TRY(read_session_timer(root, config.session_timer));
  VOXGATE_TRY(read_limits(root, config.limits));
  VOXGATE_TRY(read_media(root, config.media));
  VOXGATE_TRY(read_answer(root, config.answer));
  VOXGATE_TRY(read_api(root, config.api));
  VOXGATE_TRY(read_cdr(root, config.cdr));
  VOXGATE_TRY(read_shutdown(root, config.shutdown));
  VOXGATE_TRY(read_bot(root, config.bot));
  VOXGATE_TRY(read_bots(root, config.bots));
  VOXGATE_TRY(read_stream(root, config.stream));
  auto routes = read_routes(root.node("routes"));
  if (!routes) return tl::unexpected(routes.error());
  config.routes = std::move(*routes);
  VOXGATE_TRY(root.finish());
  VOXGATE_TRY(validate(config));
  return config;
}

Result<void> apply_environment(GatewayConfig& config, const EnvironmentLookup& getenv) {
  const auto read = [&getenv](const char* name, std::uint32_t& out) -> Result<void> {
    const char* text = getenv(name);
    if (text == nullptr) return {};
    const std::string_view value(text);
    std::uint32_t parsed = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || parsed > 86'400) {
      return make_error(Errc::InvalidArgument, R"({}: must be a number of seconds, 0-86400 (got "{}"))", name, value);
    }
    out = parsed;
    return {};
  };
  VOXGATE_TRY(read("SESSION_TIMEOUT_SEC", config.session_timer.interval));
  VOXGATE_TRY(read("SESSION_MIN_SE", config.session_timer.min_se));
  if (const char* listen = getenv("VOXGATE_API_LISTEN")) config.api.listen = listen;
  if (const char* tokens = getenv("VOXGATE_API_TOKENS")) {
    config.api.tokens.clear();
    std::string_view rest(tokens);
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      if (comma != 0) config.api.tokens.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  if (const char* path = getenv("VOXGATE_CDR_PATH")) config.cdr.path = path;
  std::uint32_t drain_ms = static_cast<std::uint32_t>(config.shutdown.drain_timeout.count());
  if (const char* text = getenv("VOXGATE_DRAIN_TIMEOUT_MS")) {
    const std::string_view value(text);
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), drain_ms);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
      return make_error(Errc::InvalidArgument, R"(VOXGATE_DRAIN_TIMEOUT_MS: must be a number of ms (got "{}"))", value);
    }
    config.shutdown.drain_timeout = std::chrono::milliseconds(drain_ms);
  }
  if (const char* text = getenv("VOXGATE_WORKER_THREADS")) {
    const std::string_view value(text);
    std::uint32_t threads = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), threads);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || threads > 256) {
      return make_error(Errc::InvalidArgument, R"(VOXGATE_WORKER_THREADS: must be 0-256 (got "{}"))", value);
    }
    config.worker_threads = threads;
  }
  return validate(config);
}

Result<GatewayConfig> load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::Io, "cannot open config file {}", path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

}  // namespace voxgate::app

#undef VOXGATE_TRY
