#pragma once
// The paths of parse_call_id()'s character test (scalar_headers.hpp),
// declared for the tests that hold each of them to the same results: the
// scalar test, and on x86-64 the SSE2 one (16 bytes or more) and the AVX2
// one (any length; under 32 bytes it is the SSE2 one, under 16 the scalar).

#include <string_view>

#include "sip/message/detail/cpu.hpp"

namespace voxgate::sip::detail {

bool is_call_id_scalar(std::string_view text) noexcept;
#if defined(__SSE2__)
bool is_call_id_sse2(std::string_view text) noexcept;
#endif
#if defined(VOXGATE_SIP_AVX2_DISPATCH)
// Only where cpu_has_avx2. The attribute is part of the declaration: in C++
// a function declared with and without a target attribute would be two
// versions of it (function multiversioning).
__attribute__((target("avx2"))) bool is_call_id_avx2(std::string_view text) noexcept;
#endif

}  // namespace voxgate::sip::detail
