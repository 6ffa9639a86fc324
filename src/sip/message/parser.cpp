#include "sip/message/parser.hpp"

#include <algorithm>
#include <cstring>

#include "base/ascii.hpp"
#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/describe.hpp"
#include "sip/message/detail/find.hpp"
#include "sip/message/detail/header_names.hpp"

namespace voxgate::sip {

namespace detail {

// One parse of one message. Records the first error and keeps going where it
// can, so that a request with a bad header still yields the Via/From/To/
// Call-ID/CSeq its 400 response must copy.
class MessageParser {
 public:
  // The message is parsed where parse_message() returns it: into the
  // Message of the ParseResult returned (NRVO), not moved there afterwards
  // (profiled: moving the message's fields and bytes, and the bytes a second
  // time into the parser, cost 130 instructions per INVITE).
  static ParseResult parse(std::string&& bytes, const ParseOptions& options) {
    ParseResult result(tl::in_place, ParserKey{});
    MessageParser(result, std::move(bytes), options).run();
    return result;
  }

 private:
  MessageParser(ParseResult& result, std::string&& bytes, const ParseOptions& options)
      : result_(result), message_(*result), options_(options) {
    message_.bytes_ = std::move(bytes);
  }

  // Leaves the message in result_, or stores the failure there.
  void run();

  void fail(ParseErrorCode code, std::uint16_t status, std::string reason) {
    if (error_) return;
    error_ = ParseError{code, message_.request_ ? status : std::uint16_t{0}, std::move(reason)};
  }
  [[nodiscard]] TextSpan span(std::size_t offset, std::size_t length) const noexcept {
    return TextSpan{static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(length)};
  }

  bool parse_start_line(std::string_view line, std::size_t offset);
  bool parse_status_line(std::string_view line, std::size_t offset);
  bool parse_request_line(std::string_view line, std::size_t offset);
  // Returns the offset where the body starts.
  std::size_t parse_headers(std::string_view bytes, std::size_t pos);
  void parse_body(std::string_view bytes, std::size_t body_start);

  ParseResult& result_;
  Message& message_;  // *result_ until run() stores a failure there
  const ParseOptions& options_;
  std::optional<ParseError> error_;
  std::size_t start_ = 0;                      // offset of the start line (after leading CRLFs)
  std::optional<std::size_t> content_length_;  // index into fields_
};

namespace {

constexpr std::string_view kSip20 = "SIP/2.0";

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT ("SIP" is case-insensitive).
bool looks_like_sip_version(std::string_view v) noexcept {
  if (!ascii::istarts_with(v, "SIP/")) return false;
  v.remove_prefix(4);
  const std::size_t dot = v.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == v.size()) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != dot && !ascii::is_digit(v[i])) return false;
  }
  return true;
}

bool is_sip20(std::string_view v) noexcept {
  return ascii::iequals(v, kSip20);
}

bool is_token(std::string_view s) noexcept {
  return !s.empty() && std::ranges::all_of(s, [](char c) { return is(c, kToken); });
}

// Position of the '\n' ending the line that starts at `pos`, or npos.
std::size_t find_newline(std::string_view bytes, std::size_t pos) noexcept {
  if (pos >= bytes.size()) return std::string_view::npos;
  return find_char(bytes, '\n', pos);
}

