#pragma once
// Wording helpers for error reasons. Reasons go into 400 reason phrases, so
// they must stay printable ASCII whatever bytes the peer sent.

#include <string>
#include <string_view>

namespace voxgate::sip::detail {

// "'x'" for printable characters, "0xHH" for anything else.
std::string describe_char(char c);

// Up to `max` bytes of `text`, non-printable bytes as '?', for quoting input.
std::string printable_excerpt(std::string_view text, std::size_t max = 32);

}  // namespace voxgate::sip::detail
