#include "sip/message/scalar_headers.hpp"
#include "sip/message/detail/call_id_check.hpp"
#include "support/sip_parse.hpp"
#include "support/test_random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace voxgate::sip {
namespace {

using test::is_printable;

TEST(BoundedUint, AcceptsDigitsUpToTheBound) {
  EXPECT_EQ(parse_bounded_uint("0", 10, "x"), 0u);
  EXPECT_EQ(parse_bounded_uint("10", 10, "x"), 10u);
  EXPECT_EQ(parse_bounded_uint("0010", 10, "x"), 10u);
  EXPECT_EQ(parse_bounded_uint("4294967295", 0xFFFFFFFFU, "x"), 4294967295u);
}

TEST(BoundedUint, RejectsValuesAboveTheBoundNamingTheField) {
  auto parsed = parse_bounded_uint("11", 10, "Widget");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().reason.find("Widget"), std::string::npos) << parsed.error().reason;
  EXPECT_FALSE(parse_bounded_uint("99999999999999999999999999999", 0xFFFFFFFFU, "x").has_value());
}

TEST(BoundedUint, RejectsEmptySignsSpacesAndNonDigitsWithPrintableReason) {
  for (std::string_view text : {"", " 1", "1 ", "+1", "-1", "1.0", "0x10", "1e3", "\x01", "\xff"}) {
    auto parsed = parse_bounded_uint(text, 100, "Field");
    ASSERT_FALSE(parsed.has_value()) << "accepted: " << text;
    EXPECT_TRUE(is_printable(parsed.error().reason)) << parsed.error().reason;
  }
}

TEST(DeltaSeconds, AcceptsZeroTo2To32Minus1) {
  EXPECT_EQ(parse_delta_seconds("0", "Expires"), 0u);
  EXPECT_EQ(parse_delta_seconds("3600", "Expires"), 3600u);
  EXPECT_EQ(parse_delta_seconds("4294967295", "Expires"), 4294967295u);
}

TEST(DeltaSeconds, RejectsOverflowAt2To32) {
  // RFC 4475 §3.1.2.4 (scalar02): larger values are a 400.
  EXPECT_FALSE(parse_delta_seconds("4294967296", "Expires").has_value());
  EXPECT_FALSE(parse_delta_seconds("10000000000", "Expires").has_value());
  EXPECT_FALSE(parse_delta_seconds("18446744073709551616", "Expires").has_value());
  EXPECT_FALSE(parse_delta_seconds("", "Expires").has_value());
  EXPECT_FALSE(parse_delta_seconds("-1", "Expires").has_value());
}

TEST(MaxForwards, AcceptsZeroTo255) {
  EXPECT_EQ(parse_max_forwards("0"), 0);
  EXPECT_EQ(parse_max_forwards("70"), 70);
  EXPECT_EQ(parse_max_forwards("255"), 255);
  EXPECT_EQ(parse_max_forwards("0255"), 255);
}

TEST(MaxForwards, RejectsValuesAbove255OrNotANumber) {
  EXPECT_FALSE(parse_max_forwards("256").has_value());
  EXPECT_FALSE(parse_max_forwards("300").has_value());
  EXPECT_FALSE(parse_max_forwards("-1").has_value());
  EXPECT_FALSE(parse_max_forwards("").has_value());
  EXPECT_FALSE(parse_max_forwards("seventy").has_value());
  auto parsed = parse_max_forwards("256");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().reason.find("Max-Forwards"), std::string::npos);
}

// The grammar read literally (word [ "@" word ], §25.1) against
// parse_call_id on random values of every length around its 16- and
// 32-byte blocks, and against each of its paths (scalar, SSE2, and AVX2
// where the CPU has it), whichever the CPU running the test makes it take.
TEST(CallId, AgreesWithTheGrammarOnRandomValuesOfEveryLength) {
  const auto is_word_char = [](char c) {
    constexpr std::string_view kWordPunctuation = "-.!%*_+`'~()<>:\\\"/[]?{}";
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || kWordPunctuation.find(c) != std::string_view::npos;
  };
  const auto is_word = [&is_word_char](std::string_view w) {
    return !w.empty() && std::ranges::all_of(w, is_word_char);
  };
  // Word characters, '@', and characters that are not: one of each kind.
  constexpr std::string_view kAlphabet = "aZ9-.<\\\"@@#$&,;=^| \t\x7f\x80\xff";
  test::TestRandom next(4711);
  for (int round = 0; round < 100000; ++round) {
    const std::size_t length = 1 + next() % 80;
    std::string text;
    for (std::size_t i = 0; i < length; ++i) {
      // Mostly word characters, so that long valid values occur.
      text += next() % 4 != 0 ? 'a' : kAlphabet[next() % kAlphabet.size()];
    }
    const std::size_t at = text.find('@');
    const bool expected = at == std::string::npos ? is_word(text)
                                                  : is_word(std::string_view(text).substr(0, at)) &&
                                                        is_word(std::string_view(text).substr(at + 1));
    ASSERT_EQ(parse_call_id(text).has_value(), expected) << "Call-ID: " << text;
    ASSERT_EQ(detail::is_call_id_scalar(text), expected) << "Call-ID: " << text;
#if defined(__SSE2__)
    if (text.size() >= 16) {
      ASSERT_EQ(detail::is_call_id_sse2(text), expected) << "Call-ID: " << text;
    }
#endif
#if defined(VOXGATE_SIP_AVX2_DISPATCH)
    if (detail::cpu_has_avx2) {
      ASSERT_EQ(detail::is_call_id_avx2(text), expected) << "Call-ID: " << text;
    }
#endif
  }
}

TEST(CallId, AcceptsWordAtWord) {
  EXPECT_EQ(parse_call_id("a84b4c76e66710@pc33.atlanta.com"), "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(parse_call_id("f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com"),
            "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com");
}

TEST(CallId, AcceptsSingleWord) {
  EXPECT_EQ(parse_call_id("3848276298220188511"), "3848276298220188511");
}

TEST(CallId, AcceptsEveryWordCharacter) {
  // word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" /
  // "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" /
  // "]" / "?" / "{" / "}")
  const std::string_view all = R"(aZ09-.!%*_+`'~()<>:\"/[]?{}@aZ09-.!%*_+`'~()<>:\"/[]?{})";
  EXPECT_EQ(parse_call_id(all), all);
}

TEST(CallId, RejectsEmptyWordsSecondAtAndWhitespace) {
  for (std::string_view text :
       {"", "@", "abc@", "@abc", "a@b@c", "a b", "a\tb@c", "a;b", "a,b", "a=b", "a#b", "a\x01", "ab\xc3\xa9"}) {
    auto parsed = parse_call_id(text);
    EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
  }
}

TEST(Token, AcceptsTokenCharacters) {
  EXPECT_EQ(parse_token("100rel", "option tag"), "100rel");
  EXPECT_EQ(parse_token("a-.!%*_+`'~Z9", "option tag"), "a-.!%*_+`'~Z9");
}

TEST(Token, RejectsSeparatorsAndEmptyNamingTheField) {
  for (std::string_view text : {"", "a b", "a,b", "a;b", "a/b", "a=b", "\"a\"", "a:b", "(a)", "a@b"}) {
    auto parsed = parse_token(text, "option tag");
    ASSERT_FALSE(parsed.has_value()) << "accepted: " << text;
    EXPECT_NE(parsed.error().reason.find("option tag"), std::string::npos) << parsed.error().reason;
  }
}

}  // namespace
}  // namespace voxgate::sip
