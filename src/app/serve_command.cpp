#include "app/serve_command.hpp"

#include <csignal>

#include "runtime/event_loop.hpp"
#include "runtime/loop_pool.hpp"
#include "runtime/shutdown_signal.hpp"

namespace voxgate::app {

int run_serve(const ServeOptions& options, const Logger& log) {
  // The main loop handles process-level events (signals, later the control
  // plane's start/stop); the worker loops will own calls.
  runtime::EventLoop main_loop("main");
  runtime::LoopPool workers(options.worker_threads);
  workers.start();
  log.info("voxgate serving with {} worker loop(s)", workers.size());
  log.warn("the SIP transport layer is not wired yet: no listener is open");

  runtime::ShutdownSignal shutdown(main_loop, [&](int signal_number) {
    log.info("received {}, shutting down", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    main_loop.stop();
  });
  main_loop.run();

  workers.stop();
  workers.join();
  log.info("voxgate stopped");
  return 0;
}

}  // namespace voxgate::app
