#pragma once
// The paths of scan_host() (uri.hpp), declared for the tests that hold each
// of them to the same results: the scalar scan, and on x86-64 the SSE2 and
// AVX2 ones, which return false when the host may be longer than the 32
// characters they look at (the scalar scan then decides). And scan_host()
// inline, for the parsers of this module.

#include <string_view>

#include "sip/message/detail/cpu.hpp"
#include "sip/message/uri.hpp"

namespace voxgate::sip::detail {

HostScan scan_host_scalar(std::string_view text) noexcept;
#if defined(__SSE2__)
bool scan_host_sse2(std::string_view text, HostScan& out) noexcept;
#endif
#if defined(VOXGATE_SIP_AVX2_DISPATCH)
// Only where cpu_has_avx2. The attribute is part of the declaration: in C++
// a function declared with and without a target attribute would be two
// versions of it (function multiversioning).
__attribute__((target("avx2"))) bool scan_host_avx2(std::string_view text, HostScan& out) noexcept;
#endif

// scan_host() itself, inline for this module's parsers: one call (the
// chosen path) per host instead of two (profiled: the second call and frame
// were a sixth of an AVX2 host scan).
inline HostScan scan_host_inline(std::string_view text) noexcept {
#if defined(__SSE2__)
  if (text.empty() || text.front() != '[') {
    HostScan fast;
#if defined(VOXGATE_SIP_AVX2_DISPATCH)
    if (cpu_has_avx2 ? scan_host_avx2(text, fast) : scan_host_sse2(text, fast)) return fast;
#else
    if (scan_host_sse2(text, fast)) return fast;
#endif
  }
#endif
  return scan_host_scalar(text);
}

}  // namespace voxgate::sip::detail
