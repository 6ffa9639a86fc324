#include "app/serve_command.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/config.hpp"
#include "app/control_plane.hpp"
#include "app/routing_call_policy.hpp"
#include "app/sip_stack.hpp"
#include "app/stack_config.hpp"
#include "app/stream_apps.hpp"
#include "bot/call/bot_service.hpp"
#include "runtime/event_loop.hpp"
#include "runtime/loop_pool.hpp"
#include "runtime/shutdown_signal.hpp"
#include "runtime/timer_loop.hpp"
#include "session/registry/in_memory_session_registry.hpp"
#include "session/session_manager.hpp"

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
  // At start-up, before any thread: getenv cannot race a setenv.
  auto read_env = [](const char* name) { return std::getenv(name); };  // NOLINT(concurrency-mt-unsafe)
  if (auto applied = apply_environment(*config, read_env); !applied) {
    return tl::unexpected(applied.error());
  }
  return config;
}

// One line: media totals over the calls that ended, then each loop's media
// clock (send-interval lateness; bench/media_load reads this line).
void log_media_summary(const Logger& log, const session::SessionStats& calls,
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

void log_summary(const Logger& log, const SipStackStats& stats, const session::SessionStats& calls,
                 const session::SessionLimitCounts& limits, const session::RegistryCounts& registry,
                 const std::vector<std::unique_ptr<media::MediaLoop>>& media_loops) {
  log.info(
      "calls: {} offered, {} answered, {} ended, {} not established ({} over a limit, {} without RTP port), {} "
      "held in memory (ended calls wait for their transactions: Timer J/L)",
      calls.inbound + calls.refused_by_limit + calls.no_rtp_port, calls.answered, calls.ended, calls.failed,
      limits.refused_overall + limits.refused_party + limits.refused_source, calls.no_rtp_port,
      stats.calls_in_progress);
  log.info("sessions: {} created, {} active, {} ended ({} still retained); {} registry errors", registry.created,
           registry.active, registry.ended, registry.retained, calls.registry_errors);
  log.info(
      "media: {} calls hung up when their media ended (timeout, send failure, app finished), {} without a "
      "stream, {} DTMF digits received",
      calls.media_ended, calls.media_failed, calls.dtmf_digits);
  log_media_summary(log, calls, media_loops);
  log.info("dialogs: {} created, {} confirmed, {} ended without ACK (BYE sent), {} requests for unknown dialogs (481)",
           stats.dialogs.dialogs_created, stats.dialogs.dialogs_confirmed, stats.dialogs.no_ack_timeouts,
           stats.dialogs.no_dialog);
  log.info("session timers: {} refreshes sent, {} expired, {} intervals too small (422)",
           stats.dialogs.session_refreshes_sent, stats.dialogs.session_timer_expired,
           stats.dialogs.session_interval_too_small);
}

}  // namespace

