#pragma once
// SmallVector<T, N>: Boost's small_vector (N elements inline, heap beyond).
// Parsed values hold their parameters and header fields in one, so the
// common message parses without a heap allocation per value.
//
// Always include this header rather than Boost's: g++ 12 reports a false
// -Wstringop-overread inside small_vector's copy of inline storage (it cannot
// see that the inline path only runs when size <= N). The warning is turned
// off for Boost's header alone, where the false positive lives.

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#include <boost/container/small_vector.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <cstddef>

namespace voxgate {

template <class T, std::size_t N>
using SmallVector = boost::container::small_vector<T, N>;

}  // namespace voxgate
