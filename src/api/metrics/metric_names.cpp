#include "api/metrics/metric_names.hpp"

#include <algorithm>

#include "base/ascii.hpp"

namespace voxgate::api {

namespace {

bool is_name_start(char c, bool colon_allowed) noexcept {
  return ascii::is_alpha(c) || c == '_' || (colon_allowed && c == ':');
}

bool is_name_char(char c, bool colon_allowed) noexcept {
  return is_name_start(c, colon_allowed) || ascii::is_digit(c);
}

bool matches_grammar(std::string_view name, bool colon_allowed) noexcept {
  if (name.empty() || !is_name_start(name.front(), colon_allowed)) return false;
  const std::string_view rest = name.substr(1);
  return std::all_of(rest.begin(), rest.end(), [colon_allowed](char c) { return is_name_char(c, colon_allowed); });
}

}  // namespace

bool is_valid_metric_name(std::string_view name) noexcept {
  return matches_grammar(name, true);
}

bool is_valid_label_name(std::string_view name) noexcept {
  return matches_grammar(name, false) && !name.starts_with("__");
}

}  // namespace voxgate::api
