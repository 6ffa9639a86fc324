#pragma once
// Test fixture: two complete SIP endpoints with sessions, media and a
// registry each (the gateway "a" and a peer "b"), over real UDP sockets on
// 127.0.0.1, on one worker loop run by its own thread. Tests act on the
// loop with on_loop() and wait for outcomes with eventually().

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "media/rtp/rtp_port_pool.hpp"
#include "media/stream/media_loop.hpp"
#include "runtime/loop_pool.hpp"
#include "runtime/timer_loop.hpp"
#include "sdp/session_id_source.hpp"
#include "session/incoming_call.hpp"
#include "session/registry/in_memory_session_registry.hpp"
#include "session/session_manager.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/dialog/identifiers.hpp"
#include "sip/transport/transport_layer.hpp"
#include "support/free_ports.hpp"

namespace voxgate::session::test {

// Everything an app heard, as text ("started", "digit 5", "ended ...") plus
// the caller's audio frames; read on the loop.
struct AppLog {
  std::vector<std::string> events;
  std::size_t pcm_frames = 0;
  std::size_t loud_frames = 0;  // frames with a peak above 1000
  std::string digits;
  std::optional<EndInfo> end;
};

class RecordingApp final : public SessionApp {
 public:
  using Action = std::function<void(Session&)>;
  RecordingApp(std::shared_ptr<AppLog> log, bool wants_audio, Action on_started = {})
      : log_(std::move(log)), wants_audio_(wants_audio), on_started_(std::move(on_started)) {}

  [[nodiscard]] bool wants_audio() const noexcept override { return wants_audio_; }
  void on_call_started(const CallStarted& /*event*/, Session& session) override {
    log_->events.emplace_back("started");
    if (on_started_) on_started_(session);
  }
  void on_pcm_received(const PcmReceived& event, Session& /*session*/) override {
    ++log_->pcm_frames;
    std::int16_t peak = 0;
    for (const auto s : event.frame) peak = std::max<std::int16_t>(peak, static_cast<std::int16_t>(std::abs(s)));
    if (peak > 1000) ++log_->loud_frames;
  }
  void on_dtmf_received(const DtmfReceived& event, Session& /*session*/) override {
    log_->digits.push_back(event.digit);
    log_->events.push_back(fmt::format("digit {} via {}", event.digit, to_string(event.via)));
  }
  TimeoutDecision on_session_timeout(const SessionTimeout& /*event*/, Session& /*session*/) override {
    log_->events.emplace_back("timeout");
    return timeout_decision;
  }
  void on_call_ended(const CallEnded& event, Session& /*session*/) override {
    log_->end = event.end;
    log_->events.emplace_back("ended");
  }

  TimeoutDecision timeout_decision = TimeoutDecision::Hangup;

 private:
  std::shared_ptr<AppLog> log_;
  bool wants_audio_;
  Action on_started_;
};

// Decides with whatever the test put in `decide`.
class ScriptedPolicy final : public IncomingCallPolicy {
 public:
  std::function<IncomingDecision(const IncomingCall&)> decide = [](const IncomingCall&) {
    return IncomingDecision::accept(nullptr);
  };
  std::vector<SessionId> offered;

  IncomingDecision on_incoming_call(const IncomingCall& call) override {
    offered.push_back(call.session);
    return decide(call);
  }
};

struct Endpoint {
  Endpoint(runtime::LoopPool& pool, const Clock& clock, SessionLimitSettings limit_settings,
           sip::SessionTimerSettings timer_settings)
      : transport(pool, clock, transport_config()),
        timers(pool.loop(0), clock),
        media(pool.loop(0).context(), timers, clock),
        ports(boost::asio::ip::make_address("127.0.0.1"), first_rtp_port_,
              static_cast<std::uint16_t>(first_rtp_port_ + 2 * kRtpPairs - 1)),
        registry(*InMemorySessionRegistry::create(clock)),
        limits(limit_settings),
        timer_settings_(timer_settings),
        manager(timers, clock, &media, &ports, *registry, limits, settings(), Logger{}, policy) {
    transport.set_handler(0, inbound);
  }

