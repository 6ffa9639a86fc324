#include "api/bot_metrics.hpp"

#include <gtest/gtest.h>

namespace voxgate::api {
namespace {

JournalEntry entry(std::string type, std::string json) {
  JournalEntry out;
  out.type = std::move(type);
  out.json = std::move(json);
  return out;
}

std::string rendered(const BotMetrics& metrics) {
  PrometheusText text;
  metrics.render(text);
  return text.str();
}

TEST(BotMetricsTest, TurnLatencyGoesIntoOneHistogramPerStage) {
  BotMetrics metrics;
  metrics.on_entry(entry("bot.turn", R"({"seq":1,"type":"bot.turn","session":{},"input":"speech",)"
                                     R"("endpoint_ms":500.0,"stt_ms":12.5,"agent_ms":3.0,"tts_ms":40.0,)"
                                     R"("queue_ms":8.0,"gateway_ms":63.5,"response_ms":566.5})"));
  metrics.on_entry(entry("bot.turn", R"({"type":"bot.turn","input":"dtmf","endpoint_ms":0,"stt_ms":0,)"
                                     R"("agent_ms":1,"tts_ms":30,"queue_ms":5,"gateway_ms":36,"response_ms":36})"));
  const std::string text = rendered(metrics);
  EXPECT_NE(text.find(R"(voxgate_bot_turns_total{input="speech"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(voxgate_bot_turns_total{input="dtmf"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(voxgate_bot_turn_seconds_count{stage="response"} 2)"), std::string::npos) << text;
  // 566.5 ms lands above the 0.5 s bound, 36 ms under 0.05 s.
  EXPECT_NE(text.find(R"(voxgate_bot_turn_seconds_bucket{stage="response",le="0.5"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(voxgate_bot_turn_seconds_bucket{stage="gateway",le="0.05"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(voxgate_app_events_total{type="bot.turn"} 2)"), std::string::npos) << text;
}

TEST(BotMetricsTest, EveryBotAndStreamEventIsCountedByTypeAndOthersAreNot) {
  BotMetrics metrics;
  metrics.on_entry(entry("bot.barge_in", "{}"));
  metrics.on_entry(entry("bot.barge_in", "{}"));
  metrics.on_entry(entry("stream.disconnected", "{}"));
  metrics.on_entry(entry("session.created", "{}"));
  metrics.on_entry(entry("bot.turn", "not json"));  // counted, not measured
  const std::string text = rendered(metrics);
  EXPECT_NE(text.find(R"(voxgate_app_events_total{type="bot.barge_in"} 2)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(voxgate_app_events_total{type="stream.disconnected"} 1)"), std::string::npos) << text;
  EXPECT_EQ(text.find("session.created"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(voxgate_bot_turn_seconds_count{stage="response"} 0)"), std::string::npos) << text;
}

}  // namespace
}  // namespace voxgate::api
