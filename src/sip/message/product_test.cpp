#include "sip/message/product.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

ProductList parse_products(std::string_view text) {
  auto parsed = parse_product_list(text);
  EXPECT_TRUE(parsed.has_value()) << text << " -> " << (parsed ? std::string() : parsed.error().reason);
  return parsed ? *parsed : ProductList{};
}

TEST(ProductList, ParsesProductsWithAndWithoutVersions) {
  // RFC 3261 §20.41 "Softphone Beta1.5", §20.35 "HomeServer v2".
  const ProductList p = parse_products("Softphone/Beta1.5 HomeServer v2");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "Softphone");
  EXPECT_EQ(p[0].version, "Beta1.5");
  EXPECT_TRUE(p[0].comment.empty());
  EXPECT_EQ(p[1].name, "HomeServer");
  EXPECT_TRUE(p[1].version.empty());
  EXPECT_EQ(p[2].name, "v2");
}

TEST(ProductList, ParsesCommentsBetweenProducts) {
  const ProductList p = parse_products("voxgate/0.1 (Linux x86_64) libfoo/2");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "voxgate");
  EXPECT_EQ(p[0].version, "0.1");
  EXPECT_TRUE(p[1].name.empty());
  EXPECT_EQ(p[1].comment, "Linux x86_64");
  EXPECT_EQ(p[2].name, "libfoo");
  EXPECT_EQ(p[2].version, "2");
}

TEST(ProductList, KeepsNestedCommentsWhole) {
  const ProductList p = parse_products("X/1.0 (outer (inner (deepest)) tail) Y");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].comment, "outer (inner (deepest)) tail");
  EXPECT_EQ(p[2].name, "Y");
}

TEST(ProductList, QuotedPairsInCommentDoNotCloseIt) {
  const ProductList p = parse_products(R"(X (a \) b \( c) Y)");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].comment, R"(a \) b \( c)");
}

TEST(ProductList, AcceptsCommentOnlyAndEmptyComment) {
  const ProductList p = parse_products("(just a comment)");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].comment, "just a comment");
  EXPECT_EQ(parse_products("X ()")[1].comment, "");
}

TEST(ProductList, AcceptsLwsAroundSlashAndBetweenItems) {
  const ProductList p = parse_products("  X / 1.0\r\n (c)\tY/2  ");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].version, "1.0");
  EXPECT_EQ(p[1].comment, "c");
  EXPECT_EQ(p[2].version, "2");
}

TEST(ProductList, CommentMayFollowProductWithoutSpace) {
  const ProductList p = parse_products("X/1(c)");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].version, "1");
  EXPECT_EQ(p[1].comment, "c");
}

TEST(ProductList, RejectsEmptyUnterminatedCommentsAndSeparators) {
  for (std::string_view text :
       {"", "   ", "(unterminated", "X (a (b)", "X (a \\)", "X, Y", "X/1.0 @", "\"X\"", "X;Y", ")"}) {
    auto parsed = parse_product_list(text);
    EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
  }
}

}  // namespace
}  // namespace voxgate::sip
