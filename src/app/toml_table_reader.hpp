#pragma once
// Reading one TOML table of the configuration: typed getters that name the
// key path in their errors ("media.ptime_ms: must be between 10 and 120"),
// and finish(), which refuses every key nobody read (a typo must not be
// silently ignored). Shared by config.cpp and bot_config.cpp.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "base/result.hpp"

namespace voxgate::app {

class TableReader {
 public:
  TableReader(const toml::table* table, std::string path) : table_(table), path_(std::move(path)) {}

  [[nodiscard]] std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }

  template <class Int>
  Result<void> integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
    const toml::node* node = take(key);
    if (node == nullptr) return {};
    const auto value = node->value_exact<std::int64_t>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be an integer", key_path(key));
    if (*value < min || *value > max) {
      return make_error(Errc::InvalidArgument, "{}: must be between {} and {} (got {})", key_path(key), min, max,
                        *value);
    }
    out = static_cast<Int>(*value);
    return {};
  }

  Result<void> milliseconds(std::string_view key, std::chrono::milliseconds& out, std::int64_t min, std::int64_t max) {
    std::int64_t ms = out.count();
    if (auto r = integer(key, ms, min, max); !r) return r;
    out = std::chrono::milliseconds(ms);
    return {};
  }

  Result<void> number(std::string_view key, double& out, double min, double max) {
    const toml::node* node = take(key);
    if (node == nullptr) return {};
    const auto value = node->value<double>();  // accepts integers too
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be a number", key_path(key));
    if (*value < min || *value > max) {
      return make_error(Errc::InvalidArgument, "{}: must be between {} and {} (got {})", key_path(key), min, max,
                        *value);
    }
    out = *value;
    return {};
  }

  Result<void> boolean(std::string_view key, bool& out) {
    const toml::node* node = take(key);
    if (node == nullptr) return {};
    const auto value = node->value_exact<bool>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be true or false", key_path(key));
    out = *value;
    return {};
  }

  Result<void> string(std::string_view key, std::string& out) {
    const toml::node* node = take(key);
    if (node == nullptr) return {};
    const auto value = node->value_exact<std::string>();
    if (!value) return make_error(Errc::InvalidArgument, "{}: must be a string", key_path(key));
    out = *value;
    return {};
  }

  // `out` is set only when the key is present (an empty array included).
  Result<void> strings(std::string_view key, std::optional<std::vector<std::string>>& out) {
    const toml::node* node = take(key);
    if (node == nullptr) return {};
    const toml::array* array = node->as_array();
    if (array == nullptr) return make_error(Errc::InvalidArgument, "{}: must be an array of strings", key_path(key));
    std::vector<std::string> values;
    for (const toml::node& element : *array) {
      const auto value = element.value_exact<std::string>();
      if (!value) return make_error(Errc::InvalidArgument, "{}: must be an array of strings", key_path(key));
      values.push_back(*value);
    }
    out = std::move(values);
    return {};
  }

  // A table of strings (`parameters = { tenant = "acme" }`); `out` is left
  // as it is when the key is absent.
  Result<void> string_table(std::string_view key, std::map<std::string, std::string>& out) {
    const toml::node* node = take(key);
    if (node == nullptr) return {};
    const toml::table* table = node->as_table();
    if (table == nullptr) return make_error(Errc::InvalidArgument, "{}: must be a table of strings", key_path(key));
    std::map<std::string, std::string> values;
    for (const auto& [name, value] : *table) {
      const auto text = value.value_exact<std::string>();
      if (!text) return make_error(Errc::InvalidArgument, "{}.{}: must be a string", key_path(key), name.str());
      values.emplace(std::string(name.str()), *text);
    }
    out = std::move(values);
    return {};
  }

  // A sub-table; a reader over nothing when absent.
  Result<TableReader> table(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) return TableReader(nullptr, key_path(key));
    if (!node->is_table()) return make_error(Errc::InvalidArgument, "{}: must be a table", key_path(key));
    return TableReader(node->as_table(), key_path(key));
  }

  // A node for a reader of its own (the [[routes]] array); nullptr when absent.
  const toml::node* node(std::string_view key) { return take(key); }

  // Every key not consumed is a mistake (a typo or a setting we don't have).
  [[nodiscard]] Result<void> finish() const {
    if (table_ == nullptr) return {};
    for (const auto& [key, node] : *table_) {
      if (!consumed_.contains(std::string(key.str()))) {
        return make_error(Errc::InvalidArgument, "{}: unknown setting", key_path(key.str()));
      }
    }
    return {};
  }

 private:
  const toml::node* take(std::string_view key) {
    if (table_ == nullptr) return nullptr;
    consumed_.emplace(key);
    return table_->get(key);
  }

  const toml::table* table_;
  std::string path_;
  std::set<std::string, std::less<>> consumed_;
};

// Returns the error of a Result<void> expression from the enclosing function.
#define VOXGATE_TRY(expr)                \
  do {                                   \
    if (auto r_ = (expr); !r_) {         \
      return tl::unexpected(r_.error()); \
    }                                    \
  } while (false)

}  // namespace voxgate::app
