#pragma once
// What every fuzz target shares, whatever layer it drives: FUZZ_CHECK, and a
// sink that reads cannot be optimised away from.

#include <cstdint>

// Invariant violations stop the fuzzer with a crash it records as an artifact.
#define FUZZ_CHECK(cond) \
  do {                   \
    if (!(cond)) {       \
      __builtin_trap();  \
    }                    \
  } while (false)

namespace voxgate::fuzz {

// Where touched bytes are folded in.
inline volatile std::uint64_t g_sink = 0;

inline void sink(std::uint64_t v) {
  g_sink = g_sink + v;
}

}  // namespace voxgate::fuzz
