#pragma once
// Wire bytes -> Message (RFC 3261 §7, §18.3). Parsing is structural: start
// line, header fields, body framing. Typed values are checked by
// validate_message() (the mandatory ones) or on demand (the rest).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "sip/message/message.hpp"
#include "sip/message/parse_error.hpp"

namespace voxgate::sip {

struct ParseLimits {
  std::size_t max_message_bytes = 65535;  // the largest UDP payload; raise for TCP bodies
  std::size_t max_headers = 256;
  std::size_t max_line_bytes = 8192;  // one header line, folded continuation included
};

enum class Framing : std::uint8_t {
  Datagram,  // UDP: the message is the datagram; Content-Length optional (§18.3)
  Stream,    // TCP/TLS: the framer delimited it; Content-Length mandatory
};

struct ParseOptions {
  Framing framing = Framing::Datagram;
  ParseLimits limits;
};

struct ParseFailure {
  ParseError error;
  // For a request that can be answered (error.respond()), what could be
  // parsed of it, enough to build the response with make_response().
  std::optional<Message> request;
};

using ParseResult = tl::expected<Message, ParseFailure>;

// Takes ownership of the bytes: nothing is copied.
ParseResult parse_message(std::string bytes, const ParseOptions& options = {});
ParseResult parse_message(std::string_view bytes, const ParseOptions& options = {});
inline ParseResult parse_message(const char* bytes, const ParseOptions& options = {}) {
  return parse_message(std::string_view(bytes), options);
}

}  // namespace voxgate::sip
