#include "api/bot_metrics.hpp"

#include <chrono>
#include <string_view>

#include <boost/json.hpp>

namespace voxgate::api {
namespace {

// Latencies of a turn: tens of ms (the gateway, a queue) to seconds (an
// agent, the response).
constexpr std::array<double, 12> kTurnBucketsSeconds{0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0};

bool app_event(std::string_view type) {
  return type.starts_with("bot.") || type.starts_with("stream.");
}

}  // namespace

BotMetrics::BotMetrics()
    : stages_{Histogram(kTurnBucketsSeconds), Histogram(kTurnBucketsSeconds), Histogram(kTurnBucketsSeconds),
              Histogram(kTurnBucketsSeconds), Histogram(kTurnBucketsSeconds), Histogram(kTurnBucketsSeconds),
              Histogram(kTurnBucketsSeconds)} {}

void BotMetrics::on_entry(const JournalEntry& entry) {
  if (!app_event(entry.type)) return;
  const std::lock_guard lock(mutex_);
  ++events_[entry.type];
  if (entry.type != "bot.turn") return;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(entry.json, ec);
  if (ec || !parsed.is_object()) return;
  const auto& fields = parsed.get_object();
  if (const auto* input = fields.if_contains("input"); input != nullptr && input->is_string()) {
    ++turns_[std::string(input->get_string())];
  }
  for (std::size_t i = 0; i < kStages.size(); ++i) {
    const auto* value = fields.if_contains(std::string(kStages[i]) + "_ms");
    if (value == nullptr || !value->is_number()) continue;
    const double ms = value->to_number<double>();
    if (ms < 0) continue;
    stages_[i].observe(std::chrono::nanoseconds(static_cast<std::int64_t>(ms * 1e6)));
  }
}

void BotMetrics::render(PrometheusText& text) const {
  const std::lock_guard lock(mutex_);
  text.family("voxgate_app_events_total", "Events of the voice bot (bot.*) and bot streaming (stream.*), by type.",
              MetricType::Counter);
  for (const auto& [type, count] : events_) text.sample({{"type", type}}, count);
  text.family("voxgate_bot_turns_total", "Voice bot turns answered, by the caller's input (speech, dtmf).",
              MetricType::Counter);
  for (const auto& [input, count] : turns_) text.sample({{"input", input}}, count);
  text.family("voxgate_bot_turn_seconds",
              "Voice bot turn latency by stage (bot.turn): endpoint wait, STT finalise, agent first text, TTS first "
              "audio, queue, the gateway's own share, and the whole response.",
              MetricType::Histogram);
  for (std::size_t i = 0; i < kStages.size(); ++i) text.histogram({{"stage", kStages[i]}}, stages_[i].snapshot());
}

}  // namespace voxgate::api
