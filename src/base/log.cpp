#include "base/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "base/ascii.hpp"

namespace voxgate {

namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Trace: return spdlog::level::trace;
    case LogLevel::Debug: return spdlog::level::debug;
    case LogLevel::Info: return spdlog::level::info;
    case LogLevel::Warn: return spdlog::level::warn;
    case LogLevel::Error: return spdlog::level::err;
    case LogLevel::Critical: return spdlog::level::critical;
    case LogLevel::Off: return spdlog::level::off;
  }
  return spdlog::level::off;
}

// Values with spaces or quotes are quoted so lines stay machine-splittable.
void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += ' ';
  out += key;
  out += '=';
  const bool needs_quotes = value.empty() || value.find_first_of(" \t\"=") != std::string_view::npos;
  if (!needs_quotes) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
  constexpr std::pair<std::string_view, LogLevel> kNames[] = {
      {"trace", LogLevel::Trace},       {"debug", LogLevel::Debug},  {"info", LogLevel::Info},
      {"warn", LogLevel::Warn},         {"warning", LogLevel::Warn}, {"error", LogLevel::Error},
      {"critical", LogLevel::Critical}, {"off", LogLevel::Off},
  };
  for (const auto& [name, level] : kNames) {
    if (ascii::iequals(name, text)) return level;
  }
  return std::nullopt;
}

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Trace: return "trace";
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
    case LogLevel::Critical: return "critical";
    case LogLevel::Off: return "off";
  }
  return "off";
}

Logger::Logger() = default;

Logger::Logger(std::shared_ptr<spdlog::logger> sink) : sink_(std::move(sink)) {}

Logger Logger::with(std::string_view key, std::string_view value) const {
  Logger child = *this;
  append_field(child.context_, key, value);
  return child;
}

bool Logger::enabled(LogLevel level) const noexcept {
  return sink_ && sink_->should_log(to_spdlog(level));
}

void Logger::write(LogLevel level, std::string_view message) const {
  if (context_.empty()) {
    sink_->log(to_spdlog(level), message);
  } else {
    sink_->log(to_spdlog(level), "{}{}", message, context_);
  }
}

Logger make_stderr_logger(std::string name, LogLevel level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(std::move(name), std::move(sink));
  logger->set_level(to_spdlog(level));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [%n] %v");
  return Logger(std::move(logger));
}

}  // namespace voxgate
