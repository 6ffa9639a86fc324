#include "sip/message/dtmf_relay.hpp"

#include <optional>

#include "base/ascii.hpp"

namespace voxgate::sip {

namespace {

constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

constexpr bool is_blank_or_line_end(char c) noexcept {
  return is_blank(c) || c == '\r' || c == '\n';
}

template <class Pred>
std::string_view trim(std::string_view s, Pred is_space) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A digit as itself, or as its RFC 4733 §3.2 event number: 0-9 are the
// digits either way, 10-15 are * # A B C D.
std::optional<char> signal_of(std::string_view value) noexcept {
  if (value.size() == 1) {
    const char c = value[0];
    if (ascii::is_digit(c) || c == '*' || c == '#') return c;
    const char upper = ascii::to_upper(c);
    if (upper >= 'A' && upper <= 'D') return upper;
    return std::nullopt;
  }
  constexpr std::string_view kEvents10To15 = "*#ABCD";
  if (value.size() == 2 && value[0] == '1' && value[1] >= '0' && value[1] <= '5') {
    return kEvents10To15[static_cast<std::size_t>(value[1] - '0')];
  }
  return std::nullopt;
}

// Decimal milliseconds up to kMaxDtmfDurationMs; stops at the first digit
// beyond it, so no length of digits can overflow.
std::optional<std::uint32_t> duration_of(std::string_view value) noexcept {
  if (value.empty()) return std::nullopt;
  std::uint32_t ms = 0;
  for (const char c : value) {
    if (!ascii::is_digit(c)) return std::nullopt;
    ms = ms * 10 + static_cast<std::uint32_t>(c - '0');
    if (ms > kMaxDtmfDurationMs) return std::nullopt;
  }
  return ms;
}

}  // namespace

std::string_view reason_phrase(DtmfBodyError error) noexcept {
  switch (error) {
    case DtmfBodyError::TooLarge: return "DTMF Body Too Large";
    case DtmfBodyError::MalformedLine: return "Malformed Line in DTMF Body";
    case DtmfBodyError::DuplicateKey: return "Repeated Key in DTMF Body";
    case DtmfBodyError::MissingSignal: return "Missing DTMF Signal";
    case DtmfBodyError::BadSignal: return "Bad DTMF Signal";
    case DtmfBodyError::BadDuration: return "Bad DTMF Duration";
  }
  return "Bad DTMF Body";
}

DtmfParsed parse_dtmf_relay(std::string_view body) noexcept {
  if (body.size() > kMaxDtmfBodyBytes) return tl::unexpected(DtmfBodyError::TooLarge);
  std::optional<char> signal;
  std::optional<std::uint32_t> duration;
  // Senders end lines with CRLF, LF or (rarely) CR: any of them ends a line,
  // and the empty "lines" between the two bytes of a CRLF are skipped as blank.
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = trim(body.substr(pos, end - pos), is_blank);
    pos = end + 1;
    if (line.empty()) continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) return tl::unexpected(DtmfBodyError::MalformedLine);
    const std::string_view key = trim(line.substr(0, eq), is_blank);
    const std::string_view value = trim(line.substr(eq + 1), is_blank);
    if (ascii::iequals(key, "Signal")) {
      if (signal) return tl::unexpected(DtmfBodyError::DuplicateKey);
      signal = signal_of(value);
      if (!signal) return tl::unexpected(DtmfBodyError::BadSignal);
    } else if (ascii::iequals(key, "Duration")) {
      if (duration) return tl::unexpected(DtmfBodyError::DuplicateKey);
      duration = duration_of(value);
      if (!duration) return tl::unexpected(DtmfBodyError::BadDuration);
    }
    // Any other key is no business of ours: nothing defines the format, and
    // refusing what we do not need would lose the digit.
  }
  if (!signal) return tl::unexpected(DtmfBodyError::MissingSignal);
  return DtmfDigit{*signal, duration.value_or(kDefaultDtmfDurationMs)};
}

DtmfParsed parse_dtmf(std::string_view body) noexcept {
  if (body.size() > kMaxDtmfBodyBytes) return tl::unexpected(DtmfBodyError::TooLarge);
  const std::string_view value = trim(body, is_blank_or_line_end);
  if (value.empty()) return tl::unexpected(DtmfBodyError::MissingSignal);
  const std::optional<char> signal = signal_of(value);
  if (!signal) return tl::unexpected(DtmfBodyError::BadSignal);
  return DtmfDigit{*signal, kDefaultDtmfDurationMs};
}

}  // namespace voxgate::sip
