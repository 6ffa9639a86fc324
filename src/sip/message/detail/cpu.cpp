#include "sip/message/detail/cpu.hpp"

namespace voxgate::sip::detail {

#if defined(VOXGATE_SIP_AVX2_DISPATCH)
// __builtin_cpu_init first: the CPU model data it fills is itself set by a
// static initializer, which may not have run yet (GCC's documentation).
const bool cpu_has_avx2 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}();
#endif

}  // namespace voxgate::sip::detail
