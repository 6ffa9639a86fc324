#include "app/call_command.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

#include "app/config.hpp"
#include "app/media_app_factory.hpp"
#include "app/sip_stack.hpp"
#include "app/stack_config.hpp"
#include "base/ascii.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "runtime/loop_pool.hpp"
#include "runtime/timer_loop.hpp"
#include "session/registry/in_memory_session_registry.hpp"
#include "session/session_manager.hpp"
#include "sip/message/builder.hpp"

namespace voxgate::app {
namespace {

// Refuses every incoming INVITE: `voxgate call` places one call and takes none.
class NoIncomingCalls final : public session::IncomingCallPolicy {
 public:
  session::IncomingDecision on_incoming_call(const session::IncomingCall& /*call*/) override {
    return session::IncomingDecision::reject(403, "voxgate call takes no calls");
  }
};

// Follows the one call: prints what happens, holds and resumes it when
// asked, hangs up after --duration-ms, stops the loop once it is over.
class CallPrinter final : public session::SessionApp {
 public:
  CallPrinter(runtime::EventLoop& loop, runtime::Timers& timers, const CallOptions& options, std::ostream& out)
      : loop_(loop), timers_(timers), options_(options), out_(out), started_(std::chrono::steady_clock::now()) {}

  [[nodiscard]] std::optional<std::uint16_t> final_status() const { return final_; }

  void on_call_progress(const session::CallProgress& event, session::Session& /*session*/) override {
    out_ << "progress " << event.status << " " << sip::default_reason(event.status) << "\n";
  }

  void on_call_started(const session::CallStarted& /*event*/, session::Session& session) override {
    const std::chrono::duration<double, std::milli> setup = std::chrono::steady_clock::now() - started_;
    out_ << fmt::format("answered setup_ms={:.1f}\n", setup.count());
    final_ = 200;
    if (!options_.dtmf.empty()) {
      if (auto queued = session.send_dtmf(options_.dtmf); !queued)
        out_ << "error dtmf: " << queued.error().message << "\n";
    }
    if (options_.hold_after_ms)
      after(*options_.hold_after_ms, session, [this](session::Session& s) { report(s.hold(), "hold"); });
    if (options_.resume_after_ms) {
      after(*options_.resume_after_ms, session, [this](session::Session& s) { report(s.resume(), "resume"); });
    }
    after(options_.duration_ms, session, [this](session::Session& s) { report(s.hangup(), "hangup"); });
  }

  void on_hold_changed(const session::HoldChanged& event, session::Session& /*session*/) override {
    out_ << (event.held ? "held" : "resumed") << " by " << (event.by_us ? "us" : "peer") << "\n";
  }

  void on_dtmf_received(const session::DtmfReceived& event, session::Session& /*session*/) override {
    out_ << "dtmf " << event.digit << " " << session::to_string(event.via) << "\n";
  }

  void on_media_app_finished(const session::MediaAppFinished& /*event*/, session::Session& session) override {
    out_ << "media-ended media app finished\n";
    report(session.hangup(), "hangup");
  }

  void on_call_ended(const session::CallEnded& event, session::Session& session) override {
    for (const runtime::TimerId timer : timers_pending_) timers_.cancel(timer);
    if (const auto stats = session.media_stats()) print_media_stats(*stats);
    if (final_) {
      out_ << "ended " << session::to_string(event.end.by) << " " << to_string(event.end.cause) << "\n";
    } else {
      // Not answered: the peer's final status, or 408 for our own timeout
      // (we cancelled: RFC 3261 §9.1).
      final_ = event.end.by == session::EndedBy::Remote && event.end.sip_status != 0 ? event.end.sip_status
                                                                                     : std::uint16_t{408};
    }
    out_ << "final " << *final_ << " " << sip::default_reason(*final_) << std::endl;
    loop_.stop();
  }

 private:
  template <class Action>
  void after(std::uint32_t delay_ms, session::Session& session, Action action) {
    session::Session* target = &session;  // CallEnded cancels these timers before the session goes
    timers_pending_.push_back(
        timers_.schedule(std::chrono::milliseconds(delay_ms), [target, action] { action(*target); }));
  }

  void report(const Result<void>& done, std::string_view what) {
    if (!done) out_ << "error " << what << ": " << done.error().message << "\n";
  }

