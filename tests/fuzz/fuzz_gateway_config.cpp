// libFuzzer target: the gateway's configuration and what a routing decision
// webhook answers. The first byte picks the parser, the rest is its input.
// Links voxgate_app.
//
//   0  a configuration file: parse_config (toml++ reads the TOML; ours is
//      every key's type, range and cross-field check, and the routes)
//   1  a decision webhook's reply body: parse_route_decision
//
// Invariants (a violation traps, and libFuzzer keeps the input):
//  - a refusal is Errc::InvalidArgument with a message (what check-config
//    prints and `serve` exits with); nothing throws past the parser;
//  - a configuration that parses passes validate() again, and its
//    routes have names and a decision webhook a URL;
//  - a decision that parses is an action a route could take (not webhook).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/config.hpp"
#include "app/routing_config.hpp"
#include "fuzz_check.hpp"

namespace voxgate::app::fuzz {
namespace {

using voxgate::fuzz::refused_properly;

void fuzz_config(std::string_view input) {
  const auto config = parse_config(input, "fuzz.toml");
  FUZZ_CHECK(refused_properly(config));
  if (!config) return;
  FUZZ_CHECK(validate(*config).has_value());
  for (const RouteConfig& route : config->routes) {
    FUZZ_CHECK(!route.name.empty());
    if (route.action.kind == RouteActionKind::Webhook) FUZZ_CHECK(!route.decision.url.empty());
  }
}

void fuzz_decision(std::string_view input) {
  const auto decision = parse_route_decision(input);
  FUZZ_CHECK(refused_properly(decision));
  if (decision) FUZZ_CHECK(decision->action.kind != RouteActionKind::Webhook);
}

}  // namespace
}  // namespace voxgate::app::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    voxgate::app::fuzz::fuzz_config(input);
  } else {
    voxgate::app::fuzz::fuzz_decision(input);
  }
  return 0;
}
