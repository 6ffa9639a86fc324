#include "app/media_load_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

#include "app/config.hpp"
#include "app/sip_stack.hpp"
#include "app/stack_config.hpp"
#include "media/apps/basic_apps.hpp"
#include "media/engine/media_clock.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "media/stream/media_loop.hpp"
#include "media/stream/rtp_stream.hpp"
#include "runtime/loop_pool.hpp"
#include "session/stream_config.hpp"

namespace voxgate::app {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr auto kAnswerGrace = seconds(35);  // after the last INVITE: Timer B (64 x T1) ends every call by then
constexpr auto kHangupBound = seconds(10);
constexpr auto kSnapshotBound = seconds(5);
constexpr auto kPoll = milliseconds(10);

// RTP counters summed over streams.
struct MediaTotals {
  std::uint64_t streams = 0;
  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;
  std::int64_t lost = 0;
  std::uint64_t concealed = 0;
  std::int64_t peer_reported_lost = 0;  // the peer's last RTCP report of our packets, per stream

  void add(const media::RtpStreamStats& stats) {
    ++streams;
    packets_sent += stats.packets_sent;
    packets_received += stats.received.packets;
    lost += stats.lost;
    concealed += stats.frames_concealed;
    peer_reported_lost += stats.peer_reported_lost.value_or(0);
  }

  MediaTotals& operator+=(const MediaTotals& other) {
    streams += other.streams;
    packets_sent += other.packets_sent;
    packets_received += other.packets_received;
    lost += other.lost;
    concealed += other.concealed;
    peer_reported_lost += other.peer_reported_lost;
    return *this;
  }

  // The counters gained since `earlier` (of the same streams); `streams` stays ours.
  [[nodiscard]] MediaTotals since(const MediaTotals& earlier) const {
    MediaTotals window = *this;
    window.packets_sent -= earlier.packets_sent;
    window.packets_received -= earlier.packets_received;
    window.lost -= earlier.lost;
    window.concealed -= earlier.concealed;
    window.peer_reported_lost -= earlier.peer_reported_lost;
    return window;
  }

