#include "app/control_plane.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <utility>

#include "api/metrics/prometheus_text.hpp"
#include "app/gateway_metrics.hpp"

namespace voxgate::app {

Result<std::unique_ptr<ControlPlane>> ControlPlane::create(ControlPlaneDeps deps, const GatewayConfig& config,
                                                           Logger log) {
  std::unique_ptr<ControlPlane> plane(new ControlPlane(std::move(deps), config, std::move(log)));
  if (!config.cdr.path.empty()) {
    auto writer = api::CdrWriter::open(config.cdr.path, plane->log_);
    if (!writer) return make_error(writer.error().code, "cdr.path: {}", writer.error().message);
    plane->cdrs_ = std::move(*writer);
    plane->recorder_ = std::make_unique<api::CdrRecorder>(*plane->cdrs_);
    plane->journal_->add_observer(
        [recorder = plane->recorder_.get()](const api::JournalEntry& entry) { recorder->on_entry(entry); });
  }
  plane->journal_->add_observer(
      [metrics = &plane->call_metrics_](const api::JournalEntry& entry) { metrics->on_entry(entry); });
  plane->journal_->add_observer(
      [metrics = &plane->bot_metrics_](const api::JournalEntry& entry) { metrics->on_entry(entry); });
  if (plane->deps_.webhook_for) {
    plane->webhooks_ = std::make_unique<api::WebhookDispatcher>(plane->loop_.context(), plane->deps_.clock);
    plane->journal_->add_observer([plane = plane.get()](const api::JournalEntry& entry) {
      if (entry.record.id.value() == 0) return;
      auto& held = plane->unrouted_created_;
      auto target = plane->deps_.webhook_for(entry.record);
      if (!target) {
        // A session is created before its route is chosen (the route lands
        // in its metadata a moment later): keep its session.created until
        // then, so the receiver sees the session from its start.
        if (entry.type == "session.created") {
          held[entry.record.id] = entry.json;
        } else if (entry.type == "session.ended" || entry.type == "session.removed") {
          held.erase(entry.record.id);
        }
        return;
      }
      if (const auto created = held.find(entry.record.id); created != held.end()) {
        plane->webhooks_->enqueue(*target, std::move(created->second));
        held.erase(created);
      }
      plane->webhooks_->enqueue(std::move(*target), entry.json);
    });
  }
  if (auto started = plane->journal_->start(); !started) return tl::unexpected(started.error());
  return plane;
}

ControlPlane::ControlPlane(ControlPlaneDeps deps, const GatewayConfig& config, Logger log)
    : deps_(std::move(deps)), api_config_(config.api), log_(std::move(log)) {
  control_ = std::make_unique<LoopSessionControl>(deps_.workers, deps_.managers, config.media, log_);
  journal_ = std::make_unique<api::EventJournal>(deps_.registry, deps_.clock, config.api.event_history, [this] {
    if (api::ApiServer* api = api_for_journal_.load(std::memory_order_acquire)) api->on_journal_appended();
  });
}

ControlPlane::~ControlPlane() {
  stop_api();
  finish();
}

void ControlPlane::set_app_factories(SessionAppFactories apps) {
  control_->set_app_factories(std::move(apps));
}

Result<std::optional<boost::asio::ip::tcp::endpoint>> ControlPlane::start(SipStack& stack) {
  stack_ = &stack;
  control_->set_default_from("<" + stack.contact_uri() + ">");
  std::optional<boost::asio::ip::tcp::endpoint> bound;
  if (!api_config_.listen.empty()) {
    auto listen = parse_api_listen(api_config_.listen);
    if (!listen) return tl::unexpected(listen.error());
    api::ApiDependencies deps{deps_.registry, *control_, *journal_, cdrs_.get(), [this] { return metrics(); },
                              deps_.ready};
    api_ =
        std::make_unique<api::ApiServer>(loop_.context(), std::move(deps), api::ApiSettings{api_config_.tokens}, log_);
    api_for_journal_.store(api_.get(), std::memory_order_release);
    net::HttpServerConfig http;
    http.address = listen->first;
    http.port = listen->second;
    http.max_body_bytes = api_config_.max_body_bytes;
    http.request_timeout = api_config_.request_timeout;
    http_ = std::make_unique<net::HttpServer>(loop_.context(), http, *api_, log_);
    auto endpoint = http_->start();
    if (!endpoint) return tl::unexpected(endpoint.error());
    bound = *endpoint;
  }
  loop_.start();
  loop_.post([nice = api_config_.nice, log = log_] {
    // Linux applies PRIO_PROCESS with a thread id to that thread only.
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) != 0) {
      log.warn("api thread: cannot set nice {}: {}", nice, std::strerror(errno));
    }
  });
  running_ = true;
  return bound;
}

void ControlPlane::stop_api() {
  if (!running_ || http_ == nullptr) return;
  std::promise<void> done;
  loop_.post([&] {
    http_->stop();
    done.set_value();
  });
  done.get_future().wait();
  http_.reset();  // stopped: nothing of it runs any more
}

void ControlPlane::finish() {
  if (running_) {
    loop_.stop();
    loop_.join();
    running_ = false;
  }
  if (cdrs_ != nullptr) cdrs_->flush();
}

std::optional<api::CdrWriterStats> ControlPlane::cdr_stats() const {
  if (cdrs_ == nullptr) return std::nullopt;
  return cdrs_->stats();
}

std::string ControlPlane::metrics() {
  GatewaySnapshot snapshot;
  if (stack_ != nullptr) snapshot.sip = stack_->stats();  // runs on every worker loop and waits
  snapshot.registry = deps_.registry.counts();
  snapshot.limits = deps_.limits.counts();
  snapshot.cdrs = cdr_stats();
  if (webhooks_ != nullptr) snapshot.webhooks = webhooks_->stats();
  api::PrometheusText text;
  render_gateway_metrics(snapshot, text);
  call_metrics_.render(text);
  bot_metrics_.render(text);
  return std::move(text).str();
}

}  // namespace voxgate::app
