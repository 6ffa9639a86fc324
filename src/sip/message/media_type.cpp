#include "sip/message/media_type.hpp"

#include <string>

#include "base/ascii.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/header_params.hpp"
#include "sip/message/detail/scanner.hpp"

namespace voxgate::sip {

bool MediaType::matches(std::string_view type_name, std::string_view subtype_name) const noexcept {
  return (type == "*" || ascii::iequals(type, type_name)) && (subtype == "*" || ascii::iequals(subtype, subtype_name));
}

bool MediaType::is(std::string_view type_name, std::string_view subtype_name) const noexcept {
  return ascii::iequals(type, type_name) && ascii::iequals(subtype, subtype_name);
}

Parsed<MediaType> parse_media_type(std::string_view value) {
  detail::Scanner in(value);
  MediaType out;
  in.skip_ws();
  out.type = in.take_token();
  if (out.type.empty() || !in.consume_separator('/')) return syntax_error("bad media type: missing type");
  out.subtype = in.take_token();
  if (out.subtype.empty()) return syntax_error("bad media type: missing subtype");
  if (auto err = detail::parse_header_params(in, out.params)) return syntax_error("bad media type: " + *err);
  in.skip_ws();
  if (!in.at_end()) return syntax_error("bad media type: unexpected " + detail::describe_char(in.peek()));
  return out;
}

}  // namespace voxgate::sip
