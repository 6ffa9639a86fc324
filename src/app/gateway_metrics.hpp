#pragma once
// The gateway's part of GET /metrics (the API adds its own and the call
// counters): sessions by state and the leak accounting from the registry,
// SIP messages by method and status, retransmissions and transaction
// timeouts from the SIP stack, limits, CDR writing and webhook delivery.
// Names follow the Prometheus conventions (docs/API.md lists them).

#include <optional>
#include <string>

#include "api/cdr/cdr_writer.hpp"
#include "api/metrics/prometheus_text.hpp"
#include "api/webhooks/webhook_dispatcher.hpp"
#include "app/sip_stack.hpp"
#include "session/registry/session_registry.hpp"
#include "session/session_limits.hpp"

namespace voxgate::app {

struct GatewaySnapshot {
  SipStackStats sip;
  session::RegistryCounts registry;
  session::SessionLimitCounts limits;
  std::optional<api::CdrWriterStats> cdrs;
  std::optional<api::WebhookStats> webhooks;
};

// Appends the gateway's families to `text`.
void render_gateway_metrics(const GatewaySnapshot& snapshot, api::PrometheusText& text);

}  // namespace voxgate::app
