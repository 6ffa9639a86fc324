#include "sip/message/parse_error.hpp"

namespace voxgate::sip {

std::string_view to_string(ParseErrorCode code) noexcept {
  switch (code) {
    case ParseErrorCode::Empty: return "empty";
    case ParseErrorCode::NotSip: return "not-sip";
    case ParseErrorCode::MalformedStartLine: return "malformed-start-line";
    case ParseErrorCode::UnsupportedVersion: return "unsupported-version";
    case ParseErrorCode::MalformedRequestUri: return "malformed-request-uri";
    case ParseErrorCode::MalformedHeader: return "malformed-header";
    case ParseErrorCode::HeaderLineTooLong: return "header-line-too-long";
    case ParseErrorCode::TooManyHeaders: return "too-many-headers";
    case ParseErrorCode::MessageTooLarge: return "message-too-large";
    case ParseErrorCode::BadContentLength: return "bad-content-length";
    case ParseErrorCode::MultipleContentLength: return "multiple-content-length";
    case ParseErrorCode::MissingContentLength: return "missing-content-length";
    case ParseErrorCode::BodyTruncated: return "body-truncated";
    case ParseErrorCode::MissingHeader: return "missing-header";
    case ParseErrorCode::DuplicateHeader: return "duplicate-header";
    case ParseErrorCode::BadHeaderValue: return "bad-header-value";
    case ParseErrorCode::CSeqMethodMismatch: return "cseq-method-mismatch";
  }
  return "unknown";
}

}  // namespace voxgate::sip
