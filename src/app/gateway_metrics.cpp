#include "app/gateway_metrics.hpp"

#include <fmt/format.h>

#include "api/json_codec.hpp"

namespace voxgate::app {
namespace {

using api::MetricType;

// One family of SIP messages in one direction, by method and by status.
void sip_messages(api::PrometheusText& text, std::string_view direction, const sip::SipMessageCounts& counts,
                  bool first) {
  if (first) {
    text.family("voxgate_sip_requests_total", "SIP requests received (in) and sent (out, retransmissions included).",
                MetricType::Counter);
  }
  for (std::size_t m = 0; m < sip::kCountedMethods; ++m) {
    const auto method = static_cast<sip::Method>(m);
    const std::uint64_t count = counts.requests[m];
    if (count == 0) continue;
    const std::string name = method == sip::Method::Extension ? "other" : std::string(sip::to_string(method));
    text.sample({{"direction", direction}, {"method", name}}, count);
  }
}

void sip_responses(api::PrometheusText& text, std::string_view direction, const sip::SipMessageCounts& counts) {
  for (std::size_t i = 0; i < sip::kCountedStatuses; ++i) {
    const std::uint64_t count = counts.responses[i];
    if (count == 0) continue;
    const std::string code = fmt::format("{}", i + sip::kLowestStatus);
    text.sample({{"direction", direction}, {"status", code}}, count);
  }
}

}  // namespace

void render_gateway_metrics(const GatewaySnapshot& snapshot, api::PrometheusText& text) {
  text.family("voxgate_sessions", "Sessions in each state now (ended ones while the registry retains them).",
              MetricType::Gauge);
  for (std::size_t i = 0; i < session::kSessionStateCount; ++i) {
    const std::string state = api::snake_case(session::to_string(static_cast<session::SessionState>(i)));
    text.sample({{"state", state}}, snapshot.registry.by_state[i]);
  }
  text.family("voxgate_sessions_created_total", "Sessions ever created.", MetricType::Counter);
  text.sample(snapshot.registry.created);
  text.family("voxgate_sessions_ended_total", "Sessions ever ended (created = active + ended).", MetricType::Counter);
  text.sample(snapshot.registry.ended);
  text.family("voxgate_sessions_active", "Sessions not yet ended.", MetricType::Gauge);
  text.sample(snapshot.registry.active);

  text.family("voxgate_calls_refused_total", "Calls refused before a session existed, by the limit that refused them.",
              MetricType::Counter);
  text.sample({{"limit", "overall"}}, snapshot.limits.refused_overall);
  text.sample({{"limit", "party"}}, snapshot.limits.refused_party);
  text.sample({{"limit", "source"}}, snapshot.limits.refused_source);
  text.sample({{"limit", "draining"}}, snapshot.limits.refused_draining);

  const sip::TransportStats& transport = snapshot.sip.transport;
  sip_messages(text, "in", transport.messages_in_by_kind, true);
  sip_messages(text, "out", transport.messages_out_by_kind, false);
  text.family("voxgate_sip_responses_total", "SIP responses received (in) and sent (out, retransmissions included).",
              MetricType::Counter);
  sip_responses(text, "in", transport.messages_in_by_kind);
  sip_responses(text, "out", transport.messages_out_by_kind);
  text.family("voxgate_sip_parse_errors_total", "SIP messages that failed to parse or validate.", MetricType::Counter);
  text.sample(transport.parse_errors);
  text.family("voxgate_sip_retransmissions_total", "SIP retransmissions sent (RFC 3261 §17 timers A, E, G).",
              MetricType::Counter);
  text.sample(snapshot.sip.transactions.retransmissions_sent);
  text.family("voxgate_sip_transaction_timeouts_total", "SIP transactions that timed out (timers B, F, H).",
              MetricType::Counter);
  text.sample(snapshot.sip.transactions.timeouts);
  text.family("voxgate_sip_calls_in_progress", "Calls the dialog layers hold (ended ones until Timer J/L).",
              MetricType::Gauge);
  text.sample(snapshot.sip.calls_in_progress);
  text.family("voxgate_session_refreshes_sent_total", "RFC 4028 session refreshes sent as the refresher.",
              MetricType::Counter);
  text.sample(snapshot.sip.dialogs.session_refreshes_sent);

  if (snapshot.cdrs) {
    text.family("voxgate_cdrs_written_total", "CDRs written to the store.", MetricType::Counter);
    text.sample(snapshot.cdrs->written);
    text.family("voxgate_cdrs_lost_total", "CDRs lost: dropped from a full queue or in a failed write.",
                MetricType::Counter);
    text.sample(snapshot.cdrs->dropped + snapshot.cdrs->write_errors);
    text.family("voxgate_cdrs_queued", "CDRs waiting to be written.", MetricType::Gauge);
    text.sample(snapshot.cdrs->queued);
  }
  if (snapshot.webhooks) {
    text.family("voxgate_webhook_deliveries_total", "Webhook events, by outcome.", MetricType::Counter);
    text.sample({{"outcome", "delivered"}}, snapshot.webhooks->delivered);
    text.sample({{"outcome", "failed"}}, snapshot.webhooks->failed);
    text.sample({{"outcome", "dropped"}}, snapshot.webhooks->dropped);
    text.family("voxgate_webhook_retries_total", "Webhook delivery attempts after an event's first.",
                MetricType::Counter);
    text.sample(snapshot.webhooks->retried);
    text.family("voxgate_webhook_queued", "Webhook events waiting for delivery.", MetricType::Gauge);
    text.sample(snapshot.webhooks->in_queue);
  }
}

}  // namespace voxgate::app
