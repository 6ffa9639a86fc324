#include "sip/message/detail/header_params.hpp"

namespace voxgate::sip::detail {

namespace {

// The loop of parse_header_params on a cursor of its own: the caller's is
// reached through a reference, and every parameter stored into `out` might
// alias it, so its position was stored and reloaded around each store
// (profiled). The caller's cursor gets the position back on every return.
std::optional<std::string> parse_params_from(Scanner& in, Params& out) {
  while (in.consume_separator(';')) {
    const std::string_view name = in.take_token();
    if (name.empty()) return std::string("empty parameter name");
    // Built in place: a local Param pushed back was zeroed, filled, stored on
    // the stack and copied (profiled).
    Param& p = out.emplace_back();
    p.name = name;
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
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_header_params(Scanner& in, Params& out) {
  Scanner local = in;
  auto result = parse_params_from(local, out);
  in = local;
  return result;
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
