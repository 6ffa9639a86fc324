#include "sip/message/detail/find.hpp"

#include <gtest/gtest.h>

#include <string>

namespace voxgate::sip::detail {
namespace {

// Lengths around the 16-byte blocks, every needle position (or none), every
// start position: the SSE2 blocks, the overlapping last block and the short
// scalar path must agree with std::string_view::find.
TEST(FindChar, AgreesWithStringViewFindAtEveryLengthPositionAndStart) {
  for (std::size_t length = 0; length <= 48; ++length) {
    for (std::size_t needle = 0; needle <= length; ++needle) {  // needle == length: absent
      std::string text(length, 'a');
      if (needle < length) text[needle] = '\n';
      if (needle + 5 < length) text[needle + 5] = '\n';  // a second match further on
      const std::string_view view(text);
      for (std::size_t start = 0; start <= length + 1; ++start) {
        ASSERT_EQ(find_char(view, '\n', start), view.find('\n', start))
            << "length " << length << " needle " << needle << " start " << start;
      }
    }
  }
}

// find_either against std::string_view::find_first_of, the same lengths,
// positions and starts, with the two needles in either order.
TEST(FindEither, AgreesWithFindFirstOfAtEveryLengthPositionAndStart) {
  for (std::size_t length = 0; length <= 48; ++length) {
    for (std::size_t needle = 0; needle <= length; ++needle) {
      for (const bool colon_first : {false, true}) {
        std::string text(length, 'a');
        if (needle < length) text[needle] = colon_first ? ':' : '\n';
        if (needle + 3 < length) text[needle + 3] = colon_first ? '\n' : ':';
        const std::string_view view(text);
        for (std::size_t start = 0; start <= length + 1; ++start) {
          ASSERT_EQ(find_either(view, ':', '\n', start), view.find_first_of(":\n", start))
              << "length " << length << " needle " << needle << " start " << start;
        }
      }
    }
  }
}

TEST(FindChar, FindsBytesAboveAscii) {
  const std::string text = std::string(20, 'x') + "\xc3\xa9";
  EXPECT_EQ(find_char(text, '\xc3'), 20U);
  EXPECT_EQ(find_char(text, '\xa9'), 21U);
}

}  // namespace
}  // namespace voxgate::sip::detail
