#pragma once
// Date (RFC 3261 §20.17): an RFC 1123 date, always in GMT.

#include <chrono>
#include <string>
#include <string_view>

#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

using SipDate = std::chrono::sys_seconds;

// "Sat, 13 Nov 2010 23:29:00 GMT". Any zone but GMT is an error (RFC 4475
// §3.1.2.12 baddate).
Parsed<SipDate> parse_sip_date(std::string_view value);
std::string format_sip_date(SipDate date);

}  // namespace voxgate::sip
