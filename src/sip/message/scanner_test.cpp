#include "sip/message/detail/scanner.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "sip/message/detail/charset.hpp"
#include "support/test_random.hpp"

namespace voxgate::sip::detail {
namespace {

// take_while (eight characters a step while eight remain, then one at a
// time) against a loop over the characters, on random text of every length
// up to 40 and from every start, in heap buffers of exactly that length (so
// that AddressSanitizer reports a read past the view).
TEST(ScannerTakeWhile, AgreesWithACharacterLoopOnRandomTextOfEveryLengthAndStart) {
  constexpr std::string_view kOthers = ";= \t,\"<>@:\x80";
  test::TestRandom next(99);
  for (std::uint32_t round = 0; round < 200; ++round) {
    const std::uint32_t sparseness = 2 + round % 16;
    for (std::size_t length = 0; length <= 40; ++length) {
      const auto buffer = std::make_unique<char[]>(length);
      for (std::size_t i = 0; i < length; ++i) {
        buffer[i] = next() % sparseness == 0 ? kOthers[next() % kOthers.size()] : "aZ9-.!%*_+`'~"[next() % 13];
      }
      const std::string_view view(buffer.get(), length);
      for (std::size_t start = 0; start <= length; ++start) {
        std::size_t end = start;
        while (end < length && is(view[end], kToken)) ++end;
        Scanner in(view);
        in.seek(start);
        ASSERT_EQ(in.take_token(), view.substr(start, end - start)) << "length " << length << " start " << start;
        ASSERT_EQ(in.pos(), end) << "length " << length << " start " << start;
      }
    }
  }
}

}  // namespace
}  // namespace voxgate::sip::detail
