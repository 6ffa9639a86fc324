#pragma once
// Writing back addresses and URIs the dialog keeps (RFC 3261 §12.1): the
// parsed values are views into a message the dialog does not keep.

#include <string>

#include "sip/message/name_addr.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip::dialog_detail {

// "display <uri>;params" without the tag parameter: the local or remote URI
// of a dialog, to which the dialog adds its own tag (§12.2.1.1).
std::string address_without_tag(const NameAddr& address);

// The URI as a Request-URI may carry it: without the method parameter and the
// headers component, which §19.1.1's table forbids there (§12.2.1.1, strict
// routing puts a Route URI in the Request-URI).
std::string request_uri_form(const Uri& uri);

}  // namespace voxgate::sip::dialog_detail
