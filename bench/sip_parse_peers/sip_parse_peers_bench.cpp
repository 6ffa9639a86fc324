// voxgate against a peer SIP parser, GNU oSIP2, on the same INVITE
// (src/sip/message/message_bench.hpp) in the same run: parse only, and parse
// plus reading what a transaction and a dialog need (top Via branch and
// host, From/To tags and URIs, Call-ID, CSeq, the first Contact URI).
//
// libosip2 is a benchmark-only dependency (docs/adr/0002-benchmark-peers.md):
// nothing in voxgate links it.

#include <benchmark/benchmark.h>

// osip2/osip.h uses time_t and struct timeval without including their headers.
#include <sys/time.h>

#include <ctime>

#include <osip2/osip.h>
#include <osipparser2/osip_parser.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

#include "sip/message/message_bench.hpp"
#include "sip/message/parser.hpp"

namespace {

using voxgate::sip::Message;
using voxgate::sip::parse_message;
namespace sip_bench = voxgate::sip::bench;

void set_counters(benchmark::State& state) {
  const std::string& text = sip_bench::invite();
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["invite_bytes"] = static_cast<double>(text.size());
}

// Google Benchmark's conventions: BM_ names, and a loop variable that only
// counts iterations.
// NOLINTBEGIN(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

// ---- voxgate: exactly what message_bench.cpp measures ----

void BM_Voxgate_ParseInvite(benchmark::State& state) {
  const std::string& text = sip_bench::invite();
  for (auto _ : state) {
    std::string bytes(text);  // the transport hands over an owned buffer
    auto parsed = parse_message(std::move(bytes));
    benchmark::DoNotOptimize(parsed);
  }
  set_counters(state);
}

void BM_Voxgate_ParseInviteWithTypedAccess(benchmark::State& state) {
  const std::string& text = sip_bench::invite();
  for (auto _ : state) {
    std::string bytes(text);
    auto parsed = parse_message(std::move(bytes));
    if (!parsed || !sip_bench::read_typed_fields(*parsed)) {
      state.SkipWithError("parse or typed access failed");
      break;
    }
  }
  set_counters(state);
}

// ---- GNU oSIP2 ----

// osip_init() sets up the parser tables (parser_init) once per process.
void init_osip() {
  static osip_t* const osip = [] {
    osip_t* o = nullptr;
    if (osip_init(&o) != 0) std::abort();
    return o;
  }();
  benchmark::DoNotOptimize(osip);
}

// oSIP's parameter lookup takes a mutable name.
char g_branch[] = "branch";
char g_tag[] = "tag";

// oSIP parses Via, From, To, Call-ID, CSeq and Contact eagerly into
// structures, so "access" reads those structures. osip_message_parse() copies
// the buffer itself, so no std::string copy is added on this side.
void BM_OSip2_ParseInvite(benchmark::State& state) {
  init_osip();
  const std::string& text = sip_bench::invite();
  for (auto _ : state) {
    osip_message_t* sip = nullptr;
    osip_message_init(&sip);
    const int rc = osip_message_parse(sip, text.data(), text.size());
    benchmark::DoNotOptimize(rc);
    osip_message_free(sip);
  }
  set_counters(state);
}

void BM_OSip2_ParseInviteWithAccess(benchmark::State& state) {
  init_osip();
  const std::string& text = sip_bench::invite();
  for (auto _ : state) {
    osip_message_t* sip = nullptr;
    osip_message_init(&sip);
    if (osip_message_parse(sip, text.data(), text.size()) != 0) {
      osip_message_free(sip);
      state.SkipWithError("osip_message_parse failed");
      break;
    }
    auto* via = static_cast<osip_via_t*>(osip_list_get(&sip->vias, 0));
    auto* contact = static_cast<osip_contact_t*>(osip_list_get(&sip->contacts, 0));
    if (via == nullptr || contact == nullptr || sip->from == nullptr || sip->to == nullptr || sip->call_id == nullptr ||
        sip->cseq == nullptr) {
      osip_message_free(sip);
      state.SkipWithError("oSIP access failed");
      break;
    }
    osip_uri_param_t* branch = nullptr;
    osip_uri_param_get_byname(&via->via_params, g_branch, &branch);
    osip_uri_param_t* from_tag = nullptr;
    osip_uri_param_get_byname(&sip->from->gen_params, g_tag, &from_tag);
    osip_uri_param_t* to_tag = nullptr;
    osip_uri_param_get_byname(&sip->to->gen_params, g_tag, &to_tag);
    benchmark::DoNotOptimize(branch);
    benchmark::DoNotOptimize(via_get_host(via));
    benchmark::DoNotOptimize(via_get_port(via));
    benchmark::DoNotOptimize(from_tag);
    benchmark::DoNotOptimize(osip_uri_get_host(osip_from_get_url(sip->from)));
    benchmark::DoNotOptimize(to_tag);
    benchmark::DoNotOptimize(osip_uri_get_username(osip_from_get_url(sip->to)));
    benchmark::DoNotOptimize(osip_call_id_get_number(sip->call_id));
    benchmark::DoNotOptimize(std::atoi(osip_cseq_get_number(sip->cseq)));
    benchmark::DoNotOptimize(osip_cseq_get_method(sip->cseq));
    benchmark::DoNotOptimize(osip_uri_get_host(osip_from_get_url(contact)));
    osip_message_free(sip);
  }
  set_counters(state);
}

BENCHMARK(BM_Voxgate_ParseInvite);
BENCHMARK(BM_OSip2_ParseInvite);
BENCHMARK(BM_Voxgate_ParseInviteWithTypedAccess);
BENCHMARK(BM_OSip2_ParseInviteWithAccess);
// NOLINTEND(readability-identifier-naming,clang-analyzer-deadcode.DeadStores)

}  // namespace
