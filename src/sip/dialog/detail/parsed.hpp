#pragma once
// Turning the message layer's typed-parse errors into Result errors.

#include <string>
#include <utility>

#include "base/result.hpp"
#include "sip/message/message.hpp"

namespace voxgate::sip::dialog_detail {

template <class T>
Result<T> checked(Parsed<T> parsed) {
  if (!parsed) return make_error(Errc::InvalidArgument, "{}", parsed.error().reason);
  return std::move(*parsed);
}

// The URI of the first Contact of `message`; NotFound when there is none or
// it is "*".
Result<std::string> first_contact_uri(const Message& message);

}  // namespace voxgate::sip::dialog_detail
