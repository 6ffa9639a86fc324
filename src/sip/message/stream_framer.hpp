#pragma once
// Finds message boundaries in a byte stream (TCP, TLS, RFC 3261 §18.3): the
// header section ends at the first empty line, and Content-Length, which is
// mandatory on streams, gives the body. Anything that cannot be framed is a
// FramingError after which the connection must be closed: there is no way to
// find the next message.
//
// CRLF keep-alives (RFC 5626 §3.5.1) between messages are reported as frames
// so the transport can answer a ping ("\r\n\r\n") with a pong ("\r\n").

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "sip/message/parser.hpp"

namespace voxgate::sip {

enum class FrameKind : std::uint8_t { Message, KeepAlivePing, KeepAlivePong };

struct Frame {
  FrameKind kind = FrameKind::Message;
  std::string bytes;  // the whole message, ready for parse_message(..., Stream)
};

struct FramingError {
  std::string reason;
};

class StreamFramer {
 public:
  explicit StreamFramer(ParseLimits limits = {});

  // Receive without an intermediate copy: read up to n bytes into prepare(n),
  // then commit() the number actually read.
  std::span<char> prepare(std::size_t n);
  void commit(std::size_t n);
  void feed(std::string_view bytes);

  // The next complete frame, nullopt when more bytes are needed, or an error
  // (which sticks: every later call returns it too).
  tl::expected<std::optional<Frame>, FramingError> next();

  [[nodiscard]] std::size_t buffered() const noexcept { return end_ - begin_; }

 private:
  tl::unexpected<FramingError> fail(std::string reason);
  // Length of the header section (through the empty line) of the message at
  // begin_, or 0 when it is not complete yet.
  std::size_t find_header_end();
  tl::expected<std::size_t, FramingError> content_length(std::string_view header_section) const;

  ParseLimits limits_;
  std::string buffer_;
  std::size_t begin_ = 0;          // first unconsumed byte
  std::size_t end_ = 0;            // one past the last received byte
  std::size_t scan_ = 0;           // where the search for the empty line resumes
  std::size_t pending_total_ = 0;  // size of the framed message awaiting its body
  std::optional<FramingError> error_;
};

}  // namespace voxgate::sip
