// Micro-benchmarks of the transaction layer: whole transactions through
// TransactionLayer with a transport that sends nothing, a TimerQueue and a
// ManualClock. items/s = transactions per second on one core; the goal is
// 10,000 calls/s on two cores with room for everything else a call costs.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "runtime/timer_queue.hpp"
#include "sip/message/builder.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "sip/transaction/transaction_test_fakes.hpp"

namespace voxgate::sip {
namespace {

using namespace std::chrono_literals;

// Sends nothing; hands out flows as a UDP transport would.
class NullTransport final : public MessageTransport {
 public:
  Result<Flow> send_request(Message& request, const Target& target, std::string_view branch,
                            SendFailureHandler) override {
    request.insert_header(0, HeaderId::Via, fmt::format("SIP/2.0/UDP 192.0.2.10:5060;branch={};rport", branch));
    last_branch.assign(branch);
    return Flow{target.transport, target.address, testing::local_address(), ConnectionId{}};
  }
  Result<void> resend(std::string_view, const Flow&) override { return {}; }
  Result<void> send_response(const Message&, const Flow&, SendFailureHandler) override { return {}; }

  std::string last_branch;
};

// Answers every request at once: 180 then 200 for an INVITE, 200 otherwise.
class AnsweringUser final : public ServerTransactionUser {
 public:
  TransactionLayer* layer = nullptr;
  void on_request(ServerTransactionId id, InboundMessage&& request) override {
    if (request.message.method() == Method::Invite) {
      (void)layer->respond(id, make_response(request.message, 180, {}, "uas").build());
    }
    (void)layer->respond(id, make_response(request.message, 200, {}, "uas").build());
  }
  void on_ack(InboundMessage&&) override {}
  void on_cancel(ServerTransactionId, const InboundMessage&) override {}
  void on_server_transaction_ended(ServerTransactionId, TransactionEnd) override {}
};

class CountingClient final : public ClientTransactionUser {
 public:
  void on_response(ClientTransactionId, InboundMessage&&) override { ++responses; }
  void on_client_transaction_ended(ClientTransactionId, TransactionEnd) override {}
  std::uint64_t responses = 0;
};

Message must_parse(const std::string& text) {
  auto parsed = testing::parse_valid(text);
  if (!parsed) std::abort();
  return std::move(*parsed);
}

// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

// A server INVITE transaction from INVITE to Timer L: match (miss), create,
// upcall, 180 + 200 sent, the 2xx ACK passed up, Timer L fired. The messages
// are parsed once up front; each iteration copies them (as a receive would
// hand over a fresh Message).
void BM_ServerInviteTransaction(benchmark::State& state) {
  ManualClock clock;
  runtime::TimerQueue timers(clock);
  NullTransport transport;
  AnsweringUser user;
  TransactionLayer layer(timers, transport, user);
  user.layer = &layer;
  std::uint64_t n = 0;
  for (auto _ : state) {
    testing::RequestSpec spec;  // parsing included: the transport's cost, paid once per message
    spec.branch = fmt::format("z9hG4bK{}", n);
    spec.call_id = fmt::format("call-{}", n);
    Message invite = must_parse(testing::request_text(spec));
    spec.method = "ACK";
    spec.branch = fmt::format("z9hG4bKack{}", n);
    spec.to_tag = "uas";
    Message ack = must_parse(testing::request_text(spec));
    ++n;
    layer.on_message(InboundMessage{std::move(invite), testing::peer_flow(TransportKind::Udp), clock.now()});
    layer.on_message(InboundMessage{std::move(ack), testing::peer_flow(TransportKind::Udp), clock.now()});
    if (n % 1024 == 0) {
      clock.advance(33s);
      timers.run_due();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ServerInviteTransaction);

// A client INVITE transaction from send_request to Timer M: branch, send,
// Timers A and B armed and cancelled, 180 and 200 parsed, matched and passed up.
void BM_ClientInviteTransaction(benchmark::State& state) {
  ManualClock clock;
  runtime::TimerQueue timers(clock);
  NullTransport transport;
  AnsweringUser server_user;
  CountingClient client;
  TransactionLayer layer(timers, transport, server_user);
  const Target target{TransportKind::Udp, testing::peer_address()};
  std::uint64_t n = 0;
  for (auto _ : state) {
    Message request = MessageBuilder::request(Method::Invite, "sip:carol@203.0.113.5")
                          .header(HeaderId::MaxForwards, "70")
                          .header(HeaderId::From, "<sip:alice@192.0.2.10>;tag=ours")
                          .header(HeaderId::To, "<sip:carol@203.0.113.5>")
                          .header(HeaderId::CallId, "out@192.0.2.10")
                          .header(HeaderId::CSeq, "1 INVITE")
                          .build();
    const auto id = layer.send_request(std::move(request), target, client);
    if (!id) std::abort();
    // The peer's responses, parsed as the transport would hand them up.
    for (const char* status_line : {"180 Ringing", "200 OK"}) {
      Message response =
          must_parse(fmt::format("SIP/2.0 {}\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch={};rport=5060\r\n"
                                 "From: <sip:alice@192.0.2.10>;tag=ours\r\nTo: <sip:carol@203.0.113.5>;tag=t\r\n"
                                 "Call-ID: out@192.0.2.10\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
                                 status_line, transport.last_branch));
      layer.on_message(InboundMessage{std::move(response), testing::peer_flow(TransportKind::Udp), clock.now()});
    }
    ++n;
    if (n % 1024 == 0) {
      clock.advance(33s);
      timers.run_due();
    }
  }
  if (client.responses != 2 * n) state.SkipWithError("responses did not match their transaction");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClientInviteTransaction);

// ~10 timers per call, most cancelled before they fire: schedule + cancel.
void BM_TimerScheduleCancel(benchmark::State& state) {
  ManualClock clock;
  runtime::TimerQueue timers(clock);
  int fired = 0;
  for (auto _ : state) {
    const auto a = timers.schedule(500ms, [&fired] { ++fired; });
    const auto b = timers.schedule(32s, [&fired] { ++fired; });
    timers.cancel(a);
    timers.cancel(b);
  }
  benchmark::DoNotOptimize(fired);
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_TimerScheduleCancel);

// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::sip