  void print_media_stats(const media::RtpStreamStats& stats) {
    out_ << fmt::format(
        "media sent={} received={} lost={} duplicates={} out_of_order={} played={} concealed={} silent={} "
        "jitter_ms={} refused={} rtcp_sent={} rtcp_received={} dtmf_sent={} dtmf_received={}\n",
        stats.packets_sent, stats.received.packets, stats.lost, stats.received.duplicates, stats.received.out_of_order,
        stats.frames_played, stats.frames_concealed, stats.frames_silent, stats.jitter_ms, stats.refused_source,
        stats.rtcp_sent, stats.rtcp_received, stats.dtmf_sent, stats.dtmf_received);
  }

  runtime::EventLoop& loop_;
  runtime::Timers& timers_;
  const CallOptions& options_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point started_;
  std::vector<runtime::TimerId> timers_pending_;
  std::optional<std::uint16_t> final_;
};

}  // namespace

int run_call(const CallOptions& options, const Logger& log, std::ostream& out) {
  const auto transport = sip::transport_from_token(options.transport);
  if (!transport) {
    log.error("--transport: '{}' is not udp or tcp", options.transport);
    return 2;
  }
  auto config = options.config_path.empty() ? parse_config("") : load_config_file(options.config_path);
  if (!config) {
    log.error("configuration: {}", config.error().message);
    return 2;
  }
  // One listener, on an ephemeral port of our address, over the transport
  // the call uses.
  config->worker_threads = 1;
  config->sip.listen = {ListenSpec{*transport, options.bind, 0}};
  config->media.address = options.bind;
  auto stack_config = make_sip_stack_config(*config);
  auto session_settings = make_session_settings(*config);
  if (!stack_config || !session_settings) {
    log.error("configuration: {}", (!stack_config ? stack_config.error() : session_settings.error()).message);
    return 2;
  }
  runtime::LoopPool pool(1);
  const SystemClock clock;
  auto registry = session::InMemorySessionRegistry::create(clock);
  if (!registry) {
    log.error("{}", registry.error().message);
    return 2;
  }
  session::SessionLimits limits(session::SessionLimitSettings{1, 0, 0});
  NoIncomingCalls no_incoming;
  boost::system::error_code ec;
  media::RtpPortPool rtp_ports(boost::asio::ip::make_address(options.bind, ec), config->media.rtp_port_min,
                               config->media.rtp_port_max);
  runtime::LoopTimers timers(pool.loop(0), clock);
  media::MediaLoop media_loop(pool.loop(0).context(), timers, clock);
  session::SessionManager sessions(timers, clock, &media_loop, &rtp_ports, **registry, limits, *session_settings, log,
                                   no_incoming);
  SipStack stack(
      pool, clock, *stack_config, [&](std::size_t) -> sip::IncomingCallHandler& { return sessions; }, log);
  if (auto started = stack.start(); !started) {
    log.error("cannot start: {}", started.error().message);
    return 2;
  }
  sessions.attach(stack.dialogs(0));

  session::OutboundCall call;
  call.target = options.target;
  std::string lowered = options.target;
  for (char& c : lowered) c = ascii::to_lower(c);
  if (*transport == sip::TransportKind::Tcp && lowered.find(";transport=") == std::string::npos) {
    call.target += ";transport=tcp";
  }
  const std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
  call.from = fmt::format("<{}>", options.from.empty() ? "sip:voxgate@" + host : options.from);
  call.to = fmt::format("<{}>", options.target);
  call.timeout = std::chrono::milliseconds(options.timeout_ms);
  auto printer = std::make_unique<CallPrinter>(pool.loop(0), timers, options, out);
  CallPrinter& outcome = *printer;
  call.app = std::move(printer);
  auto media_app = make_media_app(config->media, "", options.record_path);
  if (!media_app) {
    log.error("media: {}", media_app.error().message);
    return 2;
  }
  call.media_app = std::move(*media_app);

  bool placed = true;
  pool.loop(0).post([&] {
    if (auto id = sessions.make_call(std::move(call)); !id) {
      placed = false;  // the printer went with the call
      out << "error " << id.error().message << "\nfinal 503 " << sip::default_reason(503) << std::endl;
      pool.loop(0).stop();
    }
  });
  pool.loop(0).run();  // until the call is over
  const int exit_code = placed && outcome.final_status() == 200 ? 0 : 1;
  const sip::DialogLayerStats& dialog_stats = stack.dialogs(0).stats();  // the loop has stopped
  out << "session_timer refreshes_sent=" << dialog_stats.session_refreshes_sent
      << " expired=" << dialog_stats.session_timer_expired << std::endl;
  stack.stop();
  return exit_code;
}

}  // namespace voxgate::app
