// Micro-benchmarks of the SDP layer on a typical offer from a SIP phone
// (PCMU, PCMA, G.722, opus, telephone-event; ~20 lines). Each reports
// items/s: descriptions (or negotiations) per second on one core.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

#include "sdp/offer_answer.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sdp/session_id_source.hpp"

namespace voxgate::sdp {
namespace {

const std::string& typical_offer() {
  static const std::string text =
      "v=0\r\n"
      "o=- 1960419432 1235353045 IN IP4 192.168.1.23\r\n"
      "s=-\r\n"
      "c=IN IP4 192.168.1.23\r\n"
      "t=0 0\r\n"
      "m=audio 10454 RTP/AVP 96 9 0 8 101\r\n"
      "b=AS:102\r\n"
      "a=rtpmap:96 opus/48000/2\r\n"
      "a=fmtp:96 useinbandfec=1\r\n"
      "a=rtpmap:9 G722/8000\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:8 PCMA/8000\r\n"
      "a=rtpmap:101 telephone-event/8000\r\n"
      "a=fmtp:101 0-16\r\n"
      "a=ptime:20\r\n"
      "a=maxptime:150\r\n"
      "a=sendrecv\r\n"
      "a=rtcp:10455\r\n"
      "a=ssrc:1178235345 cname:ad7ba8a4-7c5b-41b2-a8fa-ee2a0c91e86f\r\n";
  return text;
}

LocalMediaConfig local() {
  LocalMediaConfig config;
  config.address = "192.0.2.10";
  config.rtp_port = 20000;
  return config;
}

SessionDescription parsed_offer() {
  auto parsed = parse_sdp(typical_offer());
  if (!parsed) std::abort();  // the benchmark offer must be valid
  return std::move(*parsed);
}

void set_counters(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(typical_offer().size()));
}

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

void BM_ParseOffer(benchmark::State& state) {
  for (auto _ : state) {
    auto parsed = parse_sdp(typical_offer());
    benchmark::DoNotOptimize(parsed);
  }
  set_counters(state);
}
BENCHMARK(BM_ParseOffer);

void BM_SerializeOffer(benchmark::State& state) {
  const SessionDescription offer = parsed_offer();
  for (auto _ : state) {
    std::string text = serialize(offer);
    benchmark::DoNotOptimize(text);
  }
  set_counters(state);
}
BENCHMARK(BM_SerializeOffer);

// What a UAS does with an INVITE's body: parse the offer, negotiate, and
// serialize the answer for the 200 OK.
void BM_ParseNegotiateAnswer(benchmark::State& state) {
  RandomSessionIdSource ids(1);
  const LocalMediaConfig config = local();
  for (auto _ : state) {
    auto offer = parse_sdp(typical_offer());
    auto session = OfferAnswerSession::create(config, ids);
    if (!offer || !session || !session->receive_offer(std::move(*offer))) {
      state.SkipWithError("parse or receive_offer failed");
      break;
    }
    auto answer = session->create_answer();
    if (!answer) {
      state.SkipWithError("no answer");
      break;
    }
    std::string text = serialize(answer->sdp);
    benchmark::DoNotOptimize(text);
  }
  set_counters(state);
}
BENCHMARK(BM_ParseNegotiateAnswer);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::sdp
