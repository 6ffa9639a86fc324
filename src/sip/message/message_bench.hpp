#pragma once
// The INVITE the message benchmarks parse: message_bench.cpp here and the
// peer comparison in bench/sip_parse_peers, so both measure the same bytes.
// A realistic ~900-byte request as a UA sends it: one Via with branch and
// rport, a display name and tag in From, a Contact with parameters, the usual
// Allow/Supported/User-Agent and a ~300-byte audio SDP offer.

#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "sip/message/message.hpp"

namespace voxgate::sip::bench {

inline constexpr std::string_view kInviteSdp =
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\n"
    "s=voxgate call\r\n"
    "c=IN IP4 192.0.2.101\r\n"
    "t=0 0\r\n"
    "m=audio 49172 RTP/AVP 0 8 9 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

// Everything up to the Content-Length value.
inline constexpr std::string_view kInviteHeaders =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds4f2a;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710f3c9e2b1d0@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com:5060;transport=udp>;expires=3600;q=0.7\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, REFER, NOTIFY, INFO\r\n"
    "Supported: 100rel, timer, replaces, norefersub\r\n"
    "User-Agent: voxgate-bench/1.0 (Debian 12)\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: ";

// The whole INVITE (928 bytes).
inline const std::string& invite() {
  static const std::string text =
      std::string(kInviteHeaders) + std::to_string(kInviteSdp.size()) + "\r\n\r\n" + std::string(kInviteSdp);
  return text;
}

// A Contact URI of the kind every dialog parses.
inline constexpr std::string_view kContactUri = "sip:alice@pc33.atlanta.example.com:5060;transport=udp";

// What every transaction and dialog reads from an INVITE, as typed values:
// the top Via (branch, sent-by), From and To (tags, URIs), Call-ID, CSeq and
// the Contact URI (the one remote target an INVITE carries, RFC 3261
// §8.1.1.8). Returns false when any of them fails to parse.
inline bool read_typed_fields(const Message& m) {
  auto via = m.top_via();
  auto from = m.from();
  auto to = m.to();
  auto call_id = m.call_id();
  auto cseq = m.cseq();
  auto contact = m.get<HeaderId::Contact>();
  if (!via || !from || !to || !call_id || !cseq || !contact) return false;
  auto branch = via->branch();
  auto from_tag = from->tag();
  auto to_tag = to->tag();
  benchmark::DoNotOptimize(branch);
  benchmark::DoNotOptimize(via->host);
  benchmark::DoNotOptimize(via->port);
  benchmark::DoNotOptimize(from_tag);
  benchmark::DoNotOptimize(from->uri.host);
  benchmark::DoNotOptimize(to_tag);
  benchmark::DoNotOptimize(to->uri.user);
  benchmark::DoNotOptimize(*call_id);
  benchmark::DoNotOptimize(cseq->sequence);
  benchmark::DoNotOptimize(cseq->method);
  benchmark::DoNotOptimize(contact->address.uri.host);
  return true;
}

}  // namespace voxgate::sip::bench
