#pragma once
// Test helpers for the SIP message layer (header-only: only SIP tests pull
// in SIP headers through it).

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "sip/message/parser.hpp"

namespace voxgate::test {

// Parses `text` as a datagram; on failure records a test failure with the
// reason and returns a placeholder request, so the test goes on and reports.
inline sip::Message parse_ok(std::string_view text) {
  auto parsed = sip::parse_message(text);
  if (!parsed) {
    ADD_FAILURE() << "parse failed: " << parsed.error().error.reason;
    return sip::Message::request("INVALID", "sip:invalid.invalid");
  }
  return std::move(*parsed);
}

// True when every byte is printable ASCII: what error reasons must be, since
// they become reason phrases whatever bytes the peer sent.
inline bool is_printable(std::string_view s) {
  return std::ranges::all_of(s, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

}  // namespace voxgate::test
