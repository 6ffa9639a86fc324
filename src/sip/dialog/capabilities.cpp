#include "sip/dialog/capabilities.hpp"

namespace voxgate::sip {

std::string supported_header_value() {
  std::string value;
  for (std::string_view tag : kSupportedOptionTags) {
    if (!value.empty()) value += ", ";
    value += tag;
  }
  return value;
}

}  // namespace voxgate::sip
