#pragma once
// Parameters of URIs and header values (";name=value", ";lr"). Names compare
// case-insensitively (RFC 3261 §7.3.1); values are views into the message.

#include <optional>
#include <string_view>

#include "base/small_vector.hpp"

namespace voxgate::sip {

struct Param {
  std::string_view name;
  std::string_view value;  // without surrounding quotes; escapes left as written
  bool has_value = false;  // ";lr" has none; ";tag=" would have an empty one
  bool quoted = false;     // the value was a quoted-string
};

class Params {
 public:
  using Storage = SmallVector<Param, 6>;

  [[nodiscard]] const Param* find(std::string_view name) const noexcept;
  [[nodiscard]] bool has(std::string_view name) const noexcept { return find(name) != nullptr; }
  // The value of `name`; an empty view for a parameter without value;
  // nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept;

  void push_back(const Param& p) { items_.push_back(p); }
  // A new, empty parameter at the end, for a parser to fill in place.
  Param& emplace_back() { return items_.emplace_back(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
  [[nodiscard]] Storage::const_iterator begin() const noexcept { return items_.begin(); }
  [[nodiscard]] Storage::const_iterator end() const noexcept { return items_.end(); }
  [[nodiscard]] const Param& operator[](std::size_t i) const noexcept { return items_[i]; }

 private:
  Storage items_;
};

}  // namespace voxgate::sip
