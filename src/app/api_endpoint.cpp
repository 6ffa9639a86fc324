#include "app/api_endpoint.hpp"

#include <optional>
#include <utility>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "net/http/url.hpp"

namespace voxgate::app {
namespace {

constexpr const char* kEndpointFooter =
    "The gateway's API: --api URL, else --config FILE's [api] listen (read as `serve` reads it, environment "
    "included), else $VOXGATE_API_URL, else http://127.0.0.1:8080. The bearer token: --token, else "
    "$VOXGATE_API_TOKEN, else the first [api] tokens entry of --config FILE, else none.";

Result<GatewayConfig> load_for_endpoint(const std::string& path, const EnvironmentLookup& getenv) {
  auto config = load_config_file(path);
  if (!config) return make_error(Errc::InvalidArgument, "--config: {}", config.error().message);
  if (auto applied = apply_environment(*config, getenv); !applied) {
    return make_error(Errc::InvalidArgument, "--config: {}", applied.error().message);
  }
  return config;
}

// http://<listen> from the configuration's "address:port"; a wildcard
// address is reached on loopback.
Result<std::string> url_from_config(const GatewayConfig& config, const std::string& path) {
  if (config.api.listen.empty()) {
    return make_error(Errc::InvalidArgument, "--config: {} turns the API off ([api] listen = \"\"); give --api", path);
  }
  auto listen = parse_api_listen(config.api.listen);
  if (!listen) return make_error(Errc::InvalidArgument, "--config: api.listen: {}", listen.error().message);
  auto [host, port] = std::move(*listen);
  if (port == 0) {
    return make_error(Errc::InvalidArgument, "--config: api.listen {} is an ephemeral port; give --api",
                      config.api.listen);
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (!ec && address.is_unspecified()) host = address.is_v6() ? "::1" : "127.0.0.1";
  const bool v6 = host.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

}  // namespace

Result<ApiEndpoint> resolve_api_endpoint(const ApiEndpointOptions& options, const EnvironmentLookup& getenv) {
  // Loaded once, and only when an answer comes from it.
  std::optional<GatewayConfig> loaded;
  const auto config = [&]() -> Result<const GatewayConfig*> {
    if (!loaded) {
      auto read = load_for_endpoint(options.config_path, getenv);
      if (!read) return tl::unexpected(read.error());
      loaded = std::move(*read);
    }
    return &*loaded;
  };

  ApiEndpoint endpoint;
  std::string_view source = "--api";
  if (!options.api_url.empty()) {
    endpoint.base_url = options.api_url;
  } else if (!options.config_path.empty()) {
    auto read = config();
    if (!read) return tl::unexpected(read.error());
    auto url = url_from_config(**read, options.config_path);
    if (!url) return tl::unexpected(url.error());
    endpoint.base_url = std::move(*url);
    source = "--config";
  } else if (const char* env = getenv("VOXGATE_API_URL"); env != nullptr && *env != '\0') {
    endpoint.base_url = env;
    source = "VOXGATE_API_URL";
  } else {
    endpoint.base_url = kDefaultApiUrl;
  }
  if (auto url = net::parse_http_url(endpoint.base_url); !url) {
    return make_error(Errc::InvalidArgument, "{}: {}", source, url.error().message);
  }
  while (endpoint.base_url.ends_with('/')) endpoint.base_url.pop_back();

  if (!options.token.empty()) {
    endpoint.token = options.token;
  } else if (const char* env = getenv("VOXGATE_API_TOKEN"); env != nullptr && *env != '\0') {
    endpoint.token = env;
  } else if (!options.config_path.empty()) {
    auto read = config();
    if (!read) return tl::unexpected(read.error());
    if (!(*read)->api.tokens.empty()) endpoint.token = (*read)->api.tokens.front();
  }
  return endpoint;
}

void add_api_endpoint_options(CLI::App& command, ApiEndpointOptions& options, std::string_view footer) {
  command.add_option("--api", options.api_url, "the API's base URL (default: see below)");
  command.add_option("--token", options.token, "bearer token (default: see below)");
  command.add_option("--config", options.config_path, "the gateway's TOML configuration: where its API listens");
  command.footer(footer.empty() ? std::string(kEndpointFooter) : fmt::format("{}\n\n{}", footer, kEndpointFooter));
}

Result<net::HttpResponseData> call_api(const ApiEndpoint& endpoint, boost::beast::http::verb method,
                                       std::string_view target, std::chrono::milliseconds timeout) {
  net::HttpRequestSpec spec;
  spec.method = method;
  spec.url = endpoint.base_url + std::string(target);
  spec.headers = {{"Accept", "application/json"}};
  if (!endpoint.token.empty()) spec.headers.emplace_back("Authorization", "Bearer " + endpoint.token);
  net::HttpClientConfig config;
  config.max_body_bytes = std::size_t{64} << 20;  // a page of 1000 sessions with their metadata
  return net::fetch(std::move(spec), timeout, config);
}

std::string describe_api_error(const net::HttpResponseData& response) {
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(response.body, ec);
  if (!ec && body.is_object()) {
    const auto* code = body.as_object().if_contains("code");
    const auto* message = body.as_object().if_contains("message");
    if (code != nullptr && code->is_string() && message != nullptr && message->is_string()) {
      return fmt::format("{}: {}", std::string_view(code->get_string()), std::string_view(message->get_string()));
    }
  }
  constexpr std::size_t kMaxBody = 200;
  std::string text = fmt::format("HTTP {} {}", response.status, response.reason);
  if (!response.body.empty()) {
    text += ": " + response.body.substr(0, kMaxBody);
    if (response.body.size() > kMaxBody) text += "...";
  }
  return text;
}

std::string url_escape(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      escaped += c;
    } else {
      escaped += '%';
      escaped += kHex[byte >> 4U];
      escaped += kHex[byte & 0x0FU];
    }
  }
  return escaped;
}

}  // namespace voxgate::app
