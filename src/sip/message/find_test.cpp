#include "sip/message/detail/find.hpp"
#include "support/test_random.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

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

// find_colon_and_newline against the two searches it stands for (with
// std::string_view's own), on random header-like text of every length up to
// 80 and from every start: its one-block path (the colon in the first 16
// bytes), the blocks after it, the under-16-byte tail and the general path.
// Each text is in a heap buffer of exactly its length, so that AddressSanitizer
// reports any read past the view.
TEST(FindColonAndNewline, AgreesWithFindFirstOfThenFindOnRandomTextOfEveryLengthAndStart) {
  constexpr std::string_view kSpecials = "::\n\n\r \t";
  test::TestRandom next(2026);
  for (std::uint32_t round = 0; round < 120; ++round) {
    const std::uint32_t sparseness = 2 + round % 24;  // one special character in `sparseness`, on average
    for (std::size_t length = 0; length <= 80; ++length) {
      const auto buffer = std::make_unique<char[]>(length);
      for (std::size_t i = 0; i < length; ++i) {
        buffer[i] = next() % sparseness == 0 ? kSpecials[next() % kSpecials.size()] : 'a';
      }
      const std::string_view view(buffer.get(), length);
      for (std::size_t start = 0; start <= length + 1; ++start) {
        std::size_t colon = 12345;
        std::size_t nl = 12345;
        const bool has_colon = find_colon_and_newline(view, start, colon, nl);
        const std::size_t stop = view.find_first_of(":\n", start);
        const bool expected = stop != std::string_view::npos && view[stop] == ':';
        ASSERT_EQ(has_colon, expected) << "round " << round << " length " << length << " start " << start;
        ASSERT_EQ(colon, expected ? stop : length) << "round " << round << " length " << length << " start " << start;
        ASSERT_EQ(nl, expected ? view.find('\n', stop + 1) : stop)
            << "round " << round << " length " << length << " start " << start;
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
