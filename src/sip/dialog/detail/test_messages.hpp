#pragma once
// For this module's tests only: messages written readably in the test
// source (LF line ends, no Content-Length to keep right) turned into parsed
// Messages, as a peer would have sent them.

#include <string>
#include <string_view>

#include "sip/message/message.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::sip::dialog_detail {

// LF -> CRLF in the header section, Content-Length set to the body's size.
inline std::string wire_text(std::string_view text) {
  const std::size_t blank = text.find("\n\n");
  const std::string_view head = blank == std::string_view::npos ? text : text.substr(0, blank + 1);
  const std::string_view body = blank == std::string_view::npos ? std::string_view{} : text.substr(blank + 2);
  std::string out;
  for (char c : head) {
    if (c == '\n') out += '\r';
    out += c;
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

inline Message sip_message(std::string_view text) {
  return test::parse_ok(wire_text(text));
}

// The message as the peer receives it: serialized and parsed back.
inline Message round_trip(const Message& message) {
  return test::parse_ok(message.serialize());
}

}  // namespace voxgate::sip::dialog_detail
