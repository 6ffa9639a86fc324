#include "bot/stream/base64.hpp"

#include <gtest/gtest.h>

namespace voxgate::bot {
namespace {

std::vector<std::uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

TEST(Base64Test, RoundTripsEveryPaddingLength) {
  // RFC 4648 §10's test vectors.
  EXPECT_EQ(base64_encode(bytes("")), "");
  EXPECT_EQ(base64_encode(bytes("f")), "Zg==");
  EXPECT_EQ(base64_encode(bytes("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(bytes("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(bytes("foobar")), "Zm9vYmFy");
  for (std::string_view text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto decoded = base64_decode(base64_encode(bytes(text)));
    ASSERT_TRUE(decoded) << text;
    EXPECT_EQ(*decoded, bytes(text));
  }
}

TEST(Base64Test, TextThatIsNotPaddedBase64IsRefused) {
  EXPECT_FALSE(base64_decode("Zm9"));
  EXPECT_FALSE(base64_decode("Zm9!"));
}

}  // namespace
}  // namespace voxgate::bot
