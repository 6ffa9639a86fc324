// libFuzzer target: the SIP transaction layer (src/sip/transaction) driven by
// a fuzzed SEQUENCE of operations against a fake transport, fake users and a
// ManualClock: peer requests and responses built from templates with mutated
// fields (method, branch, sent-by, Call-ID, tags, CSeq, transport), clock
// jumps, user responses, new client requests, CANCELs, detaches and
// transport failures (immediate and late).
//
// Input layout: a stream of operations, each an opcode byte followed by its
// argument bytes (missing bytes read as 0). See Run::step() for the opcodes.
//
// Invariants:
//   - no crash, leak or sanitizer report;
//   - every handle the users are given is new; responses, ACK-less upcalls
//     and "ended" name only live handles; each handle ends exactly once;
//   - created - ended == live transactions, per the counters, after every step;
//   - after the sequence, once the users answer what they still hold and
//     cancel the INVITEs still waiting, every transaction ends within a few
//     64*T1 periods, no timer is left, and created == ended for each kind.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.hpp"
#include "runtime/timer_queue.hpp"
#include "sip/message/builder.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "sip/transaction/transaction_test_fakes.hpp"

namespace voxgate::sip::fuzz {
namespace {

using namespace std::chrono_literals;
using testing::FakeTransport;
using testing::RequestSpec;

class Input {
 public:
  explicit Input(std::string_view data) : data_(data) {}
  [[nodiscard]] bool empty() const { return pos_ >= data_.size(); }
  std::uint8_t byte() { return pos_ < data_.size() ? static_cast<std::uint8_t>(data_[pos_++]) : 0; }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& options) {
    return options[byte() % N];
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

// Server user that checks the handles it is given.
class ServerUser final : public ServerTransactionUser {
 public:
  void on_request(ServerTransactionId id, InboundMessage&& request) override {
    FUZZ_CHECK(id != ServerTransactionId{});
    FUZZ_CHECK(!live.contains(id) && !ended.contains(id));
    FUZZ_CHECK(request.message.is_request());
    FUZZ_CHECK(request.message.method() != Method::Ack && request.message.method() != Method::Cancel);
    live.emplace(id, std::move(request.message));
  }
  void on_ack(InboundMessage&& ack) override { FUZZ_CHECK(ack.message.method() == Method::Ack); }
  void on_cancel(ServerTransactionId invite, const InboundMessage& cancel) override {
    FUZZ_CHECK(live.contains(invite));
    FUZZ_CHECK(cancel.message.method() == Method::Cancel);
  }
  void on_server_transaction_ended(ServerTransactionId id, TransactionEnd) override {
    FUZZ_CHECK(live.contains(id));
    live.erase(id);
    ended.insert(id);
  }

  std::map<ServerTransactionId, Message> live;
  std::set<ServerTransactionId> ended;
};

// Client user that checks the handles it is given.
class ClientUser final : public ClientTransactionUser {
 public:
  void on_response(ClientTransactionId id, InboundMessage&& response) override {
    FUZZ_CHECK(live.contains(id));
    FUZZ_CHECK(response.message.is_response());
  }
  void on_client_transaction_ended(ClientTransactionId id, TransactionEnd) override {
    FUZZ_CHECK(live.contains(id));
    live.erase(id);
    ended.insert(id);
  }

  std::set<ClientTransactionId> live;      // started, not ended (detached ones included)
  std::set<ClientTransactionId> detached;  // told nothing more
  std::set<ClientTransactionId> ended;
};

constexpr std::array<std::string_view, 8> kMethods = {"INVITE",  "ACK",      "CANCEL", "BYE",
                                                      "OPTIONS", "REGISTER", "INFO",   "FOO"};
constexpr std::array<std::string_view, 5> kBranches = {"z9hG4bKaaa", "z9hG4bKbbb", "legacy-1", "z9hG4bK", ""};
constexpr std::array<std::string_view, 3> kHosts = {"198.51.100.7", "198.51.100.8", "Peer.Example.COM"};
constexpr std::array<std::string_view, 2> kCallIds = {"c1@peer", "c2@peer"};
constexpr std::array<std::string_view, 2> kFromTags = {"f1", "f2"};
constexpr std::array<std::string_view, 3> kToTags = {"", "t1", "uas"};
constexpr std::array<std::string_view, 2> kUris = {"sip:bob@192.0.2.10", "sip:carol@192.0.2.10"};
constexpr std::array<std::uint16_t, 12> kStatuses = {100, 180, 183, 200, 202, 302, 404, 481, 486, 487, 500, 603};
constexpr std::array<std::string_view, 4> kOutgoing = {"INVITE", "OPTIONS", "BYE", "FOO"};

class Run {
 public:
  Run()
      : layer_(timers_, transport_, server_user_, TimerSettings{}, TransactionLimits{64, 64},
               [this] { return ++random_; }) {}

  void step(Input& in) {
    switch (in.byte() % 11) {
      case 0: deliver_request(in); break;
      case 1: deliver_response(in); break;
      case 2: {
        const std::uint8_t b = in.byte();
        advance((b & 0x80U) != 0 ? std::chrono::seconds(b & 0x7FU) : std::chrono::milliseconds(b * 50));
        break;
      }
      case 3: user_responds(in); break;
      case 4: send_request(in); break;
      case 5: cancel(in); break;
      case 6: transport_.fail_pending_sends(); break;
      case 7: {
        const std::uint8_t b = in.byte();
        // Mostly working: a failure flag is set only when two bits agree.
        transport_.fail_requests = (b & 0x03U) == 0x03U;
        transport_.fail_on_flow = (b & 0x0CU) == 0x0CU;
        transport_.fail_responses = (b & 0x30U) == 0x30U;
        break;
      }
      case 8: detach(in); break;
      case 9: deliver_retransmission(in); break;
      case 10: misuse(in); break;
      default: break;
    }
    check_counters();
  }

  // Lets every transaction run to its end, then checks nothing is left.
  void finish() {
    transport_.fail_requests = transport_.fail_on_flow = transport_.fail_responses = false;
    for (int round = 0; round < 4; ++round) {
      // The users answer what they hold and give up the INVITEs still waiting.
      std::vector<std::pair<ServerTransactionId, Message>> open;
      for (const auto& [id, request] : server_user_.live) open.emplace_back(id, request);
      for (auto& [id, request] : open) {
        (void)layer_.respond(id, make_response(request, 500, {}, "end").build());
      }
      for (const ClientTransactionId id : std::set<ClientTransactionId>(client_user_.live)) (void)layer_.cancel(id);
      advance(40s);
      check_counters();
    }
    FUZZ_CHECK(layer_.server_transactions() == 0);
    FUZZ_CHECK(layer_.client_transactions() == 0);
    FUZZ_CHECK(server_user_.live.empty());
    // Detached transactions end without telling their user.
    for (const ClientTransactionId id : client_user_.live) FUZZ_CHECK(client_user_.detached.contains(id));
    FUZZ_CHECK(timers_.empty());
    const TransactionStats& stats = layer_.stats();
    for (std::size_t k = 0; k < kTransactionKinds; ++k) FUZZ_CHECK(stats.created[k] == stats.ended[k]);
  }

 private:
  void advance(Clock::Duration by) {
    const Clock::TimePoint target = clock_.now() + by;
    for (int guard = 0; guard < 100000; ++guard) {
      const auto next = timers_.next_deadline();
      if (!next || *next > target) break;
      if (*next > clock_.now()) clock_.advance(*next - clock_.now());
      timers_.run_due();
    }
    if (target > clock_.now()) clock_.advance(target - clock_.now());
    timers_.run_due();
  }

  void check_counters() {
    const TransactionStats& stats = layer_.stats();
    std::uint64_t created = 0;
    std::uint64_t ended = 0;
    for (std::size_t k = 0; k < kTransactionKinds; ++k) {
      FUZZ_CHECK(stats.created[k] >= stats.ended[k]);
      created += stats.created[k];
      ended += stats.ended[k];
    }
    FUZZ_CHECK(created - ended == layer_.server_transactions() + layer_.client_transactions());
    FUZZ_CHECK(layer_.server_transactions() <= 64 && layer_.client_transactions() <= 64 + 64);
  }

  RequestSpec spec_from(Input& in) {
    RequestSpec spec;
    spec.method = std::string(in.pick(kMethods));
    spec.branch = std::string(in.pick(kBranches));
    spec.via_host = std::string(in.pick(kHosts));
    const std::uint8_t b = in.byte();
    spec.via_port = (b & 1U) != 0 ? std::optional<std::uint16_t>{} : std::optional<std::uint16_t>{5060};
    spec.transport = (b & 2U) != 0 ? TransportKind::Tcp : TransportKind::Udp;
    spec.call_id = std::string(in.pick(kCallIds));
    spec.from_tag = std::string(in.pick(kFromTags));
    spec.to_tag = std::string(in.pick(kToTags));
    spec.request_uri = std::string(in.pick(kUris));
    spec.cseq = 1 + in.byte() % 4;
    return spec;
  }

  void deliver(std::string_view text, TransportKind transport) {
    auto message = testing::parse_valid(text);
    if (!message) return;
    layer_.on_message(InboundMessage{std::move(*message), testing::peer_flow(transport), clock_.now()});
  }

  void deliver_request(Input& in) {
    const RequestSpec spec = spec_from(in);
    last_request_ = spec;
    deliver(testing::request_text(spec), spec.transport);
  }

  // The last request again, maybe with one field changed.
  void deliver_retransmission(Input& in) {
    if (!last_request_) return;
    RequestSpec spec = *last_request_;
    switch (in.byte() % 6) {
      case 0: break;
      case 1: spec.method = std::string(in.pick(kMethods)); break;
      case 2: spec.branch = std::string(in.pick(kBranches)); break;
      case 3: spec.to_tag = std::string(in.pick(kToTags)); break;
      case 4: spec.cseq = 1 + in.byte() % 4; break;
      case 5: spec.via_host = std::string(in.pick(kHosts)); break;
      default: break;
    }
    deliver(testing::request_text(spec), spec.transport);
  }

  // A peer's response to one of the requests (or CANCELs) we sent.
  void deliver_response(Input& in) {
    std::vector<const FakeTransport::Sent*> requests;
    for (const auto& s : transport_.sent) {
      if (s.kind != FakeTransport::Kind::Response) requests.push_back(&s);
    }
    const std::uint8_t which = in.byte();
    const std::uint16_t status = in.pick(kStatuses);
    const std::uint8_t mutation = in.byte();
    if (requests.empty()) return;
    const FakeTransport::Sent& sent = *requests[which % requests.size()];
    auto request = testing::parse_valid(sent.bytes);
    if (!request || request->method() == Method::Ack) return;
    switch (mutation % 4) {
      case 1: request->set_header(HeaderId::CSeq, "1 CANCEL"); break;
      case 2: {
        auto via = request->first_value(HeaderId::Via);
        if (via) request->set_header(HeaderId::Via, std::string(*via) + "x");
        break;
      }
      default: break;
    }
    const std::string tag = (mutation & 4U) != 0 ? "fork-b" : "fork-a";
    deliver(make_response(*request, status, {}, tag).build().serialize(), sent.flow.transport);
  }

  void user_responds(Input& in) {
    const std::uint8_t which = in.byte();
    const std::uint16_t status = in.pick(kStatuses);
    if (server_user_.live.empty()) return;
    auto it = server_user_.live.begin();
    std::advance(it, which % server_user_.live.size());
    const ServerTransactionId id = it->first;
    const Message response = make_response(it->second, status, {}, "uas").build();
    const auto result = layer_.respond(id, response);
    if (!result) {
      FUZZ_CHECK(result.error().code == Errc::InvalidState || result.error().code == Errc::Io);
      // An Io error means the transaction ended (and the user was told).
      if (result.error().code == Errc::Io) FUZZ_CHECK(!server_user_.live.contains(id));
    }
  }

  void send_request(Input& in) {
    const std::string_view method = in.pick(kOutgoing);
    const bool tcp = (in.byte() & 1U) != 0;
    Message request = MessageBuilder::request(method, "sip:carol@203.0.113.5")
                          .header(HeaderId::MaxForwards, "70")
                          .header(HeaderId::From, "<sip:alice@192.0.2.10>;tag=ours")
                          .header(HeaderId::To, "<sip:carol@203.0.113.5>")
                          .header(HeaderId::CallId, "out@192.0.2.10")
                          .header(HeaderId::CSeq, std::string("7 ") + std::string(method))
                          .build();
    const Target target{tcp ? TransportKind::Tcp : TransportKind::Udp,
                        Address{boost::asio::ip::make_address("203.0.113.5"), 5060}};
    const auto id = layer_.send_request(std::move(request), target, client_user_);
    if (id) {
      FUZZ_CHECK(!client_user_.live.contains(*id) && !client_user_.ended.contains(*id));
      client_user_.live.insert(*id);
    } else {
      FUZZ_CHECK(id.error().code == Errc::Io || id.error().code == Errc::LimitExceeded);
    }
  }

  ClientTransactionId pick_client(Input& in) {
    const std::uint8_t which = in.byte();
    if (client_user_.live.empty() || which == 0xFF) return ClientTransactionId{which};
    auto it = client_user_.live.begin();
    std::advance(it, which % client_user_.live.size());
    return *it;
  }

  void cancel(Input& in) {
    const auto result = layer_.cancel(pick_client(in));
    if (!result) FUZZ_CHECK(result.error().code == Errc::InvalidState || result.error().code == Errc::NotFound);
  }

  void detach(Input& in) {
    const ClientTransactionId id = pick_client(in);
    layer_.detach(id);
    if (client_user_.live.contains(id)) client_user_.detached.insert(id);
  }

  // Calls that must fail cleanly.
  void misuse(Input& in) {
    switch (in.byte() % 4) {
      case 0: FUZZ_CHECK(!layer_.respond(ServerTransactionId{in.byte()}, Message::response(200, "OK"))); break;
      case 1:
        if (!server_user_.ended.empty()) {
          FUZZ_CHECK(!layer_.respond(*server_user_.ended.begin(), Message::response(200, "OK")));
        }
        break;
      case 2: FUZZ_CHECK(!layer_.send_request(Message::response(200, "OK"), Target{}, client_user_)); break;
      case 3:
        if (!server_user_.live.empty()) {
          FUZZ_CHECK(!layer_.respond(server_user_.live.begin()->first, Message::response(99, "Low")));
        }
        break;
      default: break;
    }
  }

  ManualClock clock_;
  runtime::TimerQueue timers_{clock_};
  FakeTransport transport_{clock_};
  ServerUser server_user_;
  ClientUser client_user_;
  std::uint64_t random_ = 0;
  std::optional<RequestSpec> last_request_;
  TransactionLayer layer_;
};

}  // namespace
}  // namespace voxgate::sip::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  voxgate::sip::fuzz::Input input(std::string_view(reinterpret_cast<const char*>(data), size));
  voxgate::sip::fuzz::Run run;
  for (int steps = 0; !input.empty() && steps < 2000; ++steps) run.step(input);
  run.finish();
  return 0;
}
