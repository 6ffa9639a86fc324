#pragma once
// User-Agent and Server (RFC 3261 §20.35, §20.41): products and comments.

#include <string_view>

#include "base/small_vector.hpp"

#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

struct ProductToken {
  std::string_view name;     // product token; empty for a comment
  std::string_view version;  // after '/', may be empty
  std::string_view comment;  // the text inside "( )" for a comment
};

using ProductList = SmallVector<ProductToken, 4>;

Parsed<ProductList> parse_product_list(std::string_view value);

}  // namespace voxgate::sip