std::string_view strip_cr(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

bool MessageParser::parse_start_line(std::string_view line, std::size_t offset) {
  if (ascii::istarts_with(line, "SIP/")) {
    message_.request_ = false;
    return parse_status_line(line, offset);
  }
  message_.request_ = true;
  return parse_request_line(line, offset);
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2).
bool MessageParser::parse_status_line(std::string_view line, std::size_t offset) {
  const std::size_t sp = find_char(line, ' ');
  const std::string_view version = line.substr(0, sp);
  if (!looks_like_sip_version(version)) {
    fail(ParseErrorCode::NotSip, 0, "not a SIP status line");
    return false;
  }
  if (!is_sip20(version)) {
    fail(ParseErrorCode::UnsupportedVersion, 0, "unsupported SIP version in response");
    return false;
  }
  const std::string_view rest = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
  // Status-Code = 3DIGIT, 100..699, then SP (RFC 4475 §3.1.2.19 bigcode).
  if (rest.size() < 3 || !ascii::is_digit(rest[0]) || !ascii::is_digit(rest[1]) || !ascii::is_digit(rest[2]) ||
      (rest.size() > 3 && rest[3] != ' ')) {
    fail(ParseErrorCode::MalformedStartLine, 0, "status code is not three digits");
    return false;
  }
  const int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (code < 100 || code > 699) {
    fail(ParseErrorCode::MalformedStartLine, 0, "status code out of range");
    return false;
  }
  message_.status_ = static_cast<std::uint16_t>(code);
  // Reason-Phrase may be empty (RFC 4475 §3.1.1.13 noreason) and may hold
  // UTF-8 (§3.1.1.12 unreason); control characters other than HTAB may not.
  const std::size_t reason_at = rest.size() > 3 ? 4 : 3;
  const std::string_view reason = rest.substr(reason_at);
  for (char c : reason) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      fail(ParseErrorCode::MalformedStartLine, 0, "control character in reason phrase");
      return false;
    }
  }
  message_.reason_ = span(offset + sp + 1 + reason_at, reason.size());
  return true;
}

// Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly one SP
// between the elements and none at the end (RFC 4475 §3.1.2.7-§3.1.2.11).
bool MessageParser::parse_request_line(std::string_view line, std::size_t offset) {
  // Nearly every request line ends in exactly " SIP/2.0": recognise that at
  // once; anything else takes the general path that classifies it.
  constexpr std::string_view kSip20Suffix = " SIP/2.0";
  std::string_view trimmed = line;
  std::size_t last_sp = line.size() - kSip20Suffix.size();
  const bool common = line.size() > kSip20Suffix.size() && line.substr(last_sp) == kSip20Suffix;
  if (!common) {
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.remove_suffix(1);
    last_sp = trimmed.rfind(' ');
  }
  const std::size_t first_sp = find_char(trimmed, ' ');
  if (first_sp == std::string_view::npos || first_sp == last_sp ||
      (!common && !looks_like_sip_version(trimmed.substr(last_sp + 1)))) {
    fail(ParseErrorCode::NotSip, 0, "not a SIP request line");
    return false;
  }
  const std::string_view method = trimmed.substr(0, first_sp);
  message_.method_ = method_from_token(method);
  message_.method_text_ = span(offset, method.size());
  const std::size_t uri_offset = first_sp + 1;
  const std::string_view uri = trimmed.substr(uri_offset, last_sp - uri_offset);
  message_.request_uri_ = span(offset + uri_offset, uri.size());

  if (!common && !is_sip20(trimmed.substr(last_sp + 1))) {
    fail(ParseErrorCode::UnsupportedVersion, 505, "Version Not Supported");
    return true;  // still identifiable: parse on so the 505 can be built
  }
  if (!is_token(method)) {
    fail(ParseErrorCode::MalformedStartLine, 400, "Malformed Request-Line: invalid method");
    return true;
  }
  if (trimmed.size() != line.size()) {
    fail(ParseErrorCode::MalformedStartLine, 400, "Malformed Request-Line: trailing whitespace");
    return true;
  }
  // An SP here means the elements were separated by more than one SP; an
  // HTAB is caught by the URI parser below ("Bad Request-URI"), also a 400.
  if (uri.empty() || find_char(uri, ' ') != std::string_view::npos) {
    fail(ParseErrorCode::MalformedStartLine, 400, "Malformed Request-Line: extra whitespace");
    return true;
  }
  // Parsed into a local Uri (parse_uri_into): parse_uri() built it in a
  // Parsed<Uri> of its own, a second frame and result per request (profiled).
  Uri parsed;
  if (auto ok = parse_uri_into(uri, parsed); !ok) {
    fail(ParseErrorCode::MalformedRequestUri, 400, "Bad Request-URI: " + ok.error().reason);
  } else if (parsed.is_sip() && !parsed.headers.empty()) {
    // §19.1.1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
    fail(ParseErrorCode::MalformedRequestUri, 400, "Bad Request-URI: headers are not allowed");
  }
  return true;
}

