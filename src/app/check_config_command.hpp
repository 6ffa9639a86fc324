#pragma once
// `voxgate check-config [--config FILE]`: loads and validates the
// configuration as `voxgate serve` would (the file, or the embedded
// defaults without one, then the environment: VOXGATE_API_*, SESSION_*,
// ...), without starting anything, and prints a summary:
//
//   configuration OK: gw.toml
//   sip listen    udp:127.0.0.1:5060, tcp:127.0.0.1:5060
//   api listen    127.0.0.1:8080 (1 token)
//   cdr path      voxgate-cdr.db
//   routes        2: support, default
//
// or the error, which names the key ("configuration error: sip.t1ms:
// unknown setting") and exits 2, as serve does. --json prints {"ok": true,
// "config": ..., "sip_listen": [...], "api_listen": ..., "api_tokens": N,
// "cdr_path": ..., "routes": [names], "worker_threads": N} or {"ok": false,
// "error": "..."} instead.

#include <iosfwd>
#include <string>

#include "app/config.hpp"

namespace voxgate::app {

struct CheckConfigOptions {
  std::string config_path;  // "" = the embedded defaults
  bool json = false;
};

// 0 when the configuration is valid, 2 when not.
int run_check_config(const CheckConfigOptions& options, const EnvironmentLookup& getenv, std::ostream& out,
                     std::ostream& err);

// What serve checks before it starts anything: parse (or load), the
// environment, then the SIP stack's and the sessions' settings and the RTP
// port split over the worker loops.
Result<GatewayConfig> check_config(const std::string& config_path, const EnvironmentLookup& getenv);

}  // namespace voxgate::app
