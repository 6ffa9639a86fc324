#pragma once
// The response a UAS sends to create (or confirm) a dialog (RFC 3261
// §12.1.1): make_response's copy of Via, From, To (with our tag), Call-ID
// and CSeq, plus every Record-Route of the request in order, plus our
// Contact.

#include <cstdint>
#include <string_view>

#include "sip/message/builder.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip {

// `status` in 101-299; `to_tag` our tag (ignored when the request's To has
// one already, as for a re-INVITE); `contact_uri` the URI our peer reaches
// us at. It carries our Allow, so the peer knows it may send UPDATE and
// INFO in the dialog.
MessageBuilder make_dialog_response(const Message& request, std::uint16_t status, std::string_view to_tag,
                                    std::string_view contact_uri, std::string_view reason = {});

}  // namespace voxgate::sip
