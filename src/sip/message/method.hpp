#pragma once
// SIP methods (RFC 3261 §7.1 and extensions). Method names are case-sensitive;
// anything else that is a token is an extension method, kept as text.

#include <cstdint>
#include <string_view>

namespace voxgate::sip {

enum class Method : std::uint8_t {
  Invite,
  Ack,
  Bye,
  Cancel,
  Options,
  Register,
  Prack,      // RFC 3262
  Subscribe,  // RFC 6665
  Notify,     // RFC 6665
  Publish,    // RFC 3903
  Info,       // RFC 6086
  Refer,      // RFC 3515
  Message,    // RFC 3428
  Update,     // RFC 3311
  Extension,  // any other token; the text is on the message
};

// The method named by `token` (exact, case-sensitive match), or Extension.
Method method_from_token(std::string_view token) noexcept;
// The canonical name; "" for Extension.
std::string_view to_string(Method method) noexcept;

}  // namespace voxgate::sip
