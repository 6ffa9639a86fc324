#pragma once
// The randomised tests' generator: a linear congruential generator with
// Numerical Recipes' constants, the upper 24 bits returned. Deterministic on
// every run and platform (std::uniform_int_distribution is not across
// standard libraries), so a failing input reproduces from its seed.

#include <cstdint>

namespace voxgate::test {

class TestRandom {
 public:
  explicit TestRandom(std::uint32_t seed) noexcept : state_(seed) {}

  std::uint32_t operator()() noexcept {
    state_ = state_ * 1664525U + 1013904223U;
    return state_ >> 8;
  }

 private:
  std::uint32_t state_;
};

}  // namespace voxgate::test
