#pragma once
// DTMF digits carried in the body of a SIP INFO (RFC 6086 §9, "legacy INFO
// usage": no Info Package names them, and no RFC defines the bodies). Two
// bodies are common in the field:
//
//   application/dtmf-relay   "Signal=5\r\nDuration=160\r\n": key=value lines,
//                            keys in any case, blanks around '=', CRLF, LF or
//                            CR line ends; Duration (ms) optional; unknown
//                            keys ignored
//   application/dtmf         "5": the digit alone, or its event number
//
// A signal is one of 0-9 * # A-D (a-d too), or its RFC 4733 §3.2 event number
// 10-15 (* # A B C D), which some gateways send instead. Both parsers read
// only the view they are given, refuse bodies over kMaxDtmfBodyBytes before
// reading them, never throw, and return what is wrong as a value.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tl/expected.hpp>

namespace voxgate::sip {

// Real bodies are about 30 bytes; anything far longer is not one, and is
// refused before it costs more than a length check.
inline constexpr std::size_t kMaxDtmfBodyBytes = 512;

// When the body gives no Duration (application/dtmf never does): a typical
// key press, and well above the 40 ms a tone detector needs (ITU-T Q.24).
inline constexpr std::uint32_t kDefaultDtmfDurationMs = 250;

// A longer Duration is no key press but a broken or hostile sender.
inline constexpr std::uint32_t kMaxDtmfDurationMs = 60'000;

struct DtmfDigit {
  char digit = '0';  // '0'-'9', '*', '#', 'A'-'D' (always upper case)
  std::uint32_t duration_ms = kDefaultDtmfDurationMs;
};

enum class DtmfBodyError : std::uint8_t {
  TooLarge,       // over kMaxDtmfBodyBytes
  MalformedLine,  // dtmf-relay: a non-blank line without "key=" before its value
  DuplicateKey,   // dtmf-relay: Signal or Duration given twice
  MissingSignal,  // no Signal line, or an empty application/dtmf body
  BadSignal,      // not a DTMF digit nor its event number 0-15
  BadDuration,    // not a decimal count of milliseconds up to kMaxDtmfDurationMs
};

// Precise and printable: the reason phrase of the 400 that refuses the INFO.
std::string_view reason_phrase(DtmfBodyError error) noexcept;

using DtmfParsed = tl::expected<DtmfDigit, DtmfBodyError>;

// The body of an INFO with Content-Type application/dtmf-relay.
DtmfParsed parse_dtmf_relay(std::string_view body) noexcept;

// The body of an INFO with Content-Type application/dtmf; the duration is
// kDefaultDtmfDurationMs.
DtmfParsed parse_dtmf(std::string_view body) noexcept;

}  // namespace voxgate::sip
