// Micro-benchmarks of the SIP message layer on a realistic INVITE
// (message_bench.hpp). Each reports items/s: messages (or URIs) per second on
// one core. scripts/bench runs them; BENCHMARKS.md has the numbers.

#include "sip/message/message_bench.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

#include "sip/message/builder.hpp"
#include "sip/message/parser.hpp"

namespace voxgate::sip {
namespace {

void set_invite_counters(benchmark::State& state) {
  const std::string& text = bench::invite();
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["invite_bytes"] = static_cast<double>(text.size());
}

Message parsed_invite() {
  auto parsed = parse_message(bench::invite());
  if (!parsed) std::abort();  // the benchmark INVITE must be valid
  return std::move(*parsed);
}

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

// Parse only. The transport hands the parser an owned buffer, so each
// iteration pays for the copy into a std::string as the real receive path does.
void BM_ParseInvite(benchmark::State& state) {
  const std::string& text = bench::invite();
  for (auto _ : state) {
    std::string bytes(text);
    auto parsed = parse_message(std::move(bytes));
    benchmark::DoNotOptimize(parsed);
  }
  set_invite_counters(state);
}
BENCHMARK(BM_ParseInvite);

// Parse plus typed access to what every transaction and dialog reads
// (bench::read_typed_fields: Via, From, To, Call-ID, CSeq, Contact).
void BM_ParseInviteWithTypedAccess(benchmark::State& state) {
  const std::string& text = bench::invite();
  for (auto _ : state) {
    std::string bytes(text);
    auto parsed = parse_message(std::move(bytes));
    if (!parsed || !bench::read_typed_fields(*parsed)) {
      state.SkipWithError("parse or typed access failed");
      break;
    }
  }
  set_invite_counters(state);
}
BENCHMARK(BM_ParseInviteWithTypedAccess);

// Every Contact as a list (get_all: a std::vector), as a registrar reads them.
void BM_AllContacts(benchmark::State& state) {
  const Message invite = parsed_invite();
  for (auto _ : state) {
    auto contacts = invite.contacts();
    benchmark::DoNotOptimize(contacts);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AllContacts);

// The 200 OK a UAS answers the INVITE with: make_response() copies Via, From,
// To, Call-ID and CSeq, adds the To tag, then a Contact; built and serialized.
void BM_Serialize200Ok(benchmark::State& state) {
  const Message invite = parsed_invite();
  for (auto _ : state) {
    MessageBuilder builder = make_response(invite, 200, {}, "a6c85cf");
    builder.header(HeaderId::Contact, "<sip:bob@192.0.2.4:5060>");
    const Message ok = std::move(builder).build();
    std::string wire = ok.serialize();
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Serialize200Ok);

// Forwarding a message untouched: serialize() of a parsed, unedited message
// is one copy of the bytes as received.
void BM_SerializePristine(benchmark::State& state) {
  const Message invite = parsed_invite();
  for (auto _ : state) {
    std::string wire = invite.serialize();
    benchmark::DoNotOptimize(wire);
  }
  set_invite_counters(state);
}
BENCHMARK(BM_SerializePristine);

void BM_ParseUri(benchmark::State& state) {
  for (auto _ : state) {
    auto uri = parse_uri(bench::kContactUri);
    benchmark::DoNotOptimize(uri);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bench::kContactUri.size()));
}
BENCHMARK(BM_ParseUri);
// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
}  // namespace voxgate::sip
