#include "sip/dialog/dialog_response.hpp"

#include <fmt/format.h>

#include "sip/dialog/capabilities.hpp"

namespace voxgate::sip {

MessageBuilder make_dialog_response(const Message& request, std::uint16_t status, std::string_view to_tag,
                                    std::string_view contact_uri, std::string_view reason) {
  MessageBuilder response = make_response(request, status, reason, to_tag);
  for (const HeaderField& f : request.fields()) {
    if (f.id == HeaderId::RecordRoute) response.header(HeaderId::RecordRoute, request.value(f));
  }
  response.header(HeaderId::Contact, fmt::format("<{}>", contact_uri));
  // What the peer may send in the dialog (§20.5): UPDATE (RFC 3311 §5.1)
  // and INFO are used only when listed.
  response.header(HeaderId::Allow, kAllowHeader);
  return response;
}

}  // namespace voxgate::sip