std::size_t MessageParser::parse_headers(std::string_view bytes, std::size_t pos) {
  // The limits in locals: read through options_ they were reloaded on every
  // line, since the stores into the fields might change them (profiled).
  const std::size_t max_line_bytes = options_.limits.max_line_bytes;
  const std::size_t max_headers = options_.limits.max_headers;
  const char* const data = bytes.data();
  const std::size_t size = bytes.size();
  // A byte above SP (as unsigned) is none of SP, HTAB, CR and LF: one
  // compare settles the usual case of each whitespace test below (a line
  // that starts with a name, a line end with no fold after it, a name with
  // no whitespace before its colon), where the exact tests took two
  // compares each (profiled). is_ws() does the same for the value's trims.
  const auto above_sp = [](char c) { return static_cast<unsigned char>(c) > ' '; };
  while (pos < size) {
    if (!above_sp(data[pos])) {
      if (data[pos] == '\n') return pos + 1;
      if (data[pos] == '\r' && pos + 1 < size && data[pos + 1] == '\n') return pos + 2;
    }

    // header = name *( SP / HTAB ) ":" value. Neither a name nor that
    // whitespace holds a ':' or a '\n', so one search for either finds the
    // colon of a well-formed line (SSE2, instead of a scan per character of
    // the name); a '\n' first means the line has no colon. The same call
    // finds the first '\n' after the colon (find.hpp).
    std::size_t colon = size;
    std::size_t nl = 0;
    const bool has_colon = find_colon_and_newline(bytes, pos, colon, nl);

    // The logical line ends at a '\n' that no SP or HTAB follows (§7.3.1).
    while (nl != std::string_view::npos && nl + 1 < size && !above_sp(data[nl + 1]) &&
           (data[nl + 1] == ' ' || data[nl + 1] == '\t')) {
      nl = find_char(bytes, '\n', nl + 1);
    }
    const std::size_t next = nl == std::string_view::npos ? size : nl + 1;
    std::size_t line_end = nl == std::string_view::npos ? size : nl;
    if (line_end > pos && data[line_end - 1] == '\r') --line_end;

    if (line_end - pos > max_line_bytes) {
      fail(ParseErrorCode::HeaderLineTooLong, 400, "Header line too long");
      pos = next;
      continue;
    }
    // HCOLON = *( SP / HTAB ) ":" SWS: the name ends before that whitespace.
    std::size_t name_end = colon;
    while (name_end > pos && !above_sp(data[name_end - 1]) &&
           (data[name_end - 1] == ' ' || data[name_end - 1] == '\t')) {
      --name_end;
    }
    const std::string_view name(data + pos, name_end - pos);  // pos <= name_end <= size: no substr clamp
    // A name classified as known equals a known name up to letter case, so it
    // is a token already; only other names need checking character by character.
    const HeaderId id = has_colon ? header_names::classify_header_name(name) : HeaderId::Other;
    if (!has_colon || (id == HeaderId::Other && !is_token(name))) {
      fail(ParseErrorCode::MalformedHeader, 400,
           "Malformed header line: " + printable_excerpt(bytes.substr(pos, line_end - pos)));
      pos = next;
      continue;
    }
    std::size_t v_begin = colon + 1;
    std::size_t v_end = line_end;
    if (v_begin < v_end && data[v_begin] == ' ') ++v_begin;  // the usual one SP, without the table lookup
    while (v_begin < v_end && is_ws(data[v_begin])) ++v_begin;
    while (v_end > v_begin && is_ws(data[v_end - 1])) --v_end;

    if (message_.fields_.size() >= max_headers) {
      fail(ParseErrorCode::TooManyHeaders, 400, "Too many header fields");
      return size;
    }
    // Constructed in place: push_back(HeaderField{...}) assembled the field in
    // vector registers, stored it on the stack and copied it (profiled).
    HeaderField& field = message_.fields_.emplace_back();
    field.id = id;
    field.name = span(pos, name.size());
    field.value = span(v_begin, v_end - v_begin);
    if (id == HeaderId::ContentLength) {
      if (content_length_) fail(ParseErrorCode::MultipleContentLength, 400, "Multiple Content-Length headers");
      content_length_ = message_.fields_.size() - 1;
    }
    pos = next;
  }
  // Bytes ended without the empty line. Lenient for datagrams (the header
  // section is complete); a stream framer never hands such a message over.
  return size;
}

