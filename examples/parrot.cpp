// voxgate as a library: answer calls, hear the caller, talk back, and list
// sessions by metadata. See README.md beside this file.
//
//   voxgate_example_parrot [--port 5080] [--seconds 0]
//
// Prints one line per listing: "sessions example=parrot: 1 [3 Connected sip:...]".

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/sip_stack.hpp"
#include "app/stack_config.hpp"
#include "base/log.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "media/stream/media_loop.hpp"
#include "runtime/loop_pool.hpp"
#include "runtime/shutdown_signal.hpp"
#include "runtime/timer_loop.hpp"
#include "session/registry/in_memory_session_registry.hpp"
#include "session/session_manager.hpp"

namespace {

using namespace voxgate;

constexpr int kRate = 8000;                  // the PCM rate the app sees
constexpr std::size_t kDelaySamples = 4000;  // half a second

// The caller's audio comes back half a second later, after a beep.
class Parrot final : public session::SessionApp {
 public:
  [[nodiscard]] bool wants_audio() const noexcept override { return true; }

  void on_call_started(const session::CallStarted& /*event*/, session::Session& session) override {
    std::vector<std::int16_t> beep(kRate / 5);  // 200 ms of 880 Hz
    for (std::size_t i = 0; i < beep.size(); ++i) {
      beep[i] = static_cast<std::int16_t>(6000 * std::sin(2 * M_PI * 880 * static_cast<double>(i) / kRate));
    }
    (void)session.play_audio(beep);
  }

  void on_pcm_received(const session::PcmReceived& event, session::Session& session) override {
    delay_.insert(delay_.end(), event.frame.begin(), event.frame.end());
    if (delay_.size() < kDelaySamples + event.frame.size()) return;
    const std::vector<std::int16_t> frame(delay_.begin(),
                                          delay_.begin() + static_cast<std::ptrdiff_t>(event.frame.size()));
    delay_.erase(delay_.begin(), delay_.begin() + static_cast<std::ptrdiff_t>(event.frame.size()));
    (void)session.play_audio(frame);
  }

  void on_dtmf_received(const session::DtmfReceived& event, session::Session& session) override {
    if (event.digit == '#') (void)session.hangup();
  }

 private:
  std::deque<std::int16_t> delay_;
};

// Every call gets a parrot and two metadata keys.
class AnswerEveryone final : public session::IncomingCallPolicy {
 public:
  session::IncomingDecision on_incoming_call(const session::IncomingCall& call) override {
    auto decision = session::IncomingDecision::accept(std::make_unique<Parrot>());
    decision.metadata["example"] = "parrot";
    decision.metadata["caller"] = call.from.uri;
    return decision;
  }
};

void list_parrots(const session::SessionRegistry& registry) {
  session::SessionFilter filter;
  filter.metadata = {{"example", "parrot"}};
  filter.states = {session::SessionState::Initializing, session::SessionState::Ringing,
                   session::SessionState::Connected, session::SessionState::OnHold, session::SessionState::Terminating};
  auto page = registry.list(filter);
  if (!page) return;
  std::string line = fmt::format("sessions example=parrot: {}", page->records.size());
  for (const auto& record : page->records) {
    line += fmt::format(" [{} {} {}]", record.id, session::to_string(record.state), record.metadata.at("caller"));
  }
  std::cout << line << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli("voxgate example: a parrot that answers every call");
  std::uint16_t port = 5080;
  unsigned seconds = 0;
  cli.add_option("--port", port, "UDP port to listen on (127.0.0.1)");
  cli.add_option("--seconds", seconds, "stop after this long (0: at SIGINT/SIGTERM)");
  CLI11_PARSE(cli, argc, argv);

  const Logger log = make_stderr_logger("parrot", LogLevel::Info);
  app::GatewayConfig config;  // voxgate's embedded defaults, then ours
  config.worker_threads = 1;
  config.sip.listen = {app::ListenSpec{sip::TransportKind::Udp, "127.0.0.1", port}};
  auto stack_config = app::make_sip_stack_config(config);
  auto settings = app::make_session_settings(config);
  if (!stack_config || !settings) {
    log.error("{}", (!stack_config ? stack_config.error() : settings.error()).message);
    return 2;
  }

  const SystemClock clock;
  runtime::EventLoop main_loop("main");
  runtime::LoopPool workers(1);
  auto registry = session::InMemorySessionRegistry::create(clock);
  session::SessionLimits limits(session::SessionLimitSettings{});
  AnswerEveryone policy;
  media::RtpPortPool ports(boost::asio::ip::make_address("127.0.0.1"), config.media.rtp_port_min,
                           config.media.rtp_port_max);
  runtime::LoopTimers timers(workers.loop(0), clock);
  media::MediaLoop media(workers.loop(0).context(), timers, clock);
  session::SessionManager sessions(timers, clock, &media, &ports, **registry, limits, *settings, log, policy);
  app::SipStack stack(
      workers, clock, *stack_config, [&](std::size_t) -> sip::IncomingCallHandler& { return sessions; }, log);
  if (auto started = stack.start(); !started) {
    log.error("{}", started.error().message);
    return 2;
  }
  sessions.attach(stack.dialogs(0));
  workers.start();
  std::cout << "listening on " << stack.contact_uri() << std::endl;

  // The registry is safe from any thread: the main loop lists it while the
  // worker runs the calls.
  runtime::LoopTimers main_timers(main_loop, clock);
  std::function<void()> tick = [&] {
    list_parrots(**registry);
    main_timers.schedule(std::chrono::seconds(1), [&] { tick(); });
  };
  main_timers.schedule(std::chrono::seconds(1), [&] { tick(); });
  if (seconds > 0) main_timers.schedule(std::chrono::seconds(seconds), [&] { main_loop.stop(); });
  runtime::ShutdownSignal shutdown(main_loop, [&](int) { main_loop.stop(); });
  main_loop.run();

  stack.stop();
  workers.stop();
  workers.join();
  const auto counts = (*registry)->counts();
  std::cout << fmt::format("done: {} sessions created, {} ended", counts.created, counts.ended) << std::endl;
  return 0;
}
