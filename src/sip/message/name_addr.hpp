#pragma once
// name-addr / addr-spec with header parameters: the value form of From, To,
// Contact, Route, Record-Route, Reply-To, Refer-To, Referred-By and
// P-Asserted-Identity (RFC 3261 §20.10, §25.1).

#include <optional>
#include <string>
#include <string_view>

#include "sip/message/params.hpp"
#include "sip/message/syntax_error.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip {

struct NameAddr {
  // User-provided for the reason Uri's is (uri.hpp).
  NameAddr();

  std::string_view display_name;  // quoted: the content (escaped); token form: the words
  bool display_name_quoted = false;
  bool bracketed = false;  // name-addr (<uri>) rather than a bare addr-spec
  Uri uri;
  Params params;  // header parameters after the address (tag, expires, q, ...)

  [[nodiscard]] std::optional<std::string_view> tag() const noexcept { return params.get("tag"); }
  // The display name as a person would read it: quotes removed, escapes resolved.
  [[nodiscard]] std::string display_name_text() const;
};

inline NameAddr::NameAddr() = default;

enum class AddressForm : std::uint8_t {
  Any,          // name-addr or addr-spec (From, To, Contact, Refer-To...)
  NameAddrOnly  // <uri> required (Route, Record-Route, Path: §25.1 route-param)
};

Parsed<NameAddr> parse_name_addr(std::string_view value, AddressForm form = AddressForm::Any);
// In place, into a default-constructed NameAddr (no moves of the value).
Parsed<void> parse_name_addr_into(std::string_view value, AddressForm form, NameAddr& out);

// One Contact value: "*" or an address (§20.10).
struct ContactValue {
  // User-provided for the reason Uri's is (uri.hpp).
  ContactValue();

  bool star = false;
  NameAddr address;  // empty when star

  [[nodiscard]] std::optional<std::string_view> expires() const noexcept { return address.params.get("expires"); }
  // q as thousandths (q=0.7 -> 700); nullopt when absent or malformed.
  [[nodiscard]] std::optional<int> q() const noexcept;
};

inline ContactValue::ContactValue() = default;

Parsed<ContactValue> parse_contact(std::string_view value);
Parsed<void> parse_contact_into(std::string_view value, ContactValue& out);

}  // namespace voxgate::sip
