#include "sip/dialog/capabilities.hpp"

#include <algorithm>

namespace voxgate::sip {

std::string supported_header_value() {
  std::string value;
  for (std::string_view tag : kSupportedOptionTags) {
    if (!value.empty()) value += ", ";
    value += tag;
  }
  return value;
}

bool peer_allows(const Message& message, Method method) {
  auto allow = message.get_all<HeaderId::Allow>();
  if (!allow) return false;
  const std::string_view name = to_string(method);
  return std::any_of(allow->begin(), allow->end(), [name](std::string_view listed) { return listed == name; });
}

}  // namespace voxgate::sip
