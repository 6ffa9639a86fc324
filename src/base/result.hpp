#pragma once
// Errors that callers are expected to handle travel as values (DEVELOPERS.md):
// Result<T> is tl::expected<T, Error>. Exceptions are reserved for bugs and
// start-up failures.

#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <tl/expected.hpp>

namespace voxgate {

// Broad categories a caller can branch on; the message says the specifics.
enum class Errc {
  InvalidArgument,  // the input is malformed or out of range
  NotFound,         // the thing asked for does not exist
  InvalidState,     // the operation is not allowed in the current state
  LimitExceeded,    // a configured limit would be exceeded
  Unsupported,      // valid, but not something we implement
  Timeout,          // the operation did not complete in time
  Io,               // the operating system refused (socket, file)
  Internal,         // an invariant broke; a bug
};

std::string_view to_string(Errc code) noexcept;

struct Error {
  Errc code;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> make_error(Errc code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

template <class... Args>
tl::unexpected<Error> make_error(Errc code, fmt::format_string<Args...> format, Args&&... args) {
  return tl::unexpected<Error>(Error{code, fmt::format(format, std::forward<Args>(args)...)});
}

}  // namespace voxgate

template <>
struct fmt::formatter<voxgate::Error> : fmt::formatter<std::string_view> {
  template <class Ctx>
  auto format(const voxgate::Error& e, Ctx& ctx) const {
    return fmt::format_to(ctx.out(), "{}: {}", voxgate::to_string(e.code), e.message);
  }
};
