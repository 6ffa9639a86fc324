#pragma once
// `voxgate serve`: the gateway process. main() parses the command line; this
// builds the pieces from the configuration, owns their lifetime and the
// shutdown sequence.

#include <optional>
#include <string>
#include <vector>

#include "base/log.hpp"

namespace voxgate::app {

struct ServeOptions {
  std::string config_path;                      // "" = embedded defaults
  std::vector<std::string> listen;              // overrides sip.listen when given
  std::optional<std::uint32_t> worker_threads;  // overrides worker_threads
};

// Runs until SIGINT or SIGTERM; returns the process exit code (2 for a
// configuration or start-up error, printed to the log).
int run_serve(const ServeOptions& options, const Logger& log);

}  // namespace voxgate::app
