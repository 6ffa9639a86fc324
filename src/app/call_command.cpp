#include "app/call_command.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>

#include "app/call_media.hpp"
#include "app/config.hpp"
#include "app/sip_stack.hpp"
#include "app/stack_config.hpp"
#include "base/ascii.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "runtime/loop_pool.hpp"
#include "sip/message/builder.hpp"

namespace voxgate::app {
namespace {

// Refuses every incoming INVITE: `voxgate call` places one call and takes none.
class NoIncomingCalls final : public sip::IncomingCallHandler {
 public:
  sip::CallDecision on_invite(const sip::IncomingInvite& /*invite*/) override {
    return sip::CallDecision::reject(403, "voxgate call takes no calls");
  }
  void on_call_answered(sip::CallHandle, const sdp::NegotiatedMedia&) override {}
  void on_call_failed(sip::CallHandle, std::uint16_t) override {}
  void on_call_ended(sip::CallHandle, sip::DialogEndReason) override {}
};

// Follows the one call on its loop; prints what happens; stops the loop when
// the call is over.
class CallRunner final : public sip::CallObserver, private CallMediaListener {
 public:
  CallRunner(runtime::EventLoop& loop, SipStack& stack, CallMedia& media, media::RtpPortReservation& ports,
             const CallOptions& options, std::ostream& out)
      : loop_(loop), stack_(stack), media_(media), ports_(ports), options_(options), out_(out) {}

  void start(const sip::OutgoingCall& call) {
    started_ = std::chrono::steady_clock::now();
    auto handle = stack_.dialogs(0).make_call(call, *this);
    if (!handle) {
      out_ << "error " << handle.error().message << "\n";
      finish(503);
      return;
    }
    call_ = *handle;
    timeout_ = stack_.timers(0).schedule(std::chrono::milliseconds(options_.timeout_ms), [this] { give_up(); });
  }

  [[nodiscard]] std::optional<std::uint16_t> final_status() const { return final_; }

  void on_call_progress(sip::CallHandle, std::uint16_t status, std::string_view) override {
    out_ << "progress " << status << " " << sip::default_reason(status) << "\n";
  }

  void on_call_answered(sip::CallHandle, const sdp::NegotiatedMedia& negotiated) override {
    cancel_timeout();
    const std::chrono::duration<double, std::milli> setup = std::chrono::steady_clock::now() - started_;
    out_ << fmt::format("answered setup_ms={:.1f}\n", setup.count());
    final_ = 200;
    start_media(negotiated);
    stack_.timers(0).schedule(std::chrono::milliseconds(options_.duration_ms), [this] {
      if (auto hung_up = stack_.dialogs(0).hangup(call_); !hung_up) {
        out_ << "error " << hung_up.error().message << "\n";
        finish(200);
      }
    });
  }

  void on_call_failed(sip::CallHandle, std::uint16_t status) override {
    cancel_timeout();
    finish(timed_out_ ? std::uint16_t{408} : status);
  }

  void on_call_ended(sip::CallHandle, sip::DialogEndReason reason) override {
    out_ << "ended " << sip::to_string(reason) << "\n";
    finish(200);
  }
  void on_call_media_changed(sip::CallHandle, const sdp::NegotiatedMedia& negotiated) override {
    if (auto updated = media_.update(call_, negotiated); !updated) out_ << "error " << updated.error().message << "\n";
  }
  void on_call_dtmf(sip::CallHandle, char digit, std::uint32_t /*duration_ms*/) override {
    on_media_dtmf(call_, digit, "sip-info");
  }

