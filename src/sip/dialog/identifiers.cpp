#include "sip/dialog/identifiers.hpp"

#include <memory>
#include <random>

#include <fmt/format.h>

namespace voxgate::sip {

RandomBits system_random_bits() {
  // std::function copies its target; random_device cannot be copied.
  return [device = std::make_shared<std::random_device>()]() -> std::uint64_t {
    // random_device yields 32 bits per call.
    const auto high = static_cast<std::uint64_t>((*device)());
    const auto low = static_cast<std::uint64_t>((*device)());
    return (high << 32U) | (low & 0xFFFFFFFFULL);
  };
}

std::string make_tag(const RandomBits& random) {
  return fmt::format("{:016x}", random());
}

std::string make_call_id(const RandomBits& random, std::string_view host) {
  const std::uint64_t high = random();
  const std::uint64_t low = random();
  if (host.empty()) return fmt::format("{:016x}{:016x}", high, low);
  return fmt::format("{:016x}{:016x}@{}", high, low, host);
}

}  // namespace voxgate::sip
