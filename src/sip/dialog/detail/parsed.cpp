#include "sip/dialog/detail/parsed.hpp"

namespace voxgate::sip::dialog_detail {

Result<std::string> first_contact_uri(const Message& message) {
  auto contact = message.find<HeaderId::Contact>();
  if (!contact) return make_error(Errc::InvalidArgument, "{}", contact.error().reason);
  if (!*contact || (*contact)->star) return make_error(Errc::NotFound, "Missing Contact header");
  return std::string((*contact)->address.uri.text);
}

}  // namespace voxgate::sip::dialog_detail
