#include "sip/message/cseq.hpp"

#include <string>

#include "sip/message/detail/charset.hpp"
#include "sip/message/detail/scanner.hpp"
#include "sip/message/scalar_headers.hpp"

namespace voxgate::sip {

namespace {

// 1*DIGIT LWS Method, the tail of both CSeq and RAck.
Parsed<CSeq> parse_cseq_from(detail::Scanner& in, std::string_view what) {
  CSeq out;
  in.skip_ws();
  auto seq = parse_bounded_uint(in.take_while(detail::kDigit), 0xFFFFFFFFU, "sequence number");
  if (!seq) return tl::unexpected(seq.error());
  out.sequence = *seq;
  if (!in.skip_ws()) return syntax_error("bad " + std::string(what) + ": missing method");
  out.method_text = in.take_token();
  if (out.method_text.empty()) return syntax_error("bad " + std::string(what) + ": missing method");
  out.method = method_from_token(out.method_text);
  in.skip_ws();
  if (!in.at_end()) return syntax_error("bad " + std::string(what) + ": trailing characters");
  return out;
}

// The form nearly every CSeq has, "314159 INVITE": 1 to 9 digits (below
// 2^32 whatever they are, so no range check), one SP, a token running to the
// end. Fills `out` and returns true only for that form, with the values the
// general parse gives it; anything else (LWS around the parts, ten or more
// digits, a bad character) goes to the general parse, which also reports
// the errors (profiled: the general parse was a third of reading a CSeq).
bool parse_common_cseq(std::string_view value, CSeq& out) noexcept {
  const std::size_t n = value.size();
  // One bound per digit, not two (i < n and i < 10; profiled).
  const std::size_t limit = n < 10 ? n : 10;
  std::uint32_t sequence = 0;
  std::size_t i = 0;
  for (; i < limit; ++i) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(value[i])) - unsigned{'0'};
    if (digit > 9) break;
    sequence = sequence * 10 + digit;
  }
  if (i == 0 || i == 10 || i + 1 >= n || value[i] != ' ') return false;
  const std::string_view method = value.substr(i + 1);
  for (const char c : method) {
    if (!detail::is(c, detail::kToken)) return false;
  }
  out.sequence = sequence;
  out.method_text = method;
  out.method = method_from_token(method);
  return true;
}

}  // namespace

Parsed<CSeq> parse_cseq(std::string_view value) {
  if (CSeq common; parse_common_cseq(value, common)) return common;
  detail::Scanner in(value);
  return parse_cseq_from(in, "CSeq");
}

Parsed<RAck> parse_rack(std::string_view value) {
  detail::Scanner in(value);
  in.skip_ws();
  RAck out;
  auto rseq = parse_bounded_uint(in.take_while(detail::kDigit), 0xFFFFFFFFU, "RAck response number");
  if (!rseq) return tl::unexpected(rseq.error());
  if (*rseq == 0) return syntax_error("bad RAck: response number 0");
  out.rseq = *rseq;
  if (!in.skip_ws()) return syntax_error("bad RAck: missing CSeq");
  auto cseq = parse_cseq_from(in, "RAck");
  if (!cseq) return tl::unexpected(cseq.error());
  out.cseq = *cseq;
  return out;
}

}  // namespace voxgate::sip
