#pragma once
// What a UAS must do with a message it could not accept (RFC 3261 §8.2,
// §16.3, §18.3, §21.5.14; RFC 4475 §3 for the cases): answer a request it can
// identify with the status here and the reason as the reason phrase, or drop
// what cannot be answered (every bad response, and bytes that are not a SIP
// request at all).

#include <cstdint>
#include <string>
#include <string_view>

namespace voxgate::sip {

enum class ParseErrorCode : std::uint8_t {
  Empty,                  // no bytes, or only CRLFs
  NotSip,                 // the start line is neither a SIP request nor response
  MalformedStartLine,     // request/status line broken (extra SP, trailing SP, bad method)
  UnsupportedVersion,     // SIP/x.y other than 2.0 -> 505
  MalformedRequestUri,    // Request-URI does not parse, or carries headers
  MalformedHeader,        // a header line without "name:" or with a bad name
  HeaderLineTooLong,      // a header line over ParseLimits::max_line_bytes
  TooManyHeaders,         // more fields than ParseLimits::max_headers
  MessageTooLarge,        // over ParseLimits::max_message_bytes -> 513
  BadContentLength,       // not a number, negative, too large
  MultipleContentLength,  // Content-Length given twice (RFC 4475 §3.3.9 mcl01)
  MissingContentLength,   // stream transports require it (§18.3)
  BodyTruncated,          // Content-Length larger than the bytes received (§18.3)
  MissingHeader,          // a mandatory header is absent (§8.1.1, RFC 4475 §3.3.1)
  DuplicateHeader,        // a single-valued header given more than once (RFC 4475 §3.3.8)
  BadHeaderValue,         // a mandatory header does not parse
  CSeqMethodMismatch,     // CSeq method differs from the request method (RFC 4475 §3.1.2.17)
};

std::string_view to_string(ParseErrorCode code) noexcept;

struct ParseError {
  ParseErrorCode code = ParseErrorCode::Empty;
  // The status to answer with (400, 505, 513), or 0 to drop silently.
  std::uint16_t status = 0;
  // Precise and printable; for a response, the reason phrase.
  std::string reason;

  [[nodiscard]] bool respond() const noexcept { return status != 0; }
};

}  // namespace voxgate::sip
