#include "sip/dialog/glare.hpp"

namespace voxgate::sip {

std::chrono::milliseconds glare_retry_delay(bool we_own_call_id, std::uint64_t random_bits) noexcept {
  const std::chrono::milliseconds low = we_own_call_id ? kGlareOwnerMin : std::chrono::milliseconds{0};
  const std::chrono::milliseconds high = we_own_call_id ? kGlareOwnerMax : kGlareOtherMax;
  // Both ends included: (high - low) / unit + 1 steps of 10 ms.
  const auto steps = static_cast<std::uint64_t>((high - low) / kGlareUnit) + 1;
  return low + kGlareUnit * static_cast<std::int64_t>(random_bits % steps);
}

}  // namespace voxgate::sip
