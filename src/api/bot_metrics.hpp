#pragma once
// The voice bot's and bot streaming's numbers for /metrics, kept from the
// event journal as CallMetrics keeps the calls': each turn's latency
// breakdown (the bot.turn event: endpoint wait, STT finalise, agent first
// text, TTS first audio, queue, the gateway's own share, the whole response)
// as histograms by stage, and every application event counted by type
// (bot.barge_in, bot.agent_error, stream.disconnected, stream.overflow...).
// Turns are a few a second at most: parsing their event's JSON is cheap.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "api/event_journal.hpp"
#include "api/metrics/histogram.hpp"
#include "api/metrics/prometheus_text.hpp"

namespace voxgate::api {

class BotMetrics {
 public:
  // The stages of bot.turn, as its fields name them (without "_ms").
  static constexpr std::array<const char*, 7> kStages{"endpoint", "stt",     "agent",   "tts",
                                                      "queue",    "gateway", "response"};

  BotMetrics();

  // The journal observer: entries whose type starts with "bot." or "stream.".
  void on_entry(const JournalEntry& entry);
  // Appends the families to `text`; any thread.
  void render(PrometheusText& text) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> events_;   // by type
  std::map<std::string, std::uint64_t> turns_;    // by input: speech, dtmf
  std::array<Histogram, kStages.size()> stages_;  // seconds, by kStages
};

}  // namespace voxgate::api
