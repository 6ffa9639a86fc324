#pragma once
// What the CPU running the parser offers beyond x86-64's baseline (SSE2),
// decided once at start-up, for the few scans that have an AVX2 path
// (32 bytes a step). The build targets the baseline, so every AVX2 function
// carries __attribute__((target("avx2"))) and is called only when this flag
// says the CPU has it; otherwise the SSE2 path runs.

namespace voxgate::sip::detail {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VOXGATE_SIP_AVX2_DISPATCH 1
// Set by a static initializer (cpu.cpp). Code running before it (another
// static initializer) reads false and takes the SSE2 path: slower, the same
// results.
extern const bool cpu_has_avx2;
#endif

}  // namespace voxgate::sip::detail
