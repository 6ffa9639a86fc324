#pragma once
// `voxgate serve`: the gateway process. main() wires the pieces; this owns
// their lifetime and the shutdown sequence.

#include <cstddef>

#include "base/log.hpp"

namespace voxgate::app {

struct ServeOptions {
  std::size_t worker_threads = 0;  // 0: one per core
};

// Runs until SIGINT or SIGTERM; returns the process exit code.
int run_serve(const ServeOptions& options, const Logger& log);

}  // namespace voxgate::app
