#include "sip/message/scalar_headers.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "base/ascii.hpp"
#include "sip/message/detail/call_id_check.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/cpu.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/find.hpp"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace voxgate::sip {

namespace {

// The errors, out of line: building their strings in parse_bounded_uint gave
// it a stack frame and six saved registers on every call, errors or not
// (profiled: half the cost of a valid four-digit number).
[[gnu::cold, gnu::noinline]] tl::unexpected<SyntaxError> empty_number(std::string_view what) {
  return syntax_error("empty " + std::string(what));
}
[[gnu::cold, gnu::noinline]] tl::unexpected<SyntaxError> not_a_digit(char c, std::string_view what) {
  return syntax_error("unexpected " + detail::describe_char(c) + " in " + std::string(what));
}
[[gnu::cold, gnu::noinline]] tl::unexpected<SyntaxError> out_of_range(std::string_view what) {
  return syntax_error(std::string(what) + " out of range");
}

// The general loop, for values longer than 64 bits hold: checks the bound
// after every digit, so that it never overflows.
Parsed<std::uint32_t> parse_bounded_uint_long(std::string_view text, std::uint32_t max, std::string_view what) {
  std::uint64_t value = 0;
  for (char c : text) {
    if (!ascii::is_digit(c)) return not_a_digit(c, what);
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > max) return out_of_range(what);
  }
  return static_cast<std::uint32_t>(value);
}

}  // namespace

Parsed<std::uint32_t> detail::parse_bounded_uint_general(std::string_view text, std::uint32_t max,
                                                         std::string_view what) {
  if (text.empty()) return empty_number(what);
  // Up to 19 digits fit in 64 bits, so the bound is checked once, not per
  // digit (profiled: the per-digit checks were most of the cost of a
  // port or CSeq number). The errors are those of the general loop: a prefix
  // only grows, so it exceeded `max` before a bad character exactly when its
  // value at that character does.
  if (text.size() > 19) return parse_bounded_uint_long(text, max, what);
  std::uint64_t value = 0;
  for (char c : text) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(c)) - unsigned{'0'};
    if (digit > 9) {
      if (value > max) break;
      return not_a_digit(c, what);
    }
    value = value * 10 + digit;
  }
  if (value > max) return out_of_range(what);
  return static_cast<std::uint32_t>(value);
}

Parsed<std::uint32_t> parse_delta_seconds(std::string_view text, std::string_view what) {
  return parse_bounded_uint(text, 0xFFFFFFFFU, what);
}

Parsed<std::uint8_t> parse_max_forwards(std::string_view text) {
  return parse_bounded_uint(text, 255, "Max-Forwards").map([](std::uint32_t v) {
    return static_cast<std::uint8_t>(v);
  });
}

namespace detail {

// Call-ID = word [ "@" word ] holds: word characters, at most one '@', and
// that one neither first nor last. Word characters (§25.1) are the visible
// ASCII characters but # $ & , ; = @ ^ | (kWord).
bool is_call_id_scalar(std::string_view text) noexcept {
  const std::size_t at = detail::find_char(text, '@');
  const auto is_word = [](std::string_view w) {
    return !w.empty() && std::ranges::all_of(w, [](char c) { return detail::is(c, detail::kWord); });
  };
  return at == std::string_view::npos ? is_word(text) : is_word(text.substr(0, at)) && is_word(text.substr(at + 1));
}

}  // namespace detail

#if defined(__SSE2__)
namespace {

// Bit i of the result: byte i at `p` is not a word character; `at` gets the
// bits of the '@' among them.
unsigned non_word_bytes(const char* p, unsigned& at) noexcept {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the SSE2 load API
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Not visible ASCII: below 0x21 as a signed byte (controls, SP, bytes >= 0x80), or DEL.
  __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x21)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
  for (const char c : {'#', '$', '&', ',', ';', '=', '^', '|'})
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
  const __m128i at_sign = _mm_cmpeq_epi8(v, _mm_set1_epi8('@'));
  at = static_cast<unsigned>(_mm_movemask_epi8(at_sign));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(bad, at_sign)));
}

// One block's masks checked: no non-word byte but '@', and at most one '@'
// in the whole Call-ID (its position kept in `first_at`).
inline bool check_call_id_block(std::uint32_t bad, std::uint32_t at, std::size_t offset,
                                std::size_t& first_at) noexcept {
  if ((bad & ~at) != 0) return false;
  if (at != 0) {
    if (first_at != std::string_view::npos || (at & (at - 1)) != 0) return false;  // a second '@'
    first_at = offset + static_cast<unsigned>(__builtin_ctz(at));
  }
  return true;
}

}  // namespace

