#pragma once
// Parameters of URIs and header values (";name=value", ";lr"). Names compare
// case-insensitively (RFC 3261 §7.3.1); values are views into the message.

#include <optional>
#include <string_view>

#include "base/ascii.hpp"
#include "base/small_vector.hpp"

namespace voxgate::sip {

struct Param {
  std::string_view name;
  std::string_view value;  // without surrounding quotes; escapes left as written
  bool has_value = false;  // ";lr" has none; ";tag=" would have an empty one
  bool quoted = false;     // the value was a quoted-string
};

namespace detail {
// Parameter names equal through %HH escapes (RFC 3261 §19.1.4, RFC 4475
// §3.1.1.3 esc01: ";%6C%72" is ";lr"), case-insensitively (params.cpp).
bool param_names_match_escaped(std::string_view a, std::string_view b) noexcept;
}  // namespace detail

class Params {
 public:
  using Storage = SmallVector<Param, 6>;

  // Inline: callers look up a literal ("tag", "branch"), and the compare
  // against it compiles to constants (profiled: the call and the loop over
  // an unknown name were most of a lookup). Names match case-insensitively,
  // or through %HH escapes (detail::param_names_match_escaped, out of line).
  [[nodiscard]] const Param* find(std::string_view name) const noexcept {
    for (const Param& p : items_) {
      if (ascii::iequals(p.name, name) || detail::param_names_match_escaped(p.name, name)) return &p;
    }
    return nullptr;
  }
  [[nodiscard]] bool has(std::string_view name) const noexcept { return find(name) != nullptr; }
  // The value of `name`; an empty view for a parameter without value;
  // nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept {
    const Param* p = find(name);
    if (p == nullptr) return std::nullopt;
    return p->value;
  }

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
