// The exposition a running voxgate serves, checked by Prometheus' own linter
// (`promtool check metrics`, Debian package prometheus): it prints every
// problem (a counter without _total, a missing HELP, a non-base unit,
// invalid UTF-8) and exits non-zero. Skipped where promtool is not installed.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "api/metrics/histogram.hpp"
#include "api/metrics/prometheus_text.hpp"
#include "support/temp_dir.hpp"

namespace voxgate::api {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPromtool = "/usr/bin/promtool";

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// What GET /metrics carries, in the shape of issue 6: one family of each
// kind voxgate exports, with label values as odd as real ones get.
std::string realistic_exposition() {
  PrometheusText text;
  text.family("voxgate_sessions", "Sessions by state.", MetricType::Gauge);
  for (const char* state : {"initializing", "ringing", "connected", "terminating"}) text.sample({{"state", state}}, 3);

  text.family("voxgate_calls_started_total", "Calls started, by direction.", MetricType::Counter);
  text.sample({{"direction", "inbound"}}, 1200);
  text.sample({{"direction", "outbound"}}, 40);

  text.family("voxgate_calls_ended_total", "Calls ended, by reason and final SIP status.", MetricType::Counter);
  text.sample({{"reason", "remote_bye"}, {"status", "200"}}, 1100);
  text.sample({{"reason", "rejected"}, {"status", "486"}}, 60);
  text.sample({{"reason", "media_timeout"}, {"status", "408"}}, 2);

  text.family("voxgate_sip_messages_total", "SIP messages by direction and method, retransmissions included.",
              MetricType::Counter);
  for (const char* direction : {"in", "out"}) {
    for (const char* method : {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "other"}) {
      text.sample({{"direction", direction}, {"method", method}}, 17);
    }
  }
  text.family("voxgate_sip_responses_total", "SIP responses by direction and status code.", MetricType::Counter);
  for (const int status : {100, 180, 200, 486, 503}) {
    const std::string code = std::to_string(status);
    text.sample({{"direction", "out"}, {"status", code}}, 9);
  }

  text.family("voxgate_sip_retransmissions_total", "SIP messages sent again by a transaction timer.",
              MetricType::Counter);
  text.sample(4);
  text.family("voxgate_sip_transaction_timeouts_total", "SIP transactions that timed out (Timer B, F or H).",
              MetricType::Counter);
  text.sample({{"timer", "B"}}, 1);

  text.family("voxgate_rtp_packets_total", "RTP packets by direction.", MetricType::Counter);
  text.sample({{"direction", "in"}}, std::uint64_t{1} << 40);
  text.sample({{"direction", "out"}}, std::uint64_t{1} << 40);
  text.family("voxgate_rtp_packets_lost_total", "RTP packets lost in reception (RFC 3550 A.3).", MetricType::Counter);
  text.sample(12);
  text.family("voxgate_rtp_jitter_seconds", "Mean interarrival jitter over active streams (RFC 3550 A.8).",
              MetricType::Gauge);
  text.sample(0.0125);

  Histogram setup;
  for (const std::chrono::milliseconds latency : {3ms, 40ms, 180ms, 2000ms, 45000ms}) setup.observe(latency);
  text.family("voxgate_call_setup_seconds", "Time from INVITE received to answer sent.", MetricType::Histogram);
  text.histogram({{"direction", "inbound"}}, setup.snapshot());
  text.histogram({{"direction", "outbound"}}, Histogram().snapshot());

  text.family("voxgate_api_requests_total", "API requests by method, route and status.", MetricType::Counter);
  text.sample({{"method", "GET"}, {"route", "/v1/sessions/{id}"}, {"status", "200"}}, 31);
  text.sample({{"method", "POST"}, {"route", "/v1/calls"}, {"status", "400"}}, 2);
  Histogram api_latency;
  api_latency.observe(800us);
  text.family("voxgate_api_request_duration_seconds", "API request latency.", MetricType::Histogram);
  text.histogram({}, api_latency.snapshot());

  text.family("voxgate_webhook_deliveries_total", "Webhook deliveries by outcome.", MetricType::Counter);
  text.sample({{"outcome", "delivered"}}, 10);
  text.sample({{"outcome", "failed"}}, 1);

  // Data in label values: escapes, UTF-8, and bytes that are not UTF-8.
  text.family("voxgate_build_info", "Build and peer information, value 1.\nSecond line \\ with a backslash.",
              MetricType::Gauge);
  text.sample({{"version", "0.1.0"}, {"peer_agent", "Z \"5\" \\ \xC3\xA9\n\xFF\xFE"}}, 1);

  text.family("voxgate_cdr_write_errors_total", "CDR writes that failed (none yet: a family without samples).",
              MetricType::Counter);
  return std::move(text).str();
}

TEST(Promtool, AcceptsARealisticExpositionWithoutAnyLintProblem) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << kPromtool << " not installed (Debian package prometheus)";
  const test::TempDir dir("voxgate-metrics");
  const std::filesystem::path file = dir / "metrics.txt";
  {
    std::ofstream out(file, std::ios::binary);
    out << realistic_exposition();
    ASSERT_TRUE(out.good());
  }
  // timeout(1) bounds the test whatever promtool does.
  const CommandResult result = run(fmt::format("timeout 30 {} check metrics < '{}' 2>&1", kPromtool, file.string()));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "");
}

TEST(Promtool, RejectsWhatPrometheusTextWouldNeverWrite) {
  // Proves the check above can fail: promtool flags a counter without _total.
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << kPromtool << " not installed (Debian package prometheus)";
  const test::TempDir dir("voxgate-metrics");
  const std::filesystem::path file = dir / "metrics.txt";
  {
    std::ofstream out(file, std::ios::binary);
    out << "# HELP voxgate_calls Calls.\n# TYPE voxgate_calls counter\nvoxgate_calls 1\n";
  }
  const CommandResult result = run(fmt::format("timeout 30 {} check metrics < '{}' 2>&1", kPromtool, file.string()));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("_total"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace voxgate::api
