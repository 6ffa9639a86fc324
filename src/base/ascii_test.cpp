#include "base/ascii.hpp"

#include <gtest/gtest.h>

namespace voxgate::ascii {
namespace {

TEST(Ascii, ComparesCaseInsensitively) {
  EXPECT_TRUE(iequals("Call-ID", "call-id"));
  EXPECT_FALSE(iequals("Call-ID", "Call-IDs"));
  EXPECT_TRUE(istarts_with("SIP/2.0", "sip/"));
  EXPECT_FALSE(istarts_with("SI", "sip/"));
}

TEST(Ascii, LeavesNonLettersAlone) {
  EXPECT_EQ(to_lower('@'), '@');
  EXPECT_EQ(to_lower('['), '[');
  EXPECT_EQ(to_upper('`'), '`');
  EXPECT_EQ(to_lower(std::string_view("MiXeD-1")), "mixed-1");
}

TEST(Ascii, DecodesHexDigits) {
  EXPECT_EQ(hex_value('0'), 0);
  EXPECT_EQ(hex_value('a'), 10);
  EXPECT_EQ(hex_value('F'), 15);
  EXPECT_EQ(hex_value('g'), -1);
}

TEST(Ascii, Fnv1aIsStableAcrossRuns) {
  // Known FNV-1a 64 test vectors: the loop choice for a Call-ID must not
  // change between releases or processes.
  EXPECT_EQ(fnv1a(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a("foobar"), 0x85944171f73967e8ULL);
}

}  // namespace
}  // namespace voxgate::ascii
