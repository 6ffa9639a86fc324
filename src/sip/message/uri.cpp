#include "sip/message/uri.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/cpu.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/find.hpp"
#include "sip/message/detail/host_scan.hpp"
#include "sip/message/detail/scanner.hpp"

namespace voxgate::sip {

namespace {

using detail::is;
using detail::Scanner;

// Consumes characters of `Classes` and %HH escapes. Returns false on a '%'
// that does not start a valid escape. The classes are a template argument:
// as a constant the class test is one instruction. Always inlined: a call
// cost as much as scanning a four-letter user part (profiled).
template <std::uint16_t Classes>
[[gnu::always_inline]] inline bool take_escaped(Scanner& in) {
  // A plain index loop: '%' is in none of the classes, so the class test
  // comes first and escapes are the exception.
  const std::string_view rest = in.rest();
  std::size_t i = 0;
  while (i < rest.size()) {
    const char c = rest[i];
    if (is(c, Classes)) {
      ++i;
    } else if (c == '%') {
      if (i + 2 >= rest.size() || !ascii::is_hex(rest[i + 1]) || !ascii::is_hex(rest[i + 2])) return false;
      i += 3;
    } else {
      break;
    }
  }
  in.advance(i);
  return true;
}

}  // namespace

bool is_ipv4_address(std::string_view text) noexcept {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t digits = 0;
    int value = 0;
    while (i < text.size() && ascii::is_digit(text[i])) {
      value = value * 10 + (text[i] - '0');
      ++i;
      if (++digits > 3) return false;
    }
    if (digits == 0 || value > 255) return false;
    ++parts;
    if (i == text.size()) break;
    if (text[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

namespace {

using Ipv6Bytes = std::array<unsigned char, 16>;

std::optional<Ipv6Bytes> parse_ipv6(std::string_view s) noexcept {
  // RFC 5118 §4.10: RFC 3261's IPv6 ABNF is wrong; the RFC 4291 text form is
  // right, and inet_pton implements exactly that form.
  std::array<char, 64> buf{};
  if (s.empty() || s.size() >= buf.size()) return std::nullopt;
  std::memcpy(buf.data(), s.data(), s.size());
  Ipv6Bytes addr{};
  if (inet_pton(AF_INET6, buf.data(), addr.data()) == 1) return addr;
  // RFC 5118 §4.10: that wrong ABNF (RFC 2373's) derives "2001:db8:::192.0.2.1",
  // a hexpart ending in "::" then ":" IPv4address, and implementations must
  // tolerate it. Only that derivation: one ":::" right before a trailing IPv4
  // address, read as "::" and still checked as RFC 4291 text.
  const std::size_t triple = s.find(":::");
  if (triple == std::string_view::npos || s.find(":::", triple + 1) != std::string_view::npos ||
      !is_ipv4_address(s.substr(triple + 3))) {
    return std::nullopt;
  }
  buf.fill('\0');
  std::memcpy(buf.data(), s.data(), triple + 2);
  std::memcpy(buf.data() + triple + 2, s.data() + triple + 3, s.size() - triple - 3);
  if (inet_pton(AF_INET6, buf.data(), addr.data()) == 1) return addr;
  return std::nullopt;
}

}  // namespace

bool is_ipv6_address(std::string_view text) noexcept {
  return parse_ipv6(text).has_value();
}

namespace {

bool parse_port(std::string_view digits, std::uint16_t& port) noexcept {
  if (digits.empty() || digits.size() > 5) return false;
  std::uint32_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<std::uint32_t>(c - '0');
  if (value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

// uri-parameters = *( ";" uri-parameter ), pname/pvalue = 1*paramchar.
std::optional<std::string> parse_uri_params(Scanner& in, Params& out) {
  while (in.consume(';')) {
    Param p;
    const std::size_t name_start = in.pos();
    if (!take_escaped<detail::kParam>(in)) return std::string("bad escape in URI parameter");
    p.name = in.since(name_start);
    if (p.name.empty()) return std::string("empty URI parameter name");
    if (in.consume('=')) {
      p.has_value = true;
      const std::size_t value_start = in.pos();
      if (!take_escaped<detail::kParam>(in)) return std::string("bad escape in URI parameter");
      p.value = in.since(value_start);
      if (p.value.empty()) return "empty value for URI parameter " + std::string(p.name);
    }
    out.push_back(p);
  }
  return std::nullopt;
}

tl::unexpected<SyntaxError> trailing_garbage(const Scanner& in) {
  return syntax_error("unexpected " + detail::describe_char(in.peek()) + " in URI");
}

// Always inlined into its one caller, parse_uri_into (see there).
[[gnu::always_inline]] inline Parsed<void> parse_sip_uri(Uri& uri, std::string_view rest) {
  Scanner in(rest);
  // userinfo: neither user nor password may hold a raw '@' (§25.1), nor can
  // the host, so the first '@' ends the userinfo.
  const std::size_t at = detail::find_char(rest, '@');
  if (at != std::string_view::npos) {
    const std::size_t user_start = in.pos();
    if (!take_escaped<detail::kUser>(in)) return syntax_error("bad escape in URI user part");
    uri.user = in.since(user_start);
    if (in.consume(':')) {
      uri.has_password = true;
      const std::size_t pw_start = in.pos();
      if (!take_escaped<detail::kPassword>(in)) return syntax_error("bad escape in URI password");
      uri.password = in.since(pw_start);
    }
    if (in.pos() != at) return syntax_error("invalid character in URI user part");
    if (uri.user.empty()) return syntax_error("empty URI user part");
    in.advance();  // '@'
  }

  const HostScan host = detail::scan_host_inline(in.rest());
  uri.host = in.rest().substr(0, host.length);
  uri.host_kind = host.kind;
  if (uri.host.empty() && in.peek() == '[') return syntax_error("unterminated IPv6 reference in URI host");
  if (uri.host.empty()) return syntax_error("missing URI host");
  in.advance(host.length);
  if (uri.host_kind == HostKind::None) {
    return syntax_error("invalid URI host " + detail::printable_excerpt(uri.host));
  }

  if (in.consume(':')) {
    std::uint16_t port = 0;
    if (!parse_port(in.take_while(detail::kDigit), port)) return syntax_error("invalid URI port");
    uri.port = port;
  }
  // Most URIs have no parameters: skip the call (and its result) then.
  if (in.peek() == ';') {
    if (auto err = parse_uri_params(in, uri.params)) return syntax_error(*err);
  }
  if (in.consume('?')) {
    const std::size_t headers_start = in.pos();
    do {
      const std::size_t name_start = in.pos();
      if (!take_escaped<detail::kHeader>(in)) return syntax_error("bad escape in URI headers");
      if (in.pos() == name_start) return syntax_error("empty URI header name");
      if (!in.consume('=')) return syntax_error("URI header without '='");
      if (!take_escaped<detail::kHeader>(in)) return syntax_error("bad escape in URI headers");
    } while (in.consume('&'));
    uri.headers = in.since(headers_start);
  }
  if (!in.at_end()) return trailing_garbage(in);
  return {};
}

// RFC 3966: telephone-subscriber with visual separators, then parameters.
Parsed<void> parse_tel_uri(Uri& uri, std::string_view rest) {
  Scanner in(rest);
  const std::size_t start = in.pos();
  in.consume('+');
  while (!in.at_end()) {
    const char c = in.peek();
    if (ascii::is_hex(c) || c == '*' || c == '#' || c == '-' || c == '.' || c == '(' || c == ')') {
      in.advance();
    } else {
      break;
    }
  }
  uri.user = in.since(start);
  if (uri.user.empty() || uri.user == "+") return syntax_error("missing number in tel URI");
  if (auto err = parse_uri_params(in, uri.params)) return syntax_error(*err);
  if (!in.at_end()) return trailing_garbage(in);
  return {};
}

// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
bool is_scheme(std::string_view s) noexcept {
  return !s.empty() && ascii::is_alpha(s.front()) &&
         std::ranges::all_of(s, [](char c) { return ascii::is_alnum(c) || c == '+' || c == '-' || c == '.'; });
}

// Parameters that §19.1.4 says must match if present in either URI.
constexpr std::string_view kSignificantParams[] = {"user", "ttl", "method", "maddr", "transport"};

bool params_equivalent(const Params& a, const Params& b) {
  for (std::string_view name : kSignificantParams) {
    const auto va = a.get(name);
    const auto vb = b.get(name);
    if (va.has_value() != vb.has_value()) return false;
    if (va && !ascii::iequals(unescape(*va), unescape(*vb))) return false;
  }
  for (const Param& p : a) {
    // A repeated parameter counts once, with its first value (what get() and
    // find() read); otherwise a URI could differ from itself.
    if (a.find(p.name) != &p) continue;
    const Param* q = b.find(p.name);
    if (q != nullptr && !ascii::iequals(unescape(p.value), unescape(q->value))) return false;
  }
  return true;
}

// URI headers as an order-independent set of (lower-case name, value).
std::vector<std::pair<std::string, std::string>> header_set(std::string_view headers) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < headers.size()) {
    std::size_t amp = headers.find('&', start);
    if (amp == std::string_view::npos) amp = headers.size();
    const std::string_view item = headers.substr(start, amp - start);
    const std::size_t eq = item.find('=');
    out.emplace_back(ascii::to_lower(unescape(item.substr(0, eq))),
                     eq == std::string_view::npos ? std::string() : unescape(item.substr(eq + 1)));
    start = amp + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Hosts compare case-insensitively; IPv6 references compare as addresses, so
// "[2001:db8::9:1]" equals "[2001:DB8:0::9:1]" (RFC 5954 §4).
bool hosts_equivalent(const Uri& a, const Uri& b) {
  if (a.host_kind == HostKind::IPv6 && b.host_kind == HostKind::IPv6) {
    return parse_ipv6(a.host_address()) == parse_ipv6(b.host_address());
  }
  return ascii::iequals(a.host, b.host);
}

// RFC 3966 §4: tel numbers (and number-valued parameters) compare after
// removing visual separators, case-insensitively.
std::string tel_number_key(std::string_view text) {
  std::string out;
  for (char c : unescape(text)) {
    if (c != '-' && c != '.' && c != '(' && c != ')') out += ascii::to_lower(c);
  }
  return out;
}

// RFC 3966 §4: parameters compare by name in any order, and one found in only
// one URI makes them unequal; values compare case-insensitively, ext and a
// global-number phone-context without visual separators.
bool tel_params_equivalent(const Params& a, const Params& b) {
  if (a.size() != b.size()) return false;
  for (const Param& p : a) {
    if (a.find(p.name) != &p) continue;  // repeated: the first value counts, as in params_equivalent()
    const Param* q = b.find(p.name);
    if (q == nullptr) return false;
    const bool number = ascii::iequals(p.name, "ext") || (ascii::iequals(p.name, "phone-context") &&
                                                          p.value.starts_with('+') && q->value.starts_with('+'));
    if (number ? tel_number_key(p.value) != tel_number_key(q->value)
               : !ascii::iequals(unescape(p.value), unescape(q->value))) {
      return false;
    }
  }
  return true;
}

}  // namespace

namespace {

// Character classes of host names (§25.1), for classify_host.
enum HostCharClass : std::uint8_t { kHostDigit = 1, kHostAlpha = 2, kHostHyphen = 4, kHostDot = 8, kHostOther = 16 };

constexpr std::array<std::uint8_t, 256> build_host_classes() {
  std::array<std::uint8_t, 256> table{};
  table.fill(kHostOther);
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = kHostDigit;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = kHostAlpha;
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = kHostAlpha;
  table['-'] = kHostHyphen;
  table['.'] = kHostDot;
  return table;
}

constexpr std::array<std::uint8_t, 256> kHostClasses = build_host_classes();

}  // namespace

namespace detail {

HostScan scan_host_scalar(std::string_view text) noexcept {
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = detail::find_char(text, ']');
    if (close == std::string_view::npos) return {0, HostKind::None};
    return {close + 1, is_ipv6_address(text.substr(1, close - 1)) ? HostKind::IPv6 : HostKind::None};
  }
  // hostname = *( domainlabel "." ) toplabel [ "." ]: labels of alphanum with
  // inner '-', the top label starting with a letter; IPv4address: digits and
  // dots. One pass, one table lookup per character, the checks on '-' and
  // '.' off the common path. (The early exits also keep g++ -O3 from
  // "vectorizing" the lookups into a byte gather through the stack, which
  // profiled 4x slower.)
  unsigned seen = 0;
  unsigned prev = kHostDot;  // the start behaves like a label start
  std::size_t top = 0;       // where the last label starts
  std::size_t before_top = 0;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const unsigned cls = kHostClasses[static_cast<unsigned char>(text[i])];
    if (cls >= kHostHyphen) {
      if (cls == kHostOther) break;  // the end of the host
      if (cls == kHostDot) {
        if (prev != kHostDigit && prev != kHostAlpha) return {i, HostKind::None};  // empty label, or ending in '-'
        before_top = top;
        top = i + 1;
      } else if (prev == kHostDot) {
        return {i, HostKind::None};  // a label starting with '-'
      }
    }
    seen |= cls;
    prev = cls;
  }
  const std::string_view host = text.substr(0, i);
  if (host.empty() || prev == kHostHyphen) return {i, HostKind::None};
  if ((seen & (kHostAlpha | kHostHyphen)) == 0) return {i, is_ipv4_address(host) ? HostKind::IPv4 : HostKind::None};
  if (prev == kHostDot) top = before_top;  // "example.com.": the top label precedes the final dot
  return {i, ascii::is_alpha(host[top]) ? HostKind::Hostname : HostKind::None};
}

}  // namespace detail

#if defined(__SSE2__)
namespace {

// The scalar rules on bit masks of up to 32 characters (bit i: character i),
// shared by the SSE2 and AVX2 paths. `valid` has a 0 bit where the host ends.
inline void finish_host_scan(std::string_view text, std::uint32_t valid, std::uint32_t alpha, std::uint32_t dot,
                             std::uint32_t hyphen, HostScan& out) noexcept {
  const auto end = static_cast<unsigned>(__builtin_ctz(~valid));
  const std::uint32_t range = (1U << end) - 1;
  alpha &= range;
  dot &= range;
  hyphen &= range;
  out.length = end;
  out.kind = HostKind::None;
  if (end == 0) return;
  const std::uint32_t last = 1U << (end - 1);
  // A label starting with '.' (empty) or '-'; a label ending with '-'.
  const std::uint32_t bad = ((dot | hyphen) & ((dot << 1) | 1U)) | (dot & (hyphen << 1)) | (hyphen & last);
  if (bad != 0) return;
  if ((alpha | hyphen) == 0) {
    out.kind = is_ipv4_address(text.substr(0, end)) ? HostKind::IPv4 : HostKind::None;
    return;
  }
  // The top label starts after the last dot, not counting a final one.
  const std::uint32_t inner_dots = dot & ~last;
  const unsigned top = inner_dots == 0 ? 0 : 32 - static_cast<unsigned>(__builtin_clz(inner_dots));
  out.kind = ((alpha >> top) & 1U) != 0 ? HostKind::Hostname : HostKind::None;
}

}  // namespace

namespace detail {

// The same rules on bit masks, 32 characters at a time with SSE2 (profiled:
// the per-character loop was a tenth of typed-access time). Returns false
// when the host may be longer than 32 characters: the scalar scan decides.
bool scan_host_sse2(std::string_view text, HostScan& out) noexcept {
  const auto classify = [](const char* p, std::uint32_t& valid, std::uint32_t& alpha, std::uint32_t& dot,
                           std::uint32_t& hyphen) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the SSE2 load API
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Letters: (c | 0x20) - 'a' in [0, 26); digits: c - '0' in [0, 10).
    // Bytes >= 0x80 land outside both ranges as signed bytes.
    const __m128i letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    const __m128i digit = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    const __m128i is_alpha =
        _mm_and_si128(_mm_cmpgt_epi8(letter, _mm_set1_epi8(-1)), _mm_cmplt_epi8(letter, _mm_set1_epi8(26)));
    const __m128i is_digit =
        _mm_and_si128(_mm_cmpgt_epi8(digit, _mm_set1_epi8(-1)), _mm_cmplt_epi8(digit, _mm_set1_epi8(10)));
    const __m128i is_dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
    const __m128i is_hyphen = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
    const __m128i ok = _mm_or_si128(_mm_or_si128(is_alpha, is_digit), _mm_or_si128(is_dot, is_hyphen));
    valid = static_cast<std::uint16_t>(_mm_movemask_epi8(ok));
    alpha = static_cast<std::uint16_t>(_mm_movemask_epi8(is_alpha));
    dot = static_cast<std::uint16_t>(_mm_movemask_epi8(is_dot));
    hyphen = static_cast<std::uint16_t>(_mm_movemask_epi8(is_hyphen));
  };
  // Blocks are read in place. A view shorter than 16 bytes is read from a
  // zero-padded copy (a NUL is not a host character, so the host ends there);
  // a second block reaching past the end is read as the 16 bytes ending at
  // the end, shifted down: the same masks as zero padding, without a copy.
  alignas(16) std::array<char, 16> buf;
  const char* p = text.data();
  if (text.size() < buf.size()) {
    buf.fill('\0');
    // An empty view may have a null data(): memcpy from it is undefined even
    // for zero bytes.
    if (!text.empty()) std::memcpy(buf.data(), text.data(), text.size());
    p = buf.data();
  }
  std::uint32_t valid = 0;
  std::uint32_t alpha = 0;
  std::uint32_t dot = 0;
  std::uint32_t hyphen = 0;
  classify(p, valid, alpha, dot, hyphen);
  if (valid == 0xFFFFU) {  // the host goes on into the second block (so the view has 16 bytes or more)
    std::uint32_t valid_hi = 0;
    std::uint32_t alpha_hi = 0;
    std::uint32_t dot_hi = 0;
    std::uint32_t hyphen_hi = 0;
    if (text.size() >= 32) {
      classify(p + 16, valid_hi, alpha_hi, dot_hi, hyphen_hi);
      if (valid_hi == 0xFFFFU) return false;  // 32 or more host characters
    } else {
      classify(p + text.size() - 16, valid_hi, alpha_hi, dot_hi, hyphen_hi);
      const auto shift = static_cast<unsigned>(32 - text.size());  // 1..16: drops the bytes of the first block
      valid_hi >>= shift;
      alpha_hi >>= shift;
      dot_hi >>= shift;
      hyphen_hi >>= shift;
    }
    valid |= valid_hi << 16;
    alpha |= alpha_hi << 16;
    dot |= dot_hi << 16;
    hyphen |= hyphen_hi << 16;
  }
  finish_host_scan(text, valid, alpha, dot, hyphen, out);
  return true;
}

#if defined(VOXGATE_SIP_AVX2_DISPATCH)
namespace {

// pshufb indices moving bytes s..15 of a block down to 0..15-s and zeroing
// the rest (0x80), for s = 1..16: load 16 of them from offset s.
constexpr std::array<std::uint8_t, 32> kShiftDown = {0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,
                                                     11,   12,   13,   14,   15,   0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                                     0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};

// The classification's constants, read from memory (host_constants()).
struct alignas(32) HostConstants {
  std::array<std::uint8_t, 32> case_bit;    // 0x20
  std::array<std::uint8_t, 32> minus_a;     // -'a'
  std::array<std::uint8_t, 32> minus_zero;  // -'0'
  std::array<std::uint8_t, 32> max_letter;  // 25
  std::array<std::uint8_t, 32> max_digit;   // 9
  std::array<std::uint8_t, 32> dot;         // '.'
  std::array<std::uint8_t, 32> hyphen;      // '-'
};

constexpr std::array<std::uint8_t, 32> splat(int byte) {
  std::array<std::uint8_t, 32> out{};
  out.fill(static_cast<std::uint8_t>(byte));
  return out;
}

constexpr HostConstants kHost{splat(0x20), splat(-'a'), splat(-'0'), splat(25), splat(9), splat('.'), splat('-')};

// kHost through a pointer the compiler cannot see into (an empty asm that
// "may change" it), so the constants stay memory operands of the vector
// instructions. Read as constants, g++ rebuilt each of the seven with a move
// and a broadcast at every call (profiled: a fifth of the scan).
inline const HostConstants& host_constants() noexcept {
  const HostConstants* constants = &kHost;
  asm("" : "+r"(constants));  // NOLINT(hicpp-no-assembler): an optimisation barrier, no instruction
  return *constants;
}

__attribute__((target("avx2"))) inline __m256i load_constant(const std::array<std::uint8_t, 32>& bytes) noexcept {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the SIMD load API
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(bytes.data()));
}

// The SSE2 path's four masks from one 32-byte block, then its rules.
__attribute__((target("avx2"))) inline bool scan_host_block_avx2(__m256i v, std::string_view text,
                                                                 HostScan& out) noexcept {
  // Letters: (c | 0x20) - 'a' in [0, 25]; digits: c - '0' in [0, 9], both as
  // unsigned bytes (x <= max exactly when min(x, max) == x); other bytes,
  // those >= 0x80 included, wrap outside both ranges.
  const HostConstants& k = host_constants();
  const __m256i letter = _mm256_add_epi8(_mm256_or_si256(v, load_constant(k.case_bit)), load_constant(k.minus_a));
  const __m256i digit = _mm256_add_epi8(v, load_constant(k.minus_zero));
  const __m256i is_alpha = _mm256_cmpeq_epi8(_mm256_min_epu8(letter, load_constant(k.max_letter)), letter);
  const __m256i is_digit = _mm256_cmpeq_epi8(_mm256_min_epu8(digit, load_constant(k.max_digit)), digit);
  const __m256i is_dot = _mm256_cmpeq_epi8(v, load_constant(k.dot));
  const __m256i is_hyphen = _mm256_cmpeq_epi8(v, load_constant(k.hyphen));
  const __m256i ok = _mm256_or_si256(_mm256_or_si256(is_alpha, is_digit), _mm256_or_si256(is_dot, is_hyphen));
  const auto valid = static_cast<std::uint32_t>(_mm256_movemask_epi8(ok));
  if (valid == 0xFFFFFFFFU) return false;  // 32 or more host characters
  finish_host_scan(text, valid, static_cast<std::uint32_t>(_mm256_movemask_epi8(is_alpha)),
                   static_cast<std::uint32_t>(_mm256_movemask_epi8(is_dot)),
                   static_cast<std::uint32_t>(_mm256_movemask_epi8(is_hyphen)), out);
  return true;
}

// A view shorter than 16 bytes, from a zero-padded copy as in the SSE2 path
// (and with its null data() caveat). Out of line: the 32-byte aligned buffer
// gave every call of scan_host_avx2 a realigned stack frame (profiled).
[[gnu::noinline]] __attribute__((target("avx2"))) bool scan_short_host_avx2(std::string_view text,
                                                                            HostScan& out) noexcept {
  alignas(32) std::array<char, 32> buf{};
  if (!text.empty()) std::memcpy(buf.data(), text.data(), text.size());
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the SIMD load API
  return scan_host_block_avx2(_mm256_load_si256(reinterpret_cast<const __m256i*>(buf.data())), text, out);
}

}  // namespace

// The SSE2 path's masks from one 32-byte block (profiled: the second 16-byte
// block and merging its masks were half of a host scan, and most hosts,
// "atlanta.example.com", are 16 to 31 characters). A view of 16 to 31 bytes
// is read as its first 16 bytes and its last 16 shifted down into place,
// zero-filled after the end: never a read outside the view.
__attribute__((target("avx2"))) bool scan_host_avx2(std::string_view text, HostScan& out) noexcept {
  const std::size_t n = text.size();
  if (n < 16) return scan_short_host_avx2(text, out);
  // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): the SIMD load API
  if (n >= 32)
    return scan_host_block_avx2(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data())), text, out);
  const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data()));
  const __m128i tail = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + n - 16));
  const __m128i shift = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kShiftDown.data() + (32 - n)));
  // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
  return scan_host_block_avx2(_mm256_inserti128_si256(_mm256_castsi128_si256(low), _mm_shuffle_epi8(tail, shift), 1),
                              text, out);
}
#endif

}  // namespace detail
#endif

