#pragma once
// `voxgate serve`'s control plane, wired: the event journal the sessions
// report to, the CDR writer, the call metrics, the webhook dispatcher, the
// API and its HTTP server, all on one io_context of their own (the "api"
// thread), so API load never runs on a SIP worker loop.
//
//   auto plane = ControlPlane::create(deps, config, log);  // before the managers
//   RoutingCallPolicy policy(..., plane->control(), plane->io(), ...);
//   ... managers (deps.managers filled), SipStack ...
//   manager.report_events_to(plane->journal());
//   plane->start(stack);                     // binds the API, starts the thread
//   ...
//   plane.stop_api();                        // before the worker loops stop
//   plane.finish();                          // after they stopped: CDRs flushed

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "api/api_server.hpp"
#include "api/bot_metrics.hpp"
#include "api/call_metrics.hpp"
#include "api/cdr/cdr_writer.hpp"
#include "api/cdr_recorder.hpp"
#include "api/event_journal.hpp"
#include "api/webhooks/webhook_dispatcher.hpp"
#include "app/config.hpp"
#include "app/loop_session_control.hpp"
#include "app/sip_stack.hpp"
#include "net/http/http_server.hpp"
#include "runtime/event_loop.hpp"
#include "session/session_limits.hpp"

namespace voxgate::app {

struct ControlPlaneDeps {
  const Clock& clock;
  session::SessionRegistry& registry;
  session::SessionLimits& limits;
  runtime::LoopPool& workers;
  // managers[i] on workers.loop(i); filled before start(), outlives the plane.
  const std::vector<session::SessionManager*>& managers;
  std::function<bool()> ready;  // false while draining
  // Where a session's events go as webhooks (its route's target); nullopt: nowhere.
  std::function<std::optional<api::WebhookTarget>(const session::SessionRecord&)> webhook_for;
};

class ControlPlane {
 public:
  // Opens the CDR store; Io/InvalidArgument errors name the file.
  static Result<std::unique_ptr<ControlPlane>> create(ControlPlaneDeps deps, const GatewayConfig& config, Logger log);
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;
  ~ControlPlane();

  [[nodiscard]] api::EventJournal& journal() noexcept { return *journal_; }
  [[nodiscard]] api::SessionControl& control() noexcept { return *control_; }
  [[nodiscard]] boost::asio::io_context& io() noexcept { return loop_.context(); }
  // The bot's and the stream's SessionApps, for API answers (and webhook
  // decisions) with app "bot" and POST .../stream; before start().
  void set_app_factories(SessionAppFactories apps);

  // Binds the API (when configured) and starts the api thread; the bound
  // endpoint, or nullopt without an API. `stack` (its Contact, its
  // counters for /metrics) outlives the plane's API.
  Result<std::optional<boost::asio::ip::tcp::endpoint>> start(SipStack& stack);
  // Closes the API; waits for the api thread to have done it. Before the
  // worker loops stop (/metrics asks them for their counters).
  void stop_api();
  // After the worker loops stopped: every CDR on disk, the thread gone.
  void finish();

  [[nodiscard]] std::optional<api::CdrWriterStats> cdr_stats() const;
  [[nodiscard]] std::string metrics();

 private:
  ControlPlane(ControlPlaneDeps deps, const GatewayConfig& config, Logger log);

  ControlPlaneDeps deps_;
  SipStack* stack_ = nullptr;
  ApiConfig api_config_;
  Logger log_;
  runtime::EventLoop loop_{"api"};
  std::unique_ptr<api::CdrWriter> cdrs_;
  std::unique_ptr<api::CdrRecorder> recorder_;
  api::CallMetrics call_metrics_;
  api::BotMetrics bot_metrics_;
  std::unique_ptr<api::WebhookDispatcher> webhooks_;
  // session.created of sessions without a webhook target yet (journal lock).
  std::unordered_map<session::SessionId, std::string> unrouted_created_;
  std::unique_ptr<LoopSessionControl> control_;
  std::unique_ptr<api::ApiServer> api_;
  // What the journal's notify (worker threads) wakes; set once, at start().
  std::atomic<api::ApiServer*> api_for_journal_{nullptr};
  std::unique_ptr<net::HttpServer> http_;
  std::unique_ptr<api::EventJournal> journal_;  // last: its wake may run any of the above
  bool running_ = false;
};

}  // namespace voxgate::app