  // lost / expected, where expected = received + lost (RFC 3550 A.3).
  [[nodiscard]] double loss_ratio() const {
    const std::int64_t lost_packets = std::max<std::int64_t>(lost, 0);
    const auto expected = static_cast<double>(packets_received) + static_cast<double>(lost_packets);
    return expected > 0 ? static_cast<double>(lost_packets) / expected : 0.0;
  }
};

// What one loop reports at a point of the run: its ended streams' final
// counters plus its live streams' current ones (so the sum only grows, even
// when a stream ends between two snapshots), and its media clock.
struct Snapshot {
  MediaTotals media;
  std::uint64_t live = 0;  // streams running
  media::MediaClockStats clock;
};

// Counters the worker loops bump and the main thread polls.
struct Progress {
  std::atomic<std::uint32_t> placed{0};
  std::atomic<std::uint32_t> answered{0};
  std::atomic<std::uint32_t> failed{0};        // never established
  std::atomic<std::uint32_t> ended{0};         // established, then ended
  std::atomic<std::uint32_t> ended_early{0};   // ... before we hung up (the peer's BYE, media timeout)
  std::atomic<std::uint32_t> media_failed{0};  // established, but no stream could start
};

// One SIP stack on one loop, with its media clock and RTP ports, placing
// its share of the calls (global indices index, index + stride, ...).
class Worker final : public sip::IncomingCallHandler {
 public:
  Worker(std::size_t index, std::size_t stride, const MediaLoadOptions& options, const GatewayConfig& config,
         const SipStackConfig& stack_config, sdp::LocalMediaConfig local_media,
         std::pair<std::uint16_t, std::uint16_t> port_slice, const Clock& clock, Progress& progress, Logger log)
      : index_(index),
        stride_(stride),
        options_(options),
        media_config_(config.media),
        local_media_(std::move(local_media)),
        clock_(clock),
        progress_(progress),
        log_(std::move(log)),
        stack_(
            pool_, clock, stack_config, [this](std::size_t) -> sip::IncomingCallHandler& { return *this; }, log_),
        rtp_ports_(boost::asio::ip::make_address(config.media.address), port_slice.first, port_slice.second) {
    const std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
    outgoing_.request_uri = options.target;
    outgoing_.from = fmt::format("<sip:media-load@{}>", host);
    outgoing_.to = fmt::format("<{}>", options.target);
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() override {
    stop();
    calls_.clear();  // streams before the media loop and the ports they adopted
  }

  // Binds the SIP port and runs the loop.
  Result<void> start() {
    if (auto started = stack_.start(); !started) return started;
    media_loop_ = std::make_unique<media::MediaLoop>(pool_.loop(0).context(), stack_.timers(0), clock_);
    pool_.start();
    return {};
  }

  // Places this worker's calls at the asked rate, counted from `t0`.
  void begin(Clock::TimePoint t0) {
    pool_.loop(0).post([this, t0] {
      t0_ = t0;
      next_ = index_;
      place_due();
    });
  }

  std::future<Snapshot> snapshot() {
    auto promise = std::make_shared<std::promise<Snapshot>>();
    auto future = promise->get_future();
    pool_.loop(0).post([this, promise] { promise->set_value(take_snapshot()); });
    return future;
  }

  // Stops placing and hangs up every call (BYE, or CANCEL when unanswered).
  void hang_up_all() {
    pool_.loop(0).post([this] {
      hanging_up_ = true;
      stack_.timers(0).cancel(placement_timer_);
      std::vector<sip::CallHandle> handles;
      handles.reserve(calls_.size());
      for (const auto& [handle, call] : calls_) handles.push_back(handle);
      for (const sip::CallHandle handle : handles) {
        if (auto hung_up = stack_.dialogs(0).hangup(handle); !hung_up) {
          log_.debug("call {}: cannot hang up: {}", handle, hung_up.error().message);
          const auto it = calls_.find(handle);
          if (it != calls_.end() && it->second->answered) {
            finish(handle, false);
          } else {
            on_call_failed(handle, 0);
          }
        }
      }
    });
  }

  // Closes the SIP port and stops the loop; afterwards the main thread may
  // read everything. Idempotent.
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    stack_.stop();
    pool_.stop();
    pool_.join();
  }

  // After stop(): every stream's counters over the whole run, the clock's,
  // and why calls failed.
  [[nodiscard]] Snapshot final_snapshot() const { return take_snapshot(); }
  [[nodiscard]] const std::map<std::uint16_t, std::uint32_t>& failures() const noexcept { return failures_; }

  sip::CallDecision on_invite(const sip::IncomingInvite& /*invite*/) override {
    return sip::CallDecision::reject(403, "media-load takes no calls");
  }

  void on_call_answered(sip::CallHandle handle, const sdp::NegotiatedMedia& negotiated) override {
    progress_.answered.fetch_add(1, std::memory_order_relaxed);
    const auto it = calls_.find(handle);
    if (it == calls_.end()) return;
    Call& call = *it->second;
    call.answered = true;
    if (auto started = start_media(call, negotiated); !started) {
      progress_.media_failed.fetch_add(1, std::memory_order_relaxed);
      log_.warn("call {}: no media: {}; hanging up", handle, started.error().message);
      (void)stack_.dialogs(0).hangup(handle);
    }
  }

  void on_call_failed(sip::CallHandle handle, std::uint16_t status) override {
    if (calls_.erase(handle) == 0) return;
    ++failures_[status];
    progress_.failed.fetch_add(1, std::memory_order_relaxed);
    log_.debug("call {} not established: {}", handle, status);
  }

  void on_call_ended(sip::CallHandle handle, sip::DialogEndReason reason) override {
    log_.debug("call {} ended: {}", handle, sip::to_string(reason));
    finish(handle, !hanging_up_);
  }

 private:
  // One call: its RTP ports, then its stream (which adopted the ports'
  // sockets: it goes first), and the stream's reports.
  struct Call final : media::RtpStreamObserver {
    Call(Worker& owner, sip::CallHandle call, media::RtpPortReservation reserved)
        : worker(owner), handle(call), ports(std::move(reserved)) {}
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;
    ~Call() override = default;

