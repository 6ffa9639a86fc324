#pragma once
// RFC 3261 §14.1: how long a UAC waits before retrying a re-INVITE the peer
// answered 491 (Request Pending: the two sides' offers crossed). The owner
// of the Call-ID (the side that sent the dialog's initial INVITE) waits
// longer, so the two retries do not cross again:
//   - owner:     a random time between 2.1 and 4 s, in units of 10 ms;
//   - not owner: a random time between 0 and 2 s, in units of 10 ms.
// A pure function of the random bits, so the layer's injected source
// decides it and tests can check the bounds.

#include <chrono>
#include <cstdint>

namespace voxgate::sip {

inline constexpr std::chrono::milliseconds kGlareOwnerMin{2100};
inline constexpr std::chrono::milliseconds kGlareOwnerMax{4000};
inline constexpr std::chrono::milliseconds kGlareOtherMax{2000};
inline constexpr std::chrono::milliseconds kGlareUnit{10};

// `we_own_call_id`: we sent the dialog's initial INVITE (we are its UAC).
std::chrono::milliseconds glare_retry_delay(bool we_own_call_id, std::uint64_t random_bits) noexcept;

}  // namespace voxgate::sip
