// Operations: /healthz (the process answers), /readyz (it takes calls; 503
// while draining), /metrics (Prometheus text), /v1/openapi.json.

#include <array>
#include <string>

#include <fmt/format.h>

#include "api/api_server.hpp"
#include "api/detail/exchange.hpp"
#include "api/metrics/histogram.hpp"
#include "api/metrics/prometheus_text.hpp"
#include "api/openapi_document.hpp"

namespace voxgate::api {

void ApiServer::add_ops_routes() {
  route(http::verb::get, "/healthz",
        [](const ExchangePtr& exchange) { exchange->respond_text(http::status::ok, "ok\n", "text/plain"); });
  route(http::verb::get, "/readyz", [this](const ExchangePtr& exchange) {
    const bool ready = !deps_.ready || deps_.ready();
    exchange->respond_text(ready ? http::status::ok : http::status::service_unavailable,
                           ready ? "ready\n" : "draining\n", "text/plain");
  });
  route(http::verb::get, "/metrics", [this](const ExchangePtr& exchange) {
    std::string text = deps_.metrics ? deps_.metrics() : std::string();
    text += own_metrics();
    exchange->respond_text(http::status::ok, std::move(text), kPrometheusTextContentType);
  });
  // The event stream is a WebSocket (on_websocket); a plain GET is told so.
  route(http::verb::get, "/v1/events", [](const ExchangePtr& exchange) {
    exchange->respond_text(
        http::status::upgrade_required,
        net::error_body("INVALID_ARGUMENT", "GET /v1/events is a WebSocket: send Upgrade: websocket"),
        "application/json");
  });
  route(http::verb::get, "/v1/openapi.json", [](const ExchangePtr& exchange) {
    exchange->respond_text(http::status::ok, openapi_document(), "application/json");
  });
}

std::string ApiServer::own_metrics() const {
  PrometheusText text;
  text.family("voxgate_api_requests_total", "API requests answered, by route and HTTP status.", MetricType::Counter);
  for (const auto& [key, count] : counts_.by_route_status) {
    const std::string status = fmt::format("{}", key.second);
    text.sample({{"route", key.first}, {"status", status}}, count);
  }
  text.family("voxgate_api_unauthorized_requests_total", "API requests refused for a missing or wrong token.",
              MetricType::Counter);
  text.sample(counts_.unauthorized);
  text.family("voxgate_api_request_duration_seconds", "Time from a request read to its answer queued.",
              MetricType::Histogram);
  text.histogram({}, latency_->snapshot());
  text.family("voxgate_api_event_streams", "WebSocket clients of /v1/events now.", MetricType::Gauge);
  text.sample(streams_.size());
  return std::move(text).str();
}

}  // namespace voxgate::api
