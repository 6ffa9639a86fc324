#include "app/serve_command.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "app/answering_service.hpp"
#include "app/config.hpp"
#include "app/sip_stack.hpp"
#include "app/stack_config.hpp"
#include "runtime/event_loop.hpp"
#include "runtime/loop_pool.hpp"
#include "runtime/shutdown_signal.hpp"
#include "runtime/timer_loop.hpp"

namespace voxgate::app {
namespace {

Result<GatewayConfig> load(const ServeOptions& options) {
  auto config = options.config_path.empty() ? parse_config("") : load_config_file(options.config_path);
  if (!config) return config;
  if (!options.listen.empty()) {
    config->sip.listen.clear();
    for (const auto& text : options.listen) {
      auto spec = parse_listen_spec(text);
      if (!spec) return make_error(Errc::InvalidArgument, "--listen: {}", spec.error().message);
      config->sip.listen.push_back(*spec);
    }
  }
  if (options.worker_threads) config->worker_threads = *options.worker_threads;
  // Seed 000's SESSION_TIMEOUT_SEC / SESSION_MIN_SE (validates the result).
  if (auto applied = apply_environment(*config, [](const char* name) { return std::getenv(name); }); !applied) {
    return tl::unexpected(applied.error());
  }
  return config;
}

double as_ms(Clock::Duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

// One line: media totals over the calls that ended, then each loop's media
// clock (send-interval lateness; bench/media_load reads this line).
void log_media_summary(const Logger& log, const AnsweringStats& calls,
                       const std::vector<std::unique_ptr<media::MediaLoop>>& media_loops) {
  std::string clocks;
  for (std::size_t i = 0; i < media_loops.size(); ++i) {
    const media::MediaClockStats& clock = media_loops[i]->media_clock().stats();
    clocks += fmt::format("{}loop {} p50 {:.2f} ms p99 {:.2f} ms max {:.2f} ms ({} ticks, {} skipped)",
                          i == 0 ? "" : ", ", i, as_ms(clock.lateness_percentile(50)),
                          as_ms(clock.lateness_percentile(99)), as_ms(clock.max_lateness), clock.ticks, clock.skipped);
  }
  log.info("media totals: {} streams, {} packets received, {} sent, {} lost, {} concealed; media clock lateness: {}",
           calls.media_streams, calls.media_packets_received, calls.media_packets_sent, calls.media_lost,
           calls.media_concealed, clocks);
}

void log_summary(const Logger& log, const SipStackStats& stats,
                 const std::vector<std::unique_ptr<AnsweringService>>& services,
                 const std::vector<std::unique_ptr<media::MediaLoop>>& media_loops) {
  AnsweringStats calls;
  for (const auto& service : services) {
    const auto& s = service->stats();
    calls.offered += s.offered;
    calls.answered += s.answered;
    calls.failed += s.failed;
    calls.ended += s.ended;
    calls.over_budget += s.over_budget;
    calls.no_rtp_port += s.no_rtp_port;
    calls.media_failed += s.media_failed;
    calls.media_ended += s.media_ended;
    calls.dtmf_digits += s.dtmf_digits;
    calls.media_streams += s.media_streams;
    calls.media_packets_received += s.media_packets_received;
    calls.media_packets_sent += s.media_packets_sent;
    calls.media_lost += s.media_lost;
    calls.media_concealed += s.media_concealed;
  }
  log.info(
      "calls: {} offered, {} answered, {} ended, {} not established ({} over budget, {} without RTP port), {} "
      "held in memory (ended calls wait for their transactions: Timer J/L)",
      calls.offered, calls.answered, calls.ended, calls.failed, calls.over_budget, calls.no_rtp_port,
      stats.calls_in_progress);
  log.info(
      "media: {} calls hung up when their media ended (timeout, send failure, app finished), {} without a "
      "stream, {} DTMF digits received",
      calls.media_ended, calls.media_failed, calls.dtmf_digits);
  log_media_summary(log, calls, media_loops);
  log.info("dialogs: {} created, {} confirmed, {} ended without ACK (BYE sent), {} requests for unknown dialogs (481)",
           stats.dialogs.dialogs_created, stats.dialogs.dialogs_confirmed, stats.dialogs.no_ack_timeouts,
           stats.dialogs.no_dialog);
}

}  // namespace

int run_serve(const ServeOptions& options, const Logger& log) {
  auto config = load(options);
  if (!config) {
    log.error("configuration: {}", config.error().message);
    return 2;
  }
  auto stack_config = make_sip_stack_config(*config);
  auto media = make_local_media(config->media);
  if (!stack_config || !media) {
    log.error("configuration: {}", (!stack_config ? stack_config.error() : media.error()).message);
    return 2;
  }

  // The main loop handles process-level events (signals, later the control
  // plane); the worker loops own calls.
  runtime::EventLoop main_loop("main");
  runtime::LoopPool workers(config->worker_threads);
  const SystemClock clock;
  boost::system::error_code ec;
  const auto rtp_address = boost::asio::ip::make_address(config->media.address, ec);
  CallBudget budget(config->limits.max_calls);

  // Per loop, declared in the order they depend on each other: a service's
  // calls hold reservations from its loop's port pool.
  std::vector<std::unique_ptr<media::RtpPortPool>> rtp_ports;
  std::vector<std::unique_ptr<runtime::LoopTimers>> answer_timers;
  std::vector<std::unique_ptr<media::MediaLoop>> media_loops;
  std::vector<std::unique_ptr<CallMedia>> call_media;
  std::vector<std::unique_ptr<AnsweringService>> services;
  const AnsweringPolicy policy{config->answer.answer_delay, *media};
  std::vector<std::pair<std::uint16_t, std::uint16_t>> port_slices;
  try {
    port_slices = media::RtpPortPool::split(config->media.rtp_port_min, config->media.rtp_port_max, workers.size());
  } catch (const std::invalid_argument& e) {
    log.error("configuration: media: {}", e.what());
    return 2;
  }
  for (std::size_t i = 0; i < workers.size(); ++i) {
    rtp_ports.push_back(std::make_unique<media::RtpPortPool>(rtp_address, port_slices[i].first, port_slices[i].second));
    answer_timers.push_back(std::make_unique<runtime::LoopTimers>(workers.loop(i), clock));
    media_loops.push_back(std::make_unique<media::MediaLoop>(workers.loop(i).context(), *answer_timers.back(), clock));
    call_media.push_back(std::make_unique<CallMedia>(*media_loops.back(), config->media, log));
    services.push_back(std::make_unique<AnsweringService>(*answer_timers.back(), *rtp_ports.back(), budget, policy, log,
                                                          call_media.back().get()));
  }

  SipStack stack(
      workers, clock, *stack_config, [&](std::size_t i) -> sip::IncomingCallHandler& { return *services[i]; }, log);
  if (auto started = stack.start(); !started) {
    log.error("cannot start: {}", started.error().message);
    return 2;
  }
  for (std::size_t i = 0; i < workers.size(); ++i) services[i]->attach(stack.dialogs(i));
  workers.start();
  log.info("voxgate serving with {} worker loop(s), Contact {}", workers.size(), stack.contact_uri());

  runtime::ShutdownSignal shutdown(main_loop, [&](int signal_number) {
    log.info("received {}, shutting down", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    main_loop.stop();
  });
  main_loop.run();

  const SipStackStats stats = stack.stats();  // on the loops, while they run
  stack.stop();
  workers.stop();
  workers.join();
  log_summary(log, stats, services, media_loops);  // the loops are gone: their services may be read here
  log.info("voxgate stopped");
  return 0;
}

}  // namespace voxgate::app