void MessageParser::parse_body(std::string_view bytes, std::size_t body_start) {
  const std::size_t available = bytes.size() - body_start;
  std::size_t body_length = available;
  if (content_length_) {
    const std::string_view v = message_.value(message_.fields_[*content_length_]);
    auto length = HeaderTraits<HeaderId::ContentLength>::parse(v);
    if (!length) {
      fail(ParseErrorCode::BadContentLength, 400, "Bad Content-Length header: " + length.error().reason);
      return;
    }
    if (*length > available) {
      // §18.3: a request gets 400, a response is discarded (RFC 4475 clerr).
      fail(ParseErrorCode::BodyTruncated, 400, "Content-Length larger than the message body");
      return;
    }
    // Extra datagram bytes after the body are ignored (RFC 4475 §3.1.1.8 dblreq).
    body_length = *length;
  } else if (options_.framing == Framing::Stream) {
    fail(ParseErrorCode::MissingContentLength, 400, "Missing Content-Length header");
    return;
  }
  message_.body_ = span(body_start, body_length);
  message_.wire_ = span(start_, body_start + body_length - start_);
}

void MessageParser::run() {
  std::string_view bytes = message_.bytes_;
  bool too_large = false;
  if (bytes.size() > options_.limits.max_message_bytes) {
    too_large = true;
    bytes = bytes.substr(0, options_.limits.max_message_bytes);  // enough to answer 513
  }
  // §7.5: CRLFs before the start line are ignored (keep-alives on streams).
  std::size_t pos = 0;
  while (pos < bytes.size() && (bytes[pos] == '\r' || bytes[pos] == '\n')) ++pos;
  start_ = pos;
  if (pos == bytes.size()) {
    message_.request_ = false;
    fail(ParseErrorCode::Empty, 0, "empty message");
    result_ = tl::unexpected(ParseFailure{std::move(*error_), std::nullopt});
    return;
  }
  const std::size_t nl = find_newline(bytes, pos);
  const std::size_t line_end = nl == std::string_view::npos ? bytes.size() : nl;
  const std::string_view line = strip_cr(bytes.substr(pos, line_end - pos));
  if (line.size() > options_.limits.max_line_bytes) {
    message_.request_ = false;
    fail(ParseErrorCode::MalformedStartLine, 0, "start line too long");
  } else if (parse_start_line(line, pos)) {
    // 513 (§21.5.7) before the headers: the cut may truncate a header line,
    // and that is no reason for a 400.
    if (too_large) fail(ParseErrorCode::MessageTooLarge, 513, "Message Too Large");
    const std::size_t body_start = parse_headers(bytes, nl == std::string_view::npos ? bytes.size() : nl + 1);
    if (!too_large) parse_body(bytes, body_start);
  }
  if (!error_) return;
  ParseFailure failure{std::move(*error_), std::nullopt};
  if (failure.error.respond()) failure.request = std::move(message_);
  result_ = tl::unexpected(std::move(failure));  // message_ refers to nothing from here on
}

}  // namespace detail

ParseResult parse_message(std::string bytes, const ParseOptions& options) {
  return detail::MessageParser::parse(std::move(bytes), options);
}

ParseResult parse_message(std::string_view bytes, const ParseOptions& options) {
  return parse_message(std::string(bytes), options);
}

}  // namespace voxgate::sip
