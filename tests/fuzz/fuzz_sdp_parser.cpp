// libFuzzer target: SDP text -> parse_sdp -> serialize -> parse again, the
// typed attribute views, and OfferAnswerSession fed the parsed description
// as a peer's offer and as a peer's answer. Links only voxgate_sdp (SDP
// knows nothing of SIP).
//
// Invariants (a violation traps, and libFuzzer keeps the input):
//  - a description that parses serializes to text that parses (limits
//    relaxed: CRLF and "t=0 0" may add bytes) to an equal description, and
//    serializing that gives the same text again;
//  - an rtpmap, rtcp or fmtp that parses formats to text that parses to the
//    same value;
//  - as an offer: create_answer() either answers with the offer's m= lines
//    (same count, same media types, port 0 wherever no stream was accepted)
//    and an SDP that round-trips, or refuses with Errc::Unsupported and a
//    reason for a 488 ("no common codec: ..." / "no acceptable media: ...");
//    the same offer again yields the same answer and o= version (RFC 3264
//    §8); a re-offer of ours after it keeps at least the offer's m= lines;
//  - as an answer to our offer: receive_answer() completes the exchange or
//    refuses it with Errc::InvalidArgument and leaves the offer pending.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sdp/attributes.hpp"
#include "sdp/offer_answer.hpp"
#include "sdp/parser.hpp"
#include "sdp/rtpmap.hpp"
#include "sdp/serializer.hpp"
#include "sdp/session_id_source.hpp"

namespace voxgate::sdp::fuzz {
namespace {

class FixedIds final : public SessionIdSource {
 public:
  [[nodiscard]] std::uint64_t next_session_id() override { return 4242; }
};

ParseLimits relaxed() {
  ParseLimits limits;
  limits.max_size = 1U << 22;
  limits.max_line_length = 1U << 22;
  limits.max_lines = 1U << 20;
  return limits;
}

LocalMediaConfig local() {
  LocalMediaConfig config;
  config.address = "192.0.2.10";
  config.rtp_port = 20000;
  config.rtcp_mux = true;
  return config;
}

SessionDescription reparse(const SessionDescription& sdp) {
  const std::string text = serialize(sdp);
  auto again = parse_sdp(text, relaxed());
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == sdp);
  FUZZ_CHECK(serialize(*again) == text);
  return std::move(*again);
}

void check_attributes(const SessionDescription& session, const MediaDescription& media) {
  for (const Attribute& a : media.attributes) {
    if (!a.value) continue;
    if (auto map = parse_rtpmap(*a.value)) {
      auto again = parse_rtpmap(format_rtpmap(*map));
      FUZZ_CHECK(again && *again == *map);
    }
    if (auto rtcp = parse_rtcp(*a.value)) {
      auto again = parse_rtcp(format_rtcp(*rtcp));
      FUZZ_CHECK(again && *again == *rtcp);
    }
    if (auto fmtp = parse_fmtp(*a.value)) {
      auto again = parse_fmtp(fmtp->format + " " + fmtp->parameters);
      FUZZ_CHECK(again && *again == *fmtp);
    }
  }
  for (const std::string& format : media.formats) {
    if (auto map = find_rtpmap(media, format)) voxgate::fuzz::sink(map->clock_rate);
    if (auto fmtp = find_fmtp(media, format)) voxgate::fuzz::sink(fmtp->size());
  }
  voxgate::fuzz::sink(find_ptime(session, media).value_or(0) + find_maxptime(session, media).value_or(0) +
                      static_cast<std::uint64_t>(effective_direction(session, media)) + has_rtcp_mux(media) +
                      (effective_connection(session, media) != nullptr));
}

void check_negotiated(const NegotiatedMedia& media, std::size_t lines) {
  for (const NegotiatedStream& s : media.streams) {
    FUZZ_CHECK(s.m_line < lines);
    FUZZ_CHECK(s.remote_rtp.port != 0 && s.local_rtp_port != 0);
    FUZZ_CHECK(s.codec.send_payload_type < 128 && s.codec.receive_payload_type < 128);
    FUZZ_CHECK(!s.codec.encoding_name.empty());
  }
}

void as_offer(const SessionDescription& offer) {
  FixedIds ids;
  auto session = OfferAnswerSession::create(local(), ids);
  FUZZ_CHECK(session.has_value());
  FUZZ_CHECK(session->receive_offer(offer).has_value());
  auto answer = session->create_answer();
  if (!answer) {
    const Error& e = answer.error();
    FUZZ_CHECK(e.code == Errc::Unsupported);
    FUZZ_CHECK(e.message.rfind("no common codec: ", 0) == 0 || e.message.rfind("no acceptable media: ", 0) == 0);
    FUZZ_CHECK(session->state() == OfferAnswerState::RemoteOfferReceived);
    FUZZ_CHECK(session->reject().has_value());
    FUZZ_CHECK(session->state() == OfferAnswerState::Idle);
    return;
  }
  const SessionDescription& sdp = answer->sdp;
  FUZZ_CHECK(sdp.media.size() == offer.media.size());
  FUZZ_CHECK(answer->media.streams.size() == 1);
  for (std::size_t i = 0; i < sdp.media.size(); ++i) {
    FUZZ_CHECK(sdp.media[i].media == offer.media[i].media);
    const bool accepted = i == answer->media.streams[0].m_line;
    FUZZ_CHECK(accepted == (sdp.media[i].port != 0));
  }
  check_negotiated(answer->media, offer.media.size());
  reparse(sdp);

  // The same offer again: computed afresh, identical, same version.
  FUZZ_CHECK(session->receive_offer(offer).has_value());
  auto again = session->create_answer();
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->sdp == sdp);

  // Our re-offer keeps the session's m= lines.
  auto reoffer = session->create_offer();
  FUZZ_CHECK(reoffer.has_value());
  FUZZ_CHECK(reoffer->media.size() == offer.media.size());
  reparse(*reoffer);
  FUZZ_CHECK(session->rollback().has_value());
  FUZZ_CHECK(session->state() == OfferAnswerState::Complete);
}

void as_answer(const SessionDescription& answer) {
  FixedIds ids;
  auto session = OfferAnswerSession::create(local(), ids);
  FUZZ_CHECK(session.has_value());
  auto offer = session->create_offer();
  FUZZ_CHECK(offer.has_value());
  auto media = session->receive_answer(answer);
  if (!media) {
    FUZZ_CHECK(media.error().code == Errc::InvalidArgument);
    FUZZ_CHECK(session->state() == OfferAnswerState::LocalOfferSent);
    return;
  }
  FUZZ_CHECK(answer.media.size() == offer->media.size());
  FUZZ_CHECK(session->state() == OfferAnswerState::Complete);
  check_negotiated(*media, answer.media.size());
}

void run(std::string_view input) {
  auto parsed = parse_sdp(input);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.empty());
    return;
  }
  const SessionDescription& sdp = *parsed;
  FUZZ_CHECK(!sdp.timings.empty());
  reparse(sdp);
  for (const MediaDescription& m : sdp.media) check_attributes(sdp, m);
  as_offer(sdp);
  as_answer(sdp);
}

}  // namespace
}  // namespace voxgate::sdp::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxgate::sdp::fuzz::run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