    void on_stream_dtmf(char /*digit*/, media::DtmfSource /*source*/) override {}
    void on_stream_ended(media::StreamEndReason reason) override { worker.on_media_ended(handle, reason); }

    Worker& worker;
    sip::CallHandle handle;
    media::RtpPortReservation ports;
    std::unique_ptr<media::RtpStream> stream;
    bool answered = false;
  };

  void place_due() {
    placement_timer_ = {};
    if (hanging_up_) return;
    const Clock::TimePoint now = clock_.now();
    while (next_ < options_.calls) {
      const Clock::TimePoint due = t0_ + std::chrono::duration_cast<Clock::Duration>(
                                             std::chrono::duration<double>(static_cast<double>(next_) / options_.rate));
      if (due > now) {
        placement_timer_ = stack_.timers(0).schedule(due - now, [this] { place_due(); });
        return;
      }
      place();
      next_ += stride_;
    }
  }

  void place() {
    progress_.placed.fetch_add(1, std::memory_order_relaxed);
    auto ports = rtp_ports_.reserve();
    if (!ports) {
      log_.warn("cannot place a call: {}", ports.error().message);
      ++failures_[0];
      progress_.failed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    sip::OutgoingCall outgoing = outgoing_;
    outgoing.media = local_media_;
    outgoing.media.rtp_port = ports->rtp_port();
    auto handle = stack_.dialogs(0).make_call(outgoing, *this);
    if (!handle) {
      log_.warn("cannot place a call: {}", handle.error().message);
      ++failures_[0];
      progress_.failed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    calls_.emplace(*handle, std::make_unique<Call>(*this, *handle, std::move(*ports)));
  }

  Result<void> start_media(Call& call, const sdp::NegotiatedMedia& negotiated) {
    const sdp::NegotiatedStream* audio = negotiated.audio();
    if (audio == nullptr) return make_error(Errc::InvalidArgument, "no audio stream was agreed");
    auto stream_config = session::make_stream_config(*audio, make_stream_settings(media_config_));
    if (!stream_config) return tl::unexpected(stream_config.error());
    stream_config->cname = fmt::format("media-load-{}-{}@{}", index_, call.handle.value(), media_config_.address);
    auto app = std::make_unique<media::ToneApp>(static_cast<int>(media_config_.app_rate), media_config_.tone_hz);
    auto stream = media::RtpStream::create(*media_loop_, call.ports, *stream_config, std::move(app), call);
    if (!stream) return tl::unexpected(stream.error());
    call.stream = std::move(*stream);
    return {};
  }

  void on_media_ended(sip::CallHandle handle, media::StreamEndReason reason) {
    log_.warn("call {}: media ended ({}); hanging up", handle, media::to_string(reason));
    (void)stack_.dialogs(0).hangup(handle);
  }

  // An established call is over: keep its stream's final counters.
  void finish(sip::CallHandle handle, bool early) {
    const auto it = calls_.find(handle);
    if (it == calls_.end()) return;
    if (it->second->stream) {
      ended_.add(it->second->stream->stats());
    }
    calls_.erase(it);
    if (early) progress_.ended_early.fetch_add(1, std::memory_order_relaxed);
    progress_.ended.fetch_add(1, std::memory_order_relaxed);
  }

  [[nodiscard]] Snapshot take_snapshot() const {
    Snapshot snapshot;
    snapshot.media = ended_;
    for (const auto& [handle, call] : calls_) {
      if (!call->stream) continue;
      snapshot.media.add(call->stream->stats());
      ++snapshot.live;
    }
    if (media_loop_) snapshot.clock = media_loop_->media_clock().stats();
    return snapshot;
  }

  std::size_t index_;
  std::size_t stride_;
  const MediaLoadOptions& options_;
  MediaConfig media_config_;
  sdp::LocalMediaConfig local_media_;
  const Clock& clock_;
  Progress& progress_;
  Logger log_;
  sip::OutgoingCall outgoing_;
  // Destroyed bottom up: calls (streams, ports), media loop, port pool,
  // SIP stack, then the loop itself.
  runtime::LoopPool pool_{1};
  SipStack stack_;
  media::RtpPortPool rtp_ports_;
  std::unique_ptr<media::MediaLoop> media_loop_;
  std::unordered_map<sip::CallHandle, std::unique_ptr<Call>> calls_;

  Clock::TimePoint t0_{};
  std::uint64_t next_ = 0;
  runtime::TimerId placement_timer_{};
  bool hanging_up_ = false;
  bool stopped_ = false;
  MediaTotals ended_;                                // final counters of the streams that ended
  std::map<std::uint16_t, std::uint32_t> failures_;  // by final status; 0: never sent
};

// One snapshot summed over every loop; nullopt when a loop did not answer in time.
std::optional<Snapshot> snapshot_all(const std::vector<std::unique_ptr<Worker>>& workers) {
  std::vector<std::future<Snapshot>> futures;
  futures.reserve(workers.size());
  for (const auto& worker : workers) futures.push_back(worker->snapshot());
  Snapshot total;
  for (auto& future : futures) {
    if (future.wait_for(kSnapshotBound) != std::future_status::ready) return std::nullopt;
    const Snapshot one = future.get();
    total.media += one.media;
    total.live += one.live;
    total.clock += one.clock;
  }
  return total;
}

std::string clock_json(const media::MediaClockStats& clock) {
  return fmt::format(
      R"({{"ticks": {}, "skipped": {}, "late_over_5ms": {}, "p50_ms": {:.3f}, "p99_ms": {:.3f}, "max_ms": {:.3f}}})",
      clock.ticks, clock.skipped, clock.late_over_5ms, as_ms(clock.lateness_percentile(50)),
      as_ms(clock.lateness_percentile(99)), as_ms(clock.max_lateness));
}

std::string media_json(const MediaTotals& media) {
  return fmt::format(R"("streams": {}, "packets_sent": {}, "packets_received": {}, "lost": {}, "loss_ratio": {:.6f}, )"
                     R"("concealed": {}, "peer_reported_lost": {})",
                     media.streams, media.packets_sent, media.packets_received, media.lost, media.loss_ratio(),
                     media.concealed, media.peer_reported_lost);
}

std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace

int run_media_load(const MediaLoadOptions& options, const Logger& log, std::ostream& out, std::ostream& progress_out) {
  if (options.calls == 0 || !(options.rate > 0) || options.threads == 0 || options.threads > 64) {
    log.error("--calls and --rate must be positive, --threads 1-64");
    return 2;
  }
  auto config = options.config_path.empty() ? parse_config("") : load_config_file(options.config_path);
  if (!config) {
    log.error("configuration: {}", config.error().message);
    return 2;
  }
  config->sip.listen = {ListenSpec{sip::TransportKind::Udp, options.bind, 0}};
  config->media.address = options.bind;
  auto stack_config = make_sip_stack_config(*config);
  auto local_media = make_local_media(config->media);
  if (!stack_config || !local_media) {
    log.error("configuration: {}", (!stack_config ? stack_config.error() : local_media.error()).message);
    return 2;
  }

  const SystemClock clock;
  Progress progress;
  std::vector<std::unique_ptr<Worker>> workers;
  try {
    const auto slices =
        media::RtpPortPool::split(config->media.rtp_port_min, config->media.rtp_port_max, options.threads);
    for (std::size_t i = 0; i < options.threads; ++i) {
      workers.push_back(std::make_unique<Worker>(i, options.threads, options, *config, *stack_config, *local_media,
                                                 slices[i], clock, progress, log));
      if (auto started = workers.back()->start(); !started) {
        log.error("cannot start: {}", started.error().message);
        return 2;
      }
    }
  } catch (const std::exception& e) {
    log.error("configuration: media: {}", e.what());
    return 2;
  }

  const double ramp_seconds = options.calls / options.rate;
  const auto ramp = std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(ramp_seconds));
  const Clock::Duration total_bound = options.timeout_s > 0
                                          ? Clock::Duration(seconds(options.timeout_s))
                                          : ramp + milliseconds(options.hold_ms) + Clock::Duration(seconds(60));
  const Clock::TimePoint started = clock.now();
  const Clock::TimePoint deadline = started + total_bound;
  for (const auto& worker : workers) worker->begin(started);

  // Ramp: every call answered or failed.
  bool timed_out = false;
  const Clock::TimePoint ramp_deadline = std::min(deadline, started + ramp + kAnswerGrace);
  while (progress.answered.load() + progress.failed.load() < options.calls) {
    if (clock.now() >= ramp_deadline) {
      timed_out = true;
      log.warn("{} of {} calls answered, {} failed when the ramp's time was up", progress.answered.load(),
               options.calls, progress.failed.load());
      break;
    }
    std::this_thread::sleep_for(kPoll);
  }
  const Clock::TimePoint ramp_end = clock.now();

  // Hold: the measurement window.
  std::optional<Snapshot> window_start;
  std::optional<Snapshot> window_end;
  Clock::TimePoint window_opened{};
  Clock::TimePoint window_closed{};
  if (!timed_out && progress.answered.load() > 0) {
    window_start = snapshot_all(workers);
    window_opened = clock.now();
    if (window_start) {
      progress_out << "media-load: hold-start streams=" << window_start->live << std::endl;
      std::this_thread::sleep_until(std::min(window_opened + milliseconds(options.hold_ms), deadline));
      window_end = snapshot_all(workers);
      window_closed = clock.now();
      progress_out << "media-load: hold-end" << std::endl;
    }
    if (!window_start || !window_end) {
      timed_out = true;
      log.warn("a worker loop did not report its stats within {} s", kSnapshotBound.count());
    }
  }

  // Hang up, bounded.
  for (const auto& worker : workers) worker->hang_up_all();
  const Clock::TimePoint hangup_deadline = clock.now() + kHangupBound;
  while (progress.ended.load() + progress.failed.load() < progress.placed.load() && clock.now() < hangup_deadline) {
    std::this_thread::sleep_for(kPoll);
  }
  const std::uint32_t unfinished = progress.placed.load() - progress.ended.load() - progress.failed.load();
  for (const auto& worker : workers) worker->stop();

  Snapshot run;
  std::map<std::uint16_t, std::uint32_t> failures;
  for (const auto& worker : workers) {
    const Snapshot one = worker->final_snapshot();
    run.media += one.media;
    run.clock += one.clock;
    for (const auto& [status, count] : worker->failures()) failures[status] += count;
  }
  std::string failed_by_status;
  for (const auto& [status, count] : failures) {
    failed_by_status += fmt::format("{}\"{}\": {}", failed_by_status.empty() ? "" : ", ", status, count);
  }

  std::string window = "null";
  if (window_start && window_end) {
    const MediaTotals media = window_end->media.since(window_start->media);
    window = fmt::format(R"({{"seconds": {:.3f}, "streams_at_start": {}, "streams_at_end": {}, {}, "clock": {}}})",
                         std::chrono::duration<double>(window_closed - window_opened).count(), window_start->live,
                         window_end->live, media_json(media), clock_json(window_end->clock.since(window_start->clock)));
  }
  const std::uint32_t answered = progress.answered.load();
  const std::uint32_t ended_early = progress.ended_early.load();
  const std::uint32_t media_failed = progress.media_failed.load();
  out << fmt::format(
             R"({{"target": {}, "calls": {}, "rate": {}, "threads": {}, "hold_ms": {}, "answered": {}, )"
             R"("failed": {}, "failed_by_status": {{{}}}, "media_failed": {}, "ended_early": {}, "unfinished": {}, )"
             R"("timed_out": {}, "ramp_s": {:.3f}, "window": {}, "run": {{{}, "clock": {}}}}})",
             json_string(options.target), options.calls, options.rate, options.threads, options.hold_ms, answered,
             progress.failed.load(), failed_by_status, media_failed, ended_early, unfinished,
             timed_out ? "true" : "false", std::chrono::duration<double>(ramp_end - started).count(), window,
             media_json(run.media), clock_json(run.clock))
      << std::endl;
  const bool clean = !timed_out && answered == options.calls && ended_early == 0 && media_failed == 0;
  return clean ? 0 : 1;
}

}  // namespace voxgate::app
