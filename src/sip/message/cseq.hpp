#pragma once
// CSeq (RFC 3261 §20.16) and RAck (RFC 3262 §7.2), which ends in a CSeq.

#include <cstdint>
#include <string_view>

#include "sip/message/method.hpp"
#include "sip/message/syntax_error.hpp"

namespace voxgate::sip {

struct CSeq {
  std::uint32_t sequence = 0;  // "MUST be expressible as a 32-bit unsigned integer"
  Method method = Method::Extension;
  std::string_view method_text;  // the token as written; compare this for extensions
};

Parsed<CSeq> parse_cseq(std::string_view value);

struct RAck {
  std::uint32_t rseq = 0;  // the RSeq of the provisional response acknowledged
  CSeq cseq;               // the CSeq of the request it was a response to
};

Parsed<RAck> parse_rack(std::string_view value);

}  // namespace voxgate::sip
