#pragma once
// Logging facade over spdlog. A Logger is a value: main() builds the root one
// and hands copies down; with() derives a logger that stamps context fields
// (session id, Call-ID, ...) on every line. There is no global logger.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace spdlog {
class logger;
}

namespace voxgate {

enum class LogLevel { Trace, Debug, Info, Warn, Error, Critical, Off };

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;
std::string_view to_string(LogLevel level) noexcept;

class Logger {
 public:
  // A logger that discards everything; the default for components under test.
  Logger();
  explicit Logger(std::shared_ptr<spdlog::logger> sink);

  // A logger writing to `sink` with an extra `key=value` context field.
  [[nodiscard]] Logger with(std::string_view key, std::string_view value) const;

  [[nodiscard]] bool enabled(LogLevel level) const noexcept;
  [[nodiscard]] const std::string& context() const noexcept { return context_; }

  template <class... Args>
  void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const {
    if (!enabled(level)) return;
    write(level, fmt::format(format, std::forward<Args>(args)...));
  }
  template <class... Args>
  void trace(fmt::format_string<Args...> f, Args&&... a) const {
    log(LogLevel::Trace, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void debug(fmt::format_string<Args...> f, Args&&... a) const {
    log(LogLevel::Debug, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void info(fmt::format_string<Args...> f, Args&&... a) const {
    log(LogLevel::Info, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void warn(fmt::format_string<Args...> f, Args&&... a) const {
    log(LogLevel::Warn, f, std::forward<Args>(a)...);
  }
  template <class... Args>
  void error(fmt::format_string<Args...> f, Args&&... a) const {
    log(LogLevel::Error, f, std::forward<Args>(a)...);
  }

 private:
  void write(LogLevel level, std::string_view message) const;

  std::shared_ptr<spdlog::logger> sink_;
  std::string context_;  // " key=value key2=value2", appended to each line
};

// The process logger main() builds: text lines on stderr.
Logger make_stderr_logger(std::string name, LogLevel level);

}  // namespace voxgate
