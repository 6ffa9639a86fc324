#pragma once
// Tags and Call-IDs (RFC 3261 §19.3, §8.1.1.4) from an injected source of
// randomness: production uses the operating system's generator, tests a
// deterministic one, and nothing reaches for a global rand().

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace voxgate::sip {

// 64 random bits per call. The same shape as the transaction layer's
// RandomSource, so one generator can feed both.
using RandomBits = std::function<std::uint64_t()>;

// The operating system's generator (getrandom on Linux, through
// std::random_device): §19.3 asks for tags that are globally unique and
// unguessable, and §8.1.1.4 for cryptographically random Call-IDs (RFC 4086).
// Each call makes a new generator; one per event loop, not thread-safe.
RandomBits system_random_bits();

// A tag: 64 random bits as 16 lowercase hex digits (§19.3 asks for at least
// 32 bits of randomness).
std::string make_tag(const RandomBits& random);

// A Call-ID: 128 random bits as 32 hex digits, with "@host" when `host` is
// given (§8.1.1.4, §20.8).
std::string make_call_id(const RandomBits& random, std::string_view host = {});

}  // namespace voxgate::sip
