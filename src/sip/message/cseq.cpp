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

}  // namespace

Parsed<CSeq> parse_cseq(std::string_view value) {
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
