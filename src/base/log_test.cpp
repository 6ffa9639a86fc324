#include "base/log.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace voxgate {
namespace {

struct CapturedLogger {
  std::ostringstream out;
  Logger logger;

  explicit CapturedLogger(LogLevel level) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    auto l = std::make_shared<spdlog::logger>("test", sink);
    l->set_pattern("%l %v");
    l->set_level(level == LogLevel::Debug ? spdlog::level::debug : spdlog::level::info);
    logger = Logger(l);
  }
};

TEST(Logger, StampsContextFieldsOnEveryLine) {
  CapturedLogger c(LogLevel::Info);
  auto call = c.logger.with("session", "s-1").with("call_id", "abc@host");
  call.info("answered with {}", 200);
  EXPECT_EQ(c.out.str(), "info answered with 200 session=s-1 call_id=abc@host\n");
}

TEST(Logger, QuotesContextValuesThatWouldBreakSplitting) {
  CapturedLogger c(LogLevel::Info);
  c.logger.with("reason", "Busy \"Here\"").warn("ended");
  EXPECT_EQ(c.out.str(), "warning ended reason=\"Busy \\\"Here\\\"\"\n");
}

TEST(Logger, SkipsFormattingBelowLevel) {
  CapturedLogger c(LogLevel::Info);
  EXPECT_FALSE(c.logger.enabled(LogLevel::Debug));
  c.logger.debug("hidden {}", 1);
  EXPECT_EQ(c.out.str(), "");
}

TEST(Logger, DefaultLoggerDiscards) {
  Logger quiet;
  EXPECT_FALSE(quiet.enabled(LogLevel::Critical));
  quiet.error("nothing happens");
}

TEST(LogLevel, ParsesNamesCaseInsensitively) {
  EXPECT_EQ(parse_log_level("DEBUG"), LogLevel::Debug);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::Warn);
  EXPECT_EQ(parse_log_level("loud"), std::nullopt);
  EXPECT_EQ(to_string(LogLevel::Error), "error");
}

}  // namespace
}  // namespace voxgate
