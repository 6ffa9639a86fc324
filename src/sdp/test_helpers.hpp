#pragma once
// Shared by the sdp unit tests only (the *_test.cpp files beside it): fixed
// session ids, a local config, and parsing that fails the test on error.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "sdp/local_media.hpp"
#include "sdp/offer_answer.hpp"
#include "sdp/offer_answer_state.hpp"
#include "sdp/parser.hpp"
#include "sdp/session_id_source.hpp"

namespace voxgate::sdp::test {

// Ids 1000, 1001, ...: o= lines in expected SDP text are predictable.
class FixedSessionIds final : public SessionIdSource {
 public:
  explicit FixedSessionIds(std::uint64_t first = 1000) : next_(first) {}
  [[nodiscard]] std::uint64_t next_session_id() override { return next_++; }

 private:
  std::uint64_t next_;
};

inline LocalMediaConfig local_config() {
  LocalMediaConfig config;
  config.address = "192.0.2.10";
  config.rtp_port = 20000;
  return config;
}

inline OfferAnswerSession make_session(const LocalMediaConfig& config = local_config()) {
  FixedSessionIds ids;
  auto session = OfferAnswerSession::create(config, ids);
  if (!session) std::abort();  // the test's own config is wrong
  return std::move(*session);
}

inline SessionDescription parse_ok(std::string_view text) {
  auto parsed = parse_sdp(text);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? std::string() : parsed.error().message) << "\n" << text;
  return parsed ? *parsed : SessionDescription{};
}

// Receives `offer` and answers it, failing the test if either step fails.
inline Answer answer_ok(OfferAnswerSession& session, SessionDescription offer) {
  EXPECT_TRUE(session.receive_offer(std::move(offer)).has_value());
  auto answer = session.create_answer();
  EXPECT_TRUE(answer.has_value()) << (answer ? std::string() : answer.error().message);
  return answer ? *answer : Answer{};
}

// Every event of the offer/answer state machine, for tables over all of them.
inline constexpr OfferAnswerEvent kAllEvents[] = {OfferAnswerEvent::CreateOffer,  OfferAnswerEvent::ReceiveOffer,
                                                  OfferAnswerEvent::CreateAnswer, OfferAnswerEvent::ReceiveAnswer,
                                                  OfferAnswerEvent::Rollback,     OfferAnswerEvent::Reject};

// A peer's SDP: session lines for 198.51.100.20, then `media` as given
// (LF line ends are fine: the parser accepts them).
inline SessionDescription peer_sdp(std::string_view media, std::uint64_t version = 1) {
  return parse_ok("v=0\no=peer 77 " + std::to_string(version) +
                  " IN IP4 198.51.100.20\ns=-\nc=IN IP4 198.51.100.20\nt=0 0\n" + std::string(media));
}

// The usual offer from a SIP phone: PCMU, PCMA, telephone-event.
inline SessionDescription phone_offer(std::string_view extra_media_lines = "", std::uint64_t version = 1) {
  return peer_sdp(
      "m=audio 30000 RTP/AVP 0 8 101\na=rtpmap:0 PCMU/8000\na=rtpmap:8 PCMA/8000\n"
      "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n" +
          std::string(extra_media_lines),
      version);
}

}  // namespace voxgate::sdp::test
