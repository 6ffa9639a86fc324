#include "sip/message/params.hpp"

#include "base/ascii.hpp"

namespace voxgate::sip {

const Param* Params::find(std::string_view name) const noexcept {
  for (const Param& p : items_) {
    if (ascii::iequals(p.name, name)) return &p;
  }
  return nullptr;
}

std::optional<std::string_view> Params::get(std::string_view name) const noexcept {
  const Param* p = find(name);
  if (p == nullptr) return std::nullopt;
  return p->value;
}

}  // namespace voxgate::sip
