#include "sip/message/product.hpp"

#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/scanner.hpp"

namespace voxgate::sip {

namespace {

// comment = LPAREN *(ctext / quoted-pair / comment) RPAREN, nesting allowed.
bool take_comment(detail::Scanner& in, std::string_view& content) {
  if (!in.consume('(')) return false;
  const std::size_t start = in.pos();
  int depth = 1;
  while (!in.at_end()) {
    const char c = in.peek();
    if (c == '\\') {
      in.advance(2);
      continue;
    }
    in.advance();
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) {
      content = in.text().substr(start, in.pos() - 1 - start);
      return true;
    }
  }
  return false;
}

}  // namespace

Parsed<ProductList> parse_product_list(std::string_view value) {
  detail::Scanner in(value);
  ProductList out;
  in.skip_ws();
  while (!in.at_end()) {
    ProductToken item;
    if (in.peek() == '(') {
      if (!take_comment(in, item.comment)) return syntax_error("bad product list: unterminated comment");
    } else {
      item.name = in.take_token();
      if (item.name.empty()) return syntax_error("bad product list: unexpected " + detail::describe_char(in.peek()));
      if (in.consume_separator('/')) item.version = in.take_token();
    }
    out.push_back(item);
    in.skip_ws();
  }
  if (out.empty()) return syntax_error("bad product list: empty");
  return out;
}

}  // namespace voxgate::sip