HostScan scan_host(std::string_view text) noexcept {
  return detail::scan_host_inline(text);
}

HostKind classify_host(std::string_view host) noexcept {
  const HostScan scan = scan_host(host);
  return scan.length == host.size() ? scan.kind : HostKind::None;
}

std::string_view Uri::host_address() const noexcept {
  if (host_kind == HostKind::IPv6) return host.substr(1, host.size() - 2);
  return host;
}

Parsed<Uri> parse_uri(std::string_view text) {
  return parse_in_place<Uri>([text](Uri& uri) { return parse_uri_into(text, uri); });
}

namespace {

// "sip:" in any letter case, as one 4-byte compare: OR-ing 0x20 into the
// three letters folds exactly their case (a byte ORed with 0x20 equals 's'
// only for 'S' and 's'); the colon compares as it is. A per-character
// case-insensitive compare of the four bytes cost four table lookups.
bool starts_with_sip_colon(std::string_view text) noexcept {
  std::uint32_t head = 0;
  std::memcpy(&head, text.data(), sizeof head);  // callers check text.size() > 4
  std::uint32_t sip = 0;
  std::memcpy(&sip, "sip:", sizeof sip);
  std::uint32_t letters = 0;
  std::memcpy(&letters, "\x20\x20\x20\x00", sizeof letters);
  return (head | letters) == sip;
}

// Every scheme but the common "sip:" spelling. Returns the result for a URI
// that is not sip/sips, or nullopt with the scheme set and `rest` after the
// colon for parse_sip_uri.
[[gnu::noinline]] std::optional<Parsed<void>> parse_scheme(std::string_view text, Uri& uri, std::string_view& rest) {
  const std::size_t colon = detail::find_char(text, ':');
  if (colon == std::string_view::npos || !is_scheme(text.substr(0, colon))) {
    return syntax_error("URI without scheme: " + detail::printable_excerpt(text));
  }
  uri.scheme_name = text.substr(0, colon);
  rest = text.substr(colon + 1);
  if (ascii::iequals(uri.scheme_name, "sip")) {
    uri.scheme = UriScheme::Sip;
    return std::nullopt;
  }
  if (ascii::iequals(uri.scheme_name, "sips")) {
    uri.scheme = UriScheme::Sips;
    return std::nullopt;
  }
  if (ascii::iequals(uri.scheme_name, "tel")) {
    uri.scheme = UriScheme::Tel;
    return parse_tel_uri(uri, rest);
  }
  uri.scheme = UriScheme::Other;
  if (rest.empty()) return syntax_error("empty URI after scheme");
  for (char c : rest) {
    if (!is(c, detail::kUriOpaque)) return syntax_error("unexpected " + detail::describe_char(c) + " in URI");
  }
  uri.opaque = rest;
  return Parsed<void>{};
}

}  // namespace