namespace detail {

// The same test 16 characters at a time (profiled: the per-character loop
// was most of the cost of reading a Call-ID, 30 to 60 characters long).
// Whole blocks, then the last 16 bytes (overlapping, the bytes already seen
// masked off): never a read outside the view.
bool is_call_id_sse2(std::string_view text) noexcept {
  const std::size_t n = text.size();  // 16 or more
  std::size_t first_at = std::string_view::npos;
  const auto check = [&](std::size_t offset, unsigned keep) {
    unsigned at = 0;
    const unsigned bad = non_word_bytes(text.data() + offset, at) & keep;
    return check_call_id_block(bad, at & keep, offset, first_at);
  };
  std::size_t offset = 0;
  for (; n - offset >= 16; offset += 16) {
    if (!check(offset, 0xFFFFU)) return false;
  }
  if (offset != n && !check(n - 16, 0xFFFFU & ~((1U << (offset - (n - 16))) - 1U))) return false;
  return first_at == std::string_view::npos || (first_at != 0 && first_at != n - 1);
}

#if defined(VOXGATE_SIP_AVX2_DISPATCH)
namespace {

// The byte constants of the AVX2 test, read from memory: see call_id_constants().
struct alignas(32) CallIdConstants {
  std::array<std::array<std::uint8_t, 32>, 11> splats;  // 0x21, 0x7f, the eight non-word characters, '@'
};

constexpr std::array<std::uint8_t, 32> splat(char byte) {
  std::array<std::uint8_t, 32> out{};
  out.fill(static_cast<std::uint8_t>(byte));
  return out;
}

constexpr CallIdConstants kCallId{{splat('\x21'), splat('\x7f'), splat('#'), splat('$'), splat('&'), splat(','),
                                   splat(';'), splat('='), splat('^'), splat('|'), splat('@')}};

// kCallId through a pointer the compiler cannot see into (an empty asm that
// "may change" it), so the constants stay memory operands: read as
// constants, g++ rebuilt each with a move and a broadcast at every call, as
// in the AVX2 host scan (uri.cpp).
inline const CallIdConstants& call_id_constants() noexcept {
  const CallIdConstants* constants = &kCallId;
  asm("" : "+r"(constants));  // NOLINT(hicpp-no-assembler): an optimisation barrier, no instruction
  return *constants;
}

__attribute__((target("avx2"))) inline __m256i splat_of(const CallIdConstants& k, std::size_t i) noexcept {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the AVX2 load API
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(k.splats[i].data()));
}

// non_word_bytes for 32 bytes.
__attribute__((target("avx2"))) inline std::uint32_t non_word_bytes_avx2(const char* p, const CallIdConstants& k,
                                                                         std::uint32_t& at) noexcept {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the AVX2 load API
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  // Not visible ASCII: below 0x21 as a signed byte (controls, SP, bytes >= 0x80), or DEL.
  __m256i bad = _mm256_or_si256(_mm256_cmpgt_epi8(splat_of(k, 0), v), _mm256_cmpeq_epi8(v, splat_of(k, 1)));
  for (std::size_t i = 2; i < 10; ++i) bad = _mm256_or_si256(bad, _mm256_cmpeq_epi8(v, splat_of(k, i)));
  const __m256i at_sign = _mm256_cmpeq_epi8(v, splat_of(k, 10));
  at = static_cast<std::uint32_t>(_mm256_movemask_epi8(at_sign));
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(bad, at_sign)));
}

}  // namespace

// is_call_id_sse2 with 32-byte blocks: two blocks for a 50-character
// Call-ID where the SSE2 test takes four. Views under 32 bytes take the
// SSE2 test, under 16 the scalar one (the SSE2 test reads 16 bytes).
__attribute__((target("avx2"))) bool is_call_id_avx2(std::string_view text) noexcept {
  const std::size_t n = text.size();
  if (n < 16) return is_call_id_scalar(text);
  if (n < 32) return is_call_id_sse2(text);
  const CallIdConstants& k = call_id_constants();
  std::size_t first_at = std::string_view::npos;
  std::size_t offset = 0;
  std::uint32_t at = 0;
  for (; n - offset >= 32; offset += 32) {
    const std::uint32_t bad = non_word_bytes_avx2(text.data() + offset, k, at);
    if (!check_call_id_block(bad, at, offset, first_at)) return false;
  }
  if (offset != n) {
    const std::uint32_t keep = ~((std::uint32_t{1} << (offset - (n - 32))) - 1U);
    const std::uint32_t bad = non_word_bytes_avx2(text.data() + n - 32, k, at) & keep;
    if (!check_call_id_block(bad, at & keep, n - 32, first_at)) return false;
  }
  return first_at == std::string_view::npos || (first_at != 0 && first_at != n - 1);
}
#endif

}  // namespace detail
#endif

Parsed<std::string_view> parse_call_id(std::string_view text) {
  if (text.empty()) return syntax_error("empty Call-ID");
#if defined(VOXGATE_SIP_AVX2_DISPATCH)
  const bool ok = text.size() < 16       ? detail::is_call_id_scalar(text)
                  : detail::cpu_has_avx2 ? detail::is_call_id_avx2(text)
                                         : detail::is_call_id_sse2(text);
#elif defined(__SSE2__)
  const bool ok = text.size() >= 16 ? detail::is_call_id_sse2(text) : detail::is_call_id_scalar(text);
#else
  const bool ok = detail::is_call_id_scalar(text);
#endif
  if (!ok) return syntax_error("invalid Call-ID");
  return text;
}

Parsed<std::string_view> parse_token(std::string_view text, std::string_view what) {
  if (text.empty()) return syntax_error("empty " + std::string(what));
  for (char c : text) {
    if (!detail::is(c, detail::kToken)) {
      return syntax_error("unexpected " + detail::describe_char(c) + " in " + std::string(what));
    }
  }
  return text;
}

}  // namespace voxgate::sip