 private:
  void start_media(const sdp::NegotiatedMedia& negotiated) {
    if (auto started = media_.start(call_, "", ports_, negotiated, *this, options_.record_path); !started) {
      out_ << "error media: " << started.error().message << "\n";
      (void)stack_.dialogs(0).hangup(call_);
      return;
    }
    if (options_.dtmf.empty()) return;
    if (auto queued = media_.send_dtmf(call_, options_.dtmf); !queued) {
      out_ << "error dtmf: " << queued.error().message << "\n";
    }
  }
  void on_media_dtmf(sip::CallHandle, char digit, std::string_view source) override {
    out_ << "dtmf " << digit << " " << source << "\n";
  }
  void on_call_media_ended(sip::CallHandle, media::StreamEndReason reason) override {
    out_ << "media-ended " << media::to_string(reason) << "\n";
    (void)stack_.dialogs(0).hangup(call_);
  }
  void print_media_stats() {
    const auto stats = media_.stop(call_);
    if (!stats) return;
    out_ << fmt::format(
        "media sent={} received={} lost={} duplicates={} out_of_order={} played={} concealed={} silent={} "
        "jitter_ms={} refused={} rtcp_sent={} rtcp_received={} dtmf_sent={} dtmf_received={}\n",
        stats->packets_sent, stats->received.packets, stats->lost, stats->received.duplicates,
        stats->received.out_of_order, stats->frames_played, stats->frames_concealed, stats->frames_silent,
        stats->jitter_ms, stats->refused_source, stats->rtcp_sent, stats->rtcp_received, stats->dtmf_sent,
        stats->dtmf_received);
  }

  // No final response in time: CANCEL (§9.1); the call then fails with 487,
  // which we report as the timeout it is.
  void give_up() {
    timeout_.reset();
    timed_out_ = true;
    if (auto cancelled = stack_.dialogs(0).hangup(call_); !cancelled) finish(408);
  }

  void cancel_timeout() {
    if (timeout_) stack_.timers(0).cancel(*timeout_);
    timeout_.reset();
  }

  void finish(std::uint16_t status) {
    if (done_) return;
    done_ = true;
    print_media_stats();
    if (!final_) final_ = status;
    out_ << "final " << *final_ << " " << sip::default_reason(*final_) << std::endl;
    loop_.stop();
  }

  runtime::EventLoop& loop_;
  SipStack& stack_;
  CallMedia& media_;
  media::RtpPortReservation& ports_;
  const CallOptions& options_;
  std::ostream& out_;
  sip::CallHandle call_{};
  std::chrono::steady_clock::time_point started_{};
  std::optional<runtime::TimerId> timeout_;
  std::optional<std::uint16_t> final_;
  bool timed_out_ = false;
  bool done_ = false;
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
  auto media = make_local_media(config->media);
  if (!stack_config || !media) {
    log.error("configuration: {}", (!stack_config ? stack_config.error() : media.error()).message);
    return 2;
  }

  runtime::LoopPool pool(1);
  const SystemClock clock;
  NoIncomingCalls no_incoming;
  SipStack stack(
      pool, clock, *stack_config, [&](std::size_t) -> sip::IncomingCallHandler& { return no_incoming; }, log);
  if (auto started = stack.start(); !started) {
    log.error("cannot start: {}", started.error().message);
    return 2;
  }
  boost::system::error_code ec;
  media::RtpPortPool rtp_ports(boost::asio::ip::make_address(options.bind, ec), config->media.rtp_port_min,
                               config->media.rtp_port_max);
  auto ports = rtp_ports.reserve();
  if (!ports) {
    log.error("{}", ports.error().message);
    return 2;
  }

  sip::OutgoingCall call;
  call.request_uri = options.target;
  std::string lowered = options.target;
  for (char& c : lowered) c = ascii::to_lower(c);
  if (*transport == sip::TransportKind::Tcp && lowered.find(";transport=") == std::string::npos) {
    call.request_uri += ";transport=tcp";
  }
  const std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
  call.from = fmt::format("<{}>", options.from.empty() ? "sip:voxgate@" + host : options.from);
  call.to = fmt::format("<{}>", options.target);
  call.media = *media;
  call.media.rtp_port = ports->rtp_port();

  media::MediaLoop media_loop(pool.loop(0).context(), stack.timers(0), clock);
  CallMedia call_media(media_loop, config->media, log);
  CallRunner runner(pool.loop(0), stack, call_media, *ports, options, out);
  pool.loop(0).post([&] { runner.start(call); });
  pool.loop(0).run();  // until the runner stops it
  stack.stop();
  return runner.final_status() == 200 ? 0 : 1;
}

}  // namespace voxgate::app
