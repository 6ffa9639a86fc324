#pragma once
// The error of a typed parse: what is wrong, in words fit for a 400 reason
// phrase ("Bad Via: port out of range"). Typed values are parsed on demand,
// so a message can be accepted while a header nobody asks about is broken.

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace voxgate::sip {

struct SyntaxError {
  std::string reason;
};

template <class T>
using Parsed = tl::expected<T, SyntaxError>;

// Runs an in-place parser `into(T&)` on a value constructed in the returned
// Parsed<T> itself, so a large value (a Uri, a NameAddr) is never moved.
template <class T, class Into>
Parsed<T> parse_in_place(Into&& into) {
  Parsed<T> result;
  if (Parsed<void> ok = into(*result); !ok) result = tl::unexpected(std::move(ok.error()));
  return result;  // NRVO
}

inline tl::unexpected<SyntaxError> syntax_error(std::string reason) {
  return tl::unexpected<SyntaxError>(SyntaxError{std::move(reason)});
}

// The same for a fixed reason (a string literal), out of line and marked
// cold: a std::string built from the literal at each `return
// syntax_error("...")` of a parser gave the parser a larger stack frame and
// more saved registers on every call, the valid ones included (profiled).
[[gnu::cold, gnu::noinline]] inline tl::unexpected<SyntaxError> syntax_error(const char* reason) {
  return tl::unexpected<SyntaxError>(SyntaxError{std::string(reason)});
}

}  // namespace voxgate::sip