Parsed<void> parse_uri_into(std::string_view text, Uri& uri) {
  uri.text = text;
  std::string_view rest;
  // Most URIs are sip: ones; recognise those without the general scheme scan.
  if (text.size() > 4 && starts_with_sip_colon(text)) {
    uri.scheme_name = text.substr(0, 3);
    uri.scheme = UriScheme::Sip;
    rest = text.substr(4);
  } else if (auto other = parse_scheme(text, uri, rest)) {
    return std::move(*other);
  }
  // One call of parse_sip_uri, inlined here (with three calls it stayed out
  // of line: a call and a second frame per URI, profiled).
  return parse_sip_uri(uri, rest);
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && ascii::is_hex(text[i + 1]) && ascii::is_hex(text[i + 2])) {
      out += static_cast<char>(ascii::hex_value(text[i + 1]) * 16 + ascii::hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool uri_equivalent(const Uri& a, const Uri& b) {
  if (a.scheme != b.scheme) return false;
  if (!a.is_sip()) {
    if (a.scheme == UriScheme::Tel) {
      return tel_number_key(a.user) == tel_number_key(b.user) && tel_params_equivalent(a.params, b.params);
    }
    return ascii::iequals(a.scheme_name, b.scheme_name) && a.opaque == b.opaque;
  }
  if (unescape(a.user) != unescape(b.user)) return false;
  if (a.has_password != b.has_password || unescape(a.password) != unescape(b.password)) return false;
  if (!hosts_equivalent(a, b)) return false;
  // An explicit default port is not the same as no port (§19.1.4).
  if (a.port != b.port) return false;
  if (!params_equivalent(a.params, b.params) || !params_equivalent(b.params, a.params)) return false;
  return header_set(a.headers) == header_set(b.headers);
}

}  // namespace voxgate::sip
