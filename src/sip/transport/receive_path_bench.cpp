// Micro-benchmarks of the transport's receive path on the INVITE of
// sip/message/message_bench.hpp: what every datagram costs before a
// transaction sees it. Each reports items/s: datagrams per second on one core.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "sip/message/message_bench.hpp"
#include "sip/message/validate.hpp"
#include "sip/transport/receive_path.hpp"
#include "sip/transport/via_rewrite.hpp"

namespace voxgate::sip {
namespace {

Flow peer_flow() {
  return Flow{TransportKind::Udp,
              {boost::asio::ip::make_address("203.0.113.5"), 40000},
              {boost::asio::ip::make_address("192.0.2.100"), 5060},
              ConnectionId{}};
}

// The copy the UDP listener makes: exact size plus headroom for the Via edit.
std::string datagram(const std::string& text) {
  std::string bytes;
  bytes.reserve(text.size() + 96);
  bytes.assign(text);
  return bytes;
}

void set_counters(benchmark::State& state) {
  const std::string& text = bench::invite();
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

// The message layer's share of the path, for reference: copy, parse, validate.
void BM_ParseValidateInvite(benchmark::State& state) {
  const std::string& text = bench::invite();
  for (auto _ : state) {
    auto parsed = parse_message(datagram(text));
    if (!parsed || !validate_message(*parsed)) std::abort();
    benchmark::DoNotOptimize(parsed);
  }
  set_counters(state);
}
BENCHMARK(BM_ParseValidateInvite);

// The whole path: copy, parse, validate, rate limit, stamp received/rport.
void BM_ReceiveInviteDatagram(benchmark::State& state) {
  const std::string& text = bench::invite();
  ManualClock clock;
  RateLimitConfig rate;
  rate.requests_per_second = 1e12;  // never refuses: measure the accepting path
  rate.burst = 1e12;
  SourceLimiter limiter(rate, clock);
  const ReceivePolicy policy{};
  const Flow flow = peer_flow();
  for (auto _ : state) {
    auto outcome = process_received(datagram(text), flow, policy, limiter);
    if (outcome.disposition != ReceiveDisposition::Deliver) std::abort();
    benchmark::DoNotOptimize(outcome);
  }
  set_counters(state);
}
BENCHMARK(BM_ReceiveInviteDatagram);

// The Via stamp alone, on a parsed INVITE (received + rport).
void BM_StampReceivedRport(benchmark::State& state) {
  auto parsed = parse_message(bench::invite());
  if (!parsed) std::abort();
  const Flow flow = peer_flow();
  for (auto _ : state) {
    Message m = *parsed;
    const bool stamped = stamp_received_rport(m, flow.remote);
    benchmark::DoNotOptimize(stamped);
    benchmark::DoNotOptimize(m);
  }
  set_counters(state);
}
BENCHMARK(BM_StampReceivedRport);

// A flood: every request over the rate, answered with a stateless 503.
void BM_RefuseInviteOverRate(benchmark::State& state) {
  const std::string& text = bench::invite();
  ManualClock clock;
  RateLimitConfig rate;
  rate.requests_per_second = 1;
  rate.burst = 1;
  SourceLimiter limiter(rate, clock);
  const Flow flow = peer_flow();
  (void)limiter.allow(flow.remote.ip);
  const ReceivePolicy policy{};
  for (auto _ : state) {
    auto outcome = process_received(datagram(text), flow, policy, limiter);
    if (outcome.disposition != ReceiveDisposition::RateLimited) std::abort();
    std::string wire = outcome.message->serialize();
    benchmark::DoNotOptimize(wire);
  }
  set_counters(state);
}
BENCHMARK(BM_RefuseInviteOverRate);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::sip
