#pragma once
// Character classes of the SIP grammar (RFC 3261 §25.1), as one lookup table
// so each test is a load and a mask.

#include <array>
#include <cstdint>

namespace voxgate::sip::detail {

enum CharClass : std::uint16_t {
  kToken = 1 << 0,       // token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
  kUnreserved = 1 << 1,  // alphanum / mark
  kUser = 1 << 2,        // unreserved / user-unreserved (escapes handled separately)
  kPassword = 1 << 3,    // unreserved / "&" / "=" / "+" / "$" / ","
  kParam = 1 << 4,       // paramchar: param-unreserved / unreserved
  kHeader = 1 << 5,      // hname/hvalue chars: hnv-unreserved / unreserved
  kWord = 1 << 6,        // word (Call-ID)
  kHost = 1 << 7,        // hostname / IPv4 characters
  kDigit = 1 << 8,
  kWs = 1 << 9,          // SP / HTAB / CR / LF (LWS once folding is undone)
  kGenValue = 1 << 10,   // unquoted generic-param value: token / host (incl. IPv6 reference)
  kUriOpaque = 1 << 11,  // characters allowed in an absolute URI of an unknown scheme
  kCallId = 1 << 12,     // word / "@": the characters of a Call-ID
};

namespace charset_detail {

constexpr bool in(char c, const char* set) {
  for (; *set != '\0'; ++set) {
    if (*set == c) return true;
  }
  return false;
}

constexpr std::array<std::uint16_t, 256> build() {
  std::array<std::uint16_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    const bool mark = in(c, "-_.!~*'()");
    const bool unreserved = alnum || mark;
    std::uint16_t v = 0;
    if (alnum || in(c, "-.!%*_+`'~")) v |= kToken;
    if (unreserved) v |= kUnreserved;
    if (unreserved || in(c, "&=+$,;?/")) v |= kUser;
    if (unreserved || in(c, "&=+$,")) v |= kPassword;
    if (unreserved || in(c, "[]/:&+$")) v |= kParam;
    if (unreserved || in(c, "[]/?:+$")) v |= kHeader;
    if (alnum || in(c, "-.!%*_+`'~()<>:\\\"/[]?{}")) v |= kWord | kCallId;
    if (c == '@') v |= kCallId;
    if (alnum || in(c, "-.")) v |= kHost;
    if (c >= '0' && c <= '9') v |= kDigit;
    if (in(c, " \t\r\n")) v |= kWs;
    if ((v & kToken) != 0 || in(c, ":[]")) v |= kGenValue;
    if (i > 0x20 && i < 0x7f && !in(c, "<>\"")) v |= kUriOpaque;
    t[static_cast<std::size_t>(i)] = v;
  }
  return t;
}

inline constexpr std::array<std::uint16_t, 256> kTable = build();

}  // namespace charset_detail

constexpr bool is(char c, std::uint16_t classes) noexcept {
  return (charset_detail::kTable[static_cast<unsigned char>(c)] & classes) != 0;
}

// SP, HTAB, CR and LF are all at or below SP: a byte above it (as unsigned),
// which is what a scan mostly meets, is told apart with one compare, without
// the table lookup (profiled).
constexpr bool is_ws(char c) noexcept {
  return static_cast<unsigned char>(c) <= ' ' && is(c, kWs);
}

}  // namespace voxgate::sip::detail
