#include "sip/message/header_id.hpp"

#include "sip/message/detail/header_names.hpp"

namespace voxgate::sip {

HeaderId header_id_from_name(std::string_view name) noexcept {
  return detail::header_names::classify_header_name(name);
}

std::string_view canonical_name(HeaderId id) noexcept {
  return detail::header_names::kInfo[static_cast<std::size_t>(id)].name;
}

char compact_form(HeaderId id) noexcept {
  return detail::header_names::kInfo[static_cast<std::size_t>(id)].compact;
}

}  // namespace voxgate::sip