  // After the transport bound: the dialog layer needs our Contact.
  void build_layer() {
    const auto& bound = transport.listeners().front();
    contact = fmt::format("sip:voxgate@{}", bound.sent_by);
    sip::DialogLayerConfig config;
    config.contact_uri = contact;
    config.host = "127.0.0.1";
    config.session_timer = timer_settings_;
    layer = std::make_unique<sip::DialogLayer>(timers, transport.message_transport(0), manager, session_ids,
                                               std::move(config), sip::system_random_bits());
    manager.attach(*layer);
    inbound.target = &layer->inbound();
  }

  static sip::TransportConfig transport_config() {
    sip::TransportConfig config;
    sip::ListenerConfig udp;
    udp.address = sip::Address{boost::asio::ip::make_address("127.0.0.1"), 0};
    config.listeners.push_back(udp);
    return config;
  }

  SessionSettings settings() {
    SessionSettings s;
    s.media.address = "127.0.0.1";
    s.media.rtcp_mux = true;
    s.stream.media_timeout = std::chrono::milliseconds(0);
    return s;
  }

  struct Inbound final : sip::InboundMessageHandler {
    void on_message(sip::InboundMessage&& message) override {
      if (target != nullptr) target->on_message(std::move(message));
    }
    sip::InboundMessageHandler* target = nullptr;
  };

  static constexpr std::uint16_t kRtpPairs = 64;
  std::uint16_t first_rtp_port_ = voxgate::test::free_even_udp_port(kRtpPairs);
  Inbound inbound;
  sip::TransportLayer transport;
  runtime::LoopTimers timers;
  media::MediaLoop media;
  media::RtpPortPool ports;
  std::unique_ptr<InMemorySessionRegistry> registry;
  SessionLimits limits;
  sip::SessionTimerSettings timer_settings_;
  ScriptedPolicy policy;
  sdp::RandomSessionIdSource session_ids;
  SessionManager manager;
  std::unique_ptr<sip::DialogLayer> layer;  // after the manager: it calls it
  std::string contact;
};

class SessionFixture : public ::testing::Test {
 protected:
  void start(SessionLimitSettings a_limits = {}, sip::SessionTimerSettings timers = {}) {
    a_ = std::make_unique<Endpoint>(pool_, clock_, a_limits, timers);
    b_ = std::make_unique<Endpoint>(pool_, clock_, SessionLimitSettings{}, timers);
    ASSERT_TRUE(a_->transport.start());
    ASSERT_TRUE(b_->transport.start());
    a_->build_layer();
    b_->build_layer();
    pool_.start();
  }

  void TearDown() override {
    if (a_) {
      a_->transport.stop();
      b_->transport.stop();
    }
    pool_.stop();
    pool_.join();
    b_.reset();
    a_.reset();
  }

  // Runs `fn` on the loop and waits for it.
  template <class Fn>
  auto on_loop(Fn fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    pool_.loop(0).post([&task] { task(); });
    return result.get();
  }

  // Polls `condition` on the loop until it holds or `limit` passes.
  bool eventually(const std::function<bool()>& condition,
                  std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (on_loop([&] { return condition(); })) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return on_loop([&] { return condition(); });
  }

  // b calls a; returns b's session id.
  SessionId call_a(std::unique_ptr<SessionApp> app = nullptr, std::optional<std::chrono::milliseconds> timeout = {}) {
    return on_loop([&] {
      OutboundCall call;
      call.target = a_->contact;
      call.from = "Peer <sip:peer@127.0.0.1>";
      call.to = "<sip:gateway@127.0.0.1>";
      call.app = std::move(app);
      call.timeout = timeout;
      auto id = b_->manager.make_call(std::move(call));
      EXPECT_TRUE(id) << (id ? "" : id.error().message);
      return id.value_or(SessionId{});
    });
  }

  SessionRecord record(Endpoint& endpoint, SessionId id) {
    auto r = endpoint.registry->get(id);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r.value_or(SessionRecord{});
  }

  // The one session a's registry holds.
  SessionId a_session() {
    auto page = a_->registry->list(SessionFilter{});
    return page && !page->records.empty() ? page->records.back().id : SessionId{};
  }

  bool terminated(Endpoint& endpoint, SessionId id) {
    auto r = endpoint.registry->get(id);
    return r && r->state == SessionState::Terminated;
  }

  const SystemClock clock_{};
  runtime::LoopPool pool_{1};
  std::unique_ptr<Endpoint> a_;
  std::unique_ptr<Endpoint> b_;
};

}  // namespace voxgate::session::test
