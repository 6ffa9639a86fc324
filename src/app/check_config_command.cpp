#include "app/check_config_command.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <thread>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "app/stack_config.hpp"
#include "media/rtp/rtp_port_pool.hpp"

namespace voxgate::app {
namespace {

std::string sip_listeners(const GatewayConfig& config) {
  std::string text;
  for (const auto& spec : config.sip.listen) text += (text.empty() ? "" : ", ") + to_string(spec);
  return text;
}

std::string route_names(const GatewayConfig& config) {
  if (config.routes.empty()) {
    return fmt::format("none: every call gets the [media] app ({})", to_string(config.media.app));
  }
  std::string text = fmt::format("{}:", config.routes.size());
  for (std::size_t i = 0; i < config.routes.size(); ++i) text += (i == 0 ? " " : ", ") + config.routes[i].name;
  return text;
}

void print_summary(const GatewayConfig& config, const std::string& path, std::ostream& out) {
  out << "configuration OK: " << (path.empty() ? "embedded defaults" : path) << "\n";
  const std::size_t tokens = config.api.tokens.size();
  const std::string api = config.api.listen.empty()
                              ? "off"
                              : fmt::format("{} ({} token{})", config.api.listen, tokens, tokens == 1 ? "" : "s");
  out << fmt::format("{:<13} {}\n", "sip listen", sip_listeners(config));
  out << fmt::format("{:<13} {}\n", "api listen", api);
  out << fmt::format("{:<13} {}\n", "cdr path", config.cdr.path.empty() ? "off" : config.cdr.path);
  out << fmt::format("{:<13} {}\n", "routes", route_names(config));
  out << fmt::format("{:<13} {}\n", "worker loops",
                     config.worker_threads == 0 ? std::string("one per core") : std::to_string(config.worker_threads));
}

boost::json::object summary_json(const GatewayConfig& config, const std::string& path) {
  boost::json::array listen;
  for (const auto& spec : config.sip.listen) listen.emplace_back(to_string(spec));
  boost::json::array routes;
  for (const auto& route : config.routes) routes.emplace_back(route.name);
  return {{"ok", true},
          {"config", path},
          {"sip_listen", std::move(listen)},
          {"api_listen", config.api.listen},
          {"api_tokens", config.api.tokens.size()},
          {"cdr_path", config.cdr.path},
          {"routes", std::move(routes)},
          {"worker_threads", config.worker_threads}};
}

}  // namespace

Result<GatewayConfig> check_config(const std::string& config_path, const EnvironmentLookup& getenv) {
  auto config = config_path.empty() ? parse_config("") : load_config_file(config_path);
  if (!config) return config;
  if (auto applied = apply_environment(*config, getenv); !applied) return tl::unexpected(applied.error());
  if (auto stack = make_sip_stack_config(*config); !stack) return tl::unexpected(stack.error());
  if (auto settings = make_session_settings(*config); !settings) return tl::unexpected(settings.error());
  // serve splits the RTP ports over its worker loops (runtime::LoopPool: 0 = one per core).
  const std::size_t loops =
      config->worker_threads != 0 ? config->worker_threads : std::max(1U, std::thread::hardware_concurrency());
  try {
    (void)media::RtpPortPool::split(config->media.rtp_port_min, config->media.rtp_port_max, loops);
  } catch (const std::invalid_argument& e) {
    return make_error(Errc::InvalidArgument, "media: {}", e.what());
  }
  return config;
}

int run_check_config(const CheckConfigOptions& options, const EnvironmentLookup& getenv, std::ostream& out,
                     std::ostream& err) {
  auto config = check_config(options.config_path, getenv);
  if (!config) {
    if (options.json) {
      out << boost::json::serialize(boost::json::object{{"ok", false}, {"error", config.error().message}}) << "\n";
    } else {
      err << "configuration error: " << config.error().message << "\n";
    }
    return 2;
  }
  if (options.json) {
    out << boost::json::serialize(summary_json(*config, options.config_path)) << "\n";
  } else {
    print_summary(*config, options.config_path, out);
  }
  return 0;
}

}  // namespace voxgate::app
