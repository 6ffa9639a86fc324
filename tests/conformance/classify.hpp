#pragma once
// What a UAS's message layer does with received bytes (RFC 3261 §8.2, §18.3;
// RFC 4475 §3): parse_message(), then validate_message(), reduced to one
// Verdict — accept the message, answer it with a status, or drop it — plus the
// helpers the conformance tests share to load the RFC messages and to assert
// on verdicts.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "sip/message/message.hpp"
#include "sip/message/parse_error.hpp"
#include "sip/message/parser.hpp"

namespace voxgate::sip {
// Readable gtest output for the enums the tests compare.
void PrintTo(ParseErrorCode code, std::ostream* os);  // NOLINT(readability-identifier-naming): gtest's name
}  // namespace voxgate::sip

namespace voxgate::conformance {

enum class Action : std::uint8_t { Accept, Respond, Drop };

struct Verdict {
  Action action = Action::Drop;
  std::uint16_t status = 0;                 // Respond: 400, 505 or 513
  std::optional<sip::ParseErrorCode> code;  // Respond, Drop: why
  std::string reason;                       // Respond: the reason phrase to answer with
  // Accept: the message. Respond: the request to build the answer from (the
  // partial request of a parse failure, or the whole request that failed
  // validation). Drop: whatever could be parsed, when anything could.
  std::optional<sip::Message> message;
};

std::ostream& operator<<(std::ostream& os, Action action);
std::ostream& operator<<(std::ostream& os, const Verdict& verdict);

Verdict classify(std::string bytes, sip::Framing framing = sip::Framing::Datagram);

// tests/conformance/messages/<suite>/ and the bytes of <suite>/<name>.sip.
std::filesystem::path messages_dir(std::string_view suite);
std::string load_message(std::string_view suite, std::string_view name);
Verdict classify_file(std::string_view suite, std::string_view name, sip::Framing framing = sip::Framing::Datagram);

// The verdict assertions, for EXPECT_TRUE / ASSERT_TRUE.
::testing::AssertionResult accepted(const Verdict& verdict);
::testing::AssertionResult responds(const Verdict& verdict, std::uint16_t status, sip::ParseErrorCode code);
::testing::AssertionResult drops(const Verdict& verdict, sip::ParseErrorCode code);

// For a Respond verdict: make_response() builds the answer from the request
// the verdict carries, the answer is itself a well-formed response with the
// verdict's status and reason, and it copies every Via, From, To (tagged when
// it had no tag), Call-ID and CSeq the request had (RFC 3261 §8.2.6.2).
::testing::AssertionResult answer_is_buildable(const Verdict& verdict);

// Binds `var` to the value of `expr` (a sip::Parsed<T>), failing the test
// with the parse error when there is none.
// NOLINTNEXTLINE(bugprone-macro-parentheses): `var` is a declarator, it cannot be parenthesized
#define ASSERT_PARSED(var, expr)                                                             \
  auto var##_parsed_ = (expr);                                                               \
  ASSERT_TRUE(var##_parsed_.has_value()) << "parse error: " << var##_parsed_.error().reason; \
  const auto& var = *var##_parsed_

// "ab" repeated n times, for the long values of RFC 4475 §3.1.1.7.
std::string repeat(std::string_view text, std::size_t n);

}  // namespace voxgate::conformance
