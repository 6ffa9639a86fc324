#pragma once
// What every fuzz target shares, whatever layer it drives: FUZZ_CHECK, and a
// sink that reads cannot be optimised away from.

#include <cstdint>

#include "base/result.hpp"

// Invariant violations stop the fuzzer with a crash it records as an artifact.
#define FUZZ_CHECK(cond) \
  do {                   \
    if (!(cond)) {       \
      __builtin_trap();  \
    }                    \
  } while (false)

namespace voxgate::fuzz {

// A parser's result is either a value or a refusal the caller can show:
// InvalidArgument with a message (what the API and check-config answer),
// never another code or an empty message.
template <class T>
bool refused_properly(const voxgate::Result<T>& result) {
  return result || (result.error().code == voxgate::Errc::InvalidArgument && !result.error().message.empty());
}

// Where touched bytes are folded in.
inline volatile std::uint64_t g_sink = 0;

inline void sink(std::uint64_t v) {
  g_sink = g_sink + v;
}

}  // namespace voxgate::fuzz
