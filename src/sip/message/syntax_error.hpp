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

inline tl::unexpected<SyntaxError> syntax_error(std::string reason) {
  return tl::unexpected<SyntaxError>(SyntaxError{std::move(reason)});
}

}  // namespace voxgate::sip