int run_serve(const ServeOptions& options, const Logger& log) {
  auto config = load(options);
  if (!config) {
    log.error("configuration: {}", config.error().message);
    return 2;
  }
  auto stack_config = make_sip_stack_config(*config);
  auto session_settings = make_session_settings(*config);
  if (!stack_config || !session_settings) {
    log.error("configuration: {}", (!stack_config ? stack_config.error() : session_settings.error()).message);
    return 2;
  }
  // The main loop handles process-level events (signals, the registry's
  // retention, later the control plane); the worker loops own calls.
  runtime::EventLoop main_loop("main");
  runtime::LoopPool workers(config->worker_threads);
  const SystemClock clock;
  boost::system::error_code ec;
  const auto rtp_address = boost::asio::ip::make_address(config->media.address, ec);
  auto registry = session::InMemorySessionRegistry::create(clock);
  if (!registry) {
    log.error("configuration: {}", registry.error().message);
    return 2;
  }
  session::SessionLimits limits(make_session_limits(config->limits));
  // The control plane first: the routing policy acts through it (webhook
  // decisions, parked calls), and the managers need the policy.
  std::atomic<bool> draining{false};
  std::vector<session::SessionManager*> managers;  // filled below, before the loops run
  std::map<std::string, api::WebhookTarget, std::less<>> route_webhooks;
  for (const auto& route : config->routes) {
    if (!route.events_url.empty())
      route_webhooks[route.name] = api::WebhookTarget{route.events_url, route.events_secret};
  }
  auto webhook_for = [&route_webhooks](const session::SessionRecord& record) -> std::optional<api::WebhookTarget> {
    const auto route = record.metadata.find("route");
    if (route == record.metadata.end()) return std::nullopt;
    const auto target = route_webhooks.find(route->second);
    if (target == route_webhooks.end()) return std::nullopt;
    return target->second;
  };
  auto plane = ControlPlane::create(
      ControlPlaneDeps{clock, **registry, limits, workers, managers, [&draining] { return !draining.load(); },
                       route_webhooks.empty() ? nullptr : std::function(webhook_for)},
      *config, log);
  if (!plane) {
    log.error("cannot start: {}", plane.error().message);
    return 2;
  }
  // The voice bot, when a call can reach it: its thread and speech model
  // (about a second to load the dictionary).
  std::unique_ptr<bot::BotService> bots;
  BotAppFactory bot_apps;
  if (uses_bot(*config)) {
    // [bot] and every [bots.<name>]: one service, one thread and one speech
    // model for them all (bot_service.hpp).
    bot::BotProfiles profiles = config->bots;
    profiles.emplace(std::string(bot::kDefaultBotProfile), config->bot);
    for (auto& [name, settings] : profiles) settings.sample_rate = static_cast<int>(config->media.app_rate);
    config->bot.sample_rate = static_cast<int>(config->media.app_rate);
    auto created = bot::BotService::create(std::move(profiles), log.with("component", "bot"));
    if (!created) {
      log.error("cannot start the voice bot: {}", created.error().message);
      return 2;
    }
    bots = std::move(*created);
    bots->start();
    bot_apps = [&bots, &workers](std::string_view call_id, std::string_view profile) {
      return bots->make_app(workers.loop_for(call_id), profile);
    };
    log.info("voice bot ready: agent {}, tts {}, {} Hz, {} more profile(s)", bot::to_string(config->bot.agent),
             config->bot.tts.provider, config->bot.sample_rate, config->bots.size());
  }
  // Bot streaming, when a call can be streamed.
  StreamAppFactory stream_apps;
  if (uses_stream(*config)) {
    auto made = make_stream_app_factory(*config, workers, bot_apps);
    if (!made) {
      log.error("cannot set up bot streaming: {}", made.error().message);
      return 2;
    }
    stream_apps = std::move(*made);
    log.info("bot streaming ready: {} to {}", bot::to_string(config->stream.profile),
             config->stream.url.empty() ? "each route's stream_url" : config->stream.url);
  }
  (*plane)->set_app_factories(SessionAppFactories{bot_apps, stream_apps});
  RoutingCallPolicy policy(config->routes, config->media, config->answer, (*plane)->control(), **registry,
                           (*plane)->io(), log, SessionAppFactories{bot_apps, stream_apps});
  // Per loop, declared in the order they depend on each other: a manager's
  // sessions hold reservations from its loop's port pool and streams on its
  // media loop.
  std::vector<std::unique_ptr<media::RtpPortPool>> rtp_ports;
  std::vector<std::unique_ptr<runtime::LoopTimers>> loop_timers;
  std::vector<std::unique_ptr<media::MediaLoop>> media_loops;
  std::vector<std::unique_ptr<session::SessionManager>> sessions;
  std::vector<std::pair<std::uint16_t, std::uint16_t>> port_slices;
  try {
    port_slices = media::RtpPortPool::split(config->media.rtp_port_min, config->media.rtp_port_max, workers.size());
  } catch (const std::invalid_argument& e) {
    log.error("configuration: media: {}", e.what());
    return 2;
  }
  for (std::size_t i = 0; i < workers.size(); ++i) {
    rtp_ports.push_back(std::make_unique<media::RtpPortPool>(rtp_address, port_slices[i].first, port_slices[i].second));
    loop_timers.push_back(std::make_unique<runtime::LoopTimers>(workers.loop(i), clock));
    media_loops.push_back(std::make_unique<media::MediaLoop>(workers.loop(i).context(), *loop_timers.back(), clock));
    sessions.push_back(std::make_unique<session::SessionManager>(*loop_timers.back(), clock, media_loops.back().get(),
                                                                 rtp_ports.back().get(), **registry, limits,
                                                                 *session_settings, log, policy));
  }
  SipStack stack(
      workers, clock, *stack_config, [&](std::size_t i) -> sip::IncomingCallHandler& { return *sessions[i]; }, log);
  if (auto started = stack.start(); !started) {
    log.error("cannot start: {}", started.error().message);
    return 2;
  }
  for (const auto& manager : sessions) managers.push_back(manager.get());
  for (std::size_t i = 0; i < workers.size(); ++i) {
    sessions[i]->attach(stack.dialogs(i));
    sessions[i]->report_events_to((*plane)->journal());
  }
  auto api = (*plane)->start(stack);
  if (!api) {
    log.error("cannot start: {}", api.error().message);
    return 2;
  }
  workers.start();
  log.info("voxgate serving with {} worker loop(s), Contact {}", workers.size(), stack.contact_uri());
  if (*api) {
    const auto& endpoint = **api;
    const std::string address = endpoint.address().to_string();
    log.info("API on http://{}:{}", endpoint.address().is_v6() ? "[" + address + "]" : address, endpoint.port());
  }
  runtime::LoopTimers main_timers(main_loop, clock);
  // SIGTERM (or SIGINT) drains: no new call from now on (503, and OPTIONS
  // says so), calls in progress may finish until the drain deadline, then
  // get BYE; a second signal stops at once.
  Clock::TimePoint drain_deadline{};
  bool hung_up = false;
  std::function<void()> check_drained = [&] {
    if ((*registry)->counts().active == 0) return main_loop.stop();
    if (clock.now() >= drain_deadline) {
      if (hung_up) {
        // A peer that does not answer our BYE or CANCEL is not waited for
        // (Timers F and B take 32 s): what is left ends as shut down.
        log.info("{} session(s) still ending; stopping", (*registry)->counts().active);
        return main_loop.stop();
      }
      log.info("drain deadline: hanging up {} session(s)", (*registry)->counts().active);
      for (std::size_t i = 0; i < workers.size(); ++i) {
        workers.loop(i).post([&, i] { sessions[i]->hangup_all("Q.850;cause=16;text=\"shutdown\""); });
      }
      hung_up = true;
      drain_deadline = clock.now() + std::chrono::seconds(2);
    }
    main_timers.schedule(std::chrono::milliseconds(50), [&] { check_drained(); });
  };
  runtime::ShutdownSignal shutdown(main_loop, [&](int signal_number) {
    const char* name = signal_number == SIGTERM ? "SIGTERM" : "SIGINT";
    if (draining.exchange(true)) {
      log.info("received {} again, stopping now", name);
      return main_loop.stop();
    }
    log.info("received {}, draining: no new calls, {} active may run for {} ms", name, (*registry)->counts().active,
             config->shutdown.drain_timeout.count());
    limits.start_draining();
    for (std::size_t i = 0; i < workers.size(); ++i) {
      workers.loop(i).post([&stack, i] { stack.dialogs(i).set_draining(true); });
    }
    drain_deadline = clock.now() + config->shutdown.drain_timeout;
    check_drained();
  });
  // Ended sessions leave the registry once their retention has passed.
  std::function<void()> expire_retained = [&] {
    (*registry)->expire();
    main_timers.schedule(std::chrono::seconds(10), [&] { expire_retained(); });
  };
  main_timers.schedule(std::chrono::seconds(10), [&] { expire_retained(); });
  main_loop.run();
  (*plane)->stop_api();
  const SipStackStats stats = stack.stats();  // on the loops, while they run
  // Sessions still up (a second signal) end now, so each gets its CDR.
  for (std::size_t i = 0; i < workers.size(); ++i) {
    std::promise<void> done;
    workers.loop(i).post([&, i] {
      sessions[i]->hangup_all("Q.850;cause=16;text=\"shutdown\"");
      done.set_value();
    });
    done.get_future().wait();
  }
  // Their BYEs are answered within a round trip; a peer that never answers
  // is given up on (Timer F would take 32 s).
  for (int i = 0; i < 100 && (*registry)->counts().active > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stack.stop();
  workers.stop();
  workers.join();
  // The loops are gone: their managers may be read here. Destroying them
  // ends what is left (as Shutdown), which reaches the journal and the CDRs.
  session::SessionStats calls;
  for (const auto& manager : sessions) calls += manager->stats();
  sessions.clear();
  // After the sessions: each bot call's end was posted to the bot thread.
  if (bots) bots->stop();
  (*plane)->finish();
  log_summary(log, stats, calls, limits.counts(), (*registry)->counts(), media_loops);
  if (auto cdrs = (*plane)->cdr_stats()) {
    log.info("cdrs: {} written, {} dropped, {} lost in failed writes", cdrs->written, cdrs->dropped,
             cdrs->write_errors);
  }
  log.info("voxgate stopped");
  return 0;
}

}  // namespace voxgate::app
