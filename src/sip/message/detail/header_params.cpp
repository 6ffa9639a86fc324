#include "sip/message/detail/header_params.hpp"

namespace voxgate::sip::detail {

std::optional<std::string> parse_header_params(Scanner& in, Params& out) {
  while (in.consume_separator(';')) {
    Param p;
    p.name = in.take_token();
    if (p.name.empty()) return std::string("empty parameter name");
    if (in.consume_separator('=')) {
      p.has_value = true;
      if (in.peek() == '"') {
        bool ok = false;
        p.value = in.take_quoted(ok);
        if (!ok) return "unterminated quoted string in parameter " + std::string(p.name);
        p.quoted = true;
      } else {
        p.value = in.take_while(kGenValue);
        if (p.value.empty()) return "empty value for parameter " + std::string(p.name);
      }
    }
    out.push_back(p);
  }
  return std::nullopt;
}

std::string unquote(std::string_view quoted_content) {
  std::string out;
  out.reserve(quoted_content.size());
  for (std::size_t i = 0; i < quoted_content.size(); ++i) {
    if (quoted_content[i] == '\\' && i + 1 < quoted_content.size()) ++i;
    out += quoted_content[i];
  }
  return out;
}

}  // namespace voxgate::sip::detail
