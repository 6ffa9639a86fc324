#pragma once
// GoogleTest fixture for the transaction layer tests: ManualClock, TimerQueue,
// FakeTransport and recording users around one TransactionLayer, with helpers
// to deliver peer messages and to step time through every timer deadline.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/timer_queue.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "sip/transaction/transaction_test_fakes.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::sip::testing {

using namespace std::chrono_literals;

class LayerTest : public ::testing::Test {
 protected:
  LayerTest() { rebuild({}, {}); }

  void rebuild(const TimerSettings& settings, const TransactionLimits& limits) {
    layer_.reset();
    layer_ = std::make_unique<TransactionLayer>(timers_, transport_, server_user_, settings, limits,
                                                [this] { return ++random_; });
    start_ = clock_.now();
  }

  TransactionLayer& layer() { return *layer_; }

  // Advances the clock by `by`, stopping at every timer deadline on the way
  // so each timer fires (and re-arms) at its exact time.
  void advance(Clock::Duration by) {
    const Clock::TimePoint target = clock_.now() + by;
    while (true) {
      const auto next = timers_.next_deadline();
      if (!next || *next > target) break;
      if (*next > clock_.now()) clock_.advance(*next - clock_.now());
      timers_.run_due();
    }
    clock_.advance(target - clock_.now());
    timers_.run_due();
  }

  // Time since the layer was built.
  [[nodiscard]] Clock::Duration elapsed() const { return clock_.now() - start_; }
  [[nodiscard]] Clock::Duration at(const FakeTransport::Sent& s) const { return s.at - start_; }

  // Delivers a peer's request built from `spec`.
  void deliver(const RequestSpec& spec) {
    auto message = test::parse_ok(request_text(spec));
    layer().on_message(InboundMessage{std::move(message), peer_flow(spec.transport), clock_.now()});
  }
  void deliver(Message message, TransportKind transport = TransportKind::Udp) {
    layer().on_message(InboundMessage{std::move(message), peer_flow(transport), clock_.now()});
  }

  // A request we send, as the user would build it.
  static Message outgoing(std::string_view method = "INVITE", std::uint32_t cseq = 1) {
    return MessageBuilder::request(method, "sip:carol@203.0.113.5")
        .header(HeaderId::MaxForwards, "70")
        .header(HeaderId::Route, "<sip:proxy1.example.com;lr>")
        .header(HeaderId::Route, "<sip:proxy2.example.com;lr>")
        .header(HeaderId::From, "<sip:alice@192.0.2.10>;tag=ours")
        .header(HeaderId::To, "<sip:carol@203.0.113.5>")
        .header(HeaderId::CallId, "out-call-1@192.0.2.10")
        .header(HeaderId::CSeq, fmt::format("{} {}", cseq, method))
        .build();
  }
  static Target target(TransportKind transport = TransportKind::Udp) {
    return Target{transport, Address{boost::asio::ip::make_address("203.0.113.5"), 5060}};
  }

  ClientTransactionId send(std::string_view method = "INVITE", TransportKind transport = TransportKind::Udp) {
    auto id = layer().send_request(outgoing(method), target(transport), client_user_);
    EXPECT_TRUE(id.has_value());
    return id.value_or(ClientTransactionId{});
  }

  // The peer's response to the first request we sent (or `request_bytes`).
  void answer(std::uint16_t status, std::string_view to_tag = "uas-tag") {
    answer_request(transport_.sent.front().bytes, status, to_tag);
  }
  void answer_request(std::string_view request_bytes, std::uint16_t status, std::string_view to_tag = "uas-tag") {
    auto response = response_to(request_bytes, status, to_tag);
    ASSERT_TRUE(response.has_value());
    deliver(std::move(*response));
  }

  // Times (since start) of the sends of `kind`.
  [[nodiscard]] std::vector<Clock::Duration> send_times(FakeTransport::Kind kind) const {
    std::vector<Clock::Duration> out;
    for (const auto* s : transport_.of_kind(kind)) out.push_back(at(*s));
    return out;
  }

  ManualClock clock_;
  runtime::TimerQueue timers_{clock_};
  FakeTransport transport_{clock_};
  RecordingServerUser server_user_;
  RecordingClientUser client_user_;
  std::uint64_t random_ = 0;
  Clock::TimePoint start_;

 private:
  std::unique_ptr<TransactionLayer> layer_;
};

inline std::vector<Clock::Duration> ms(std::initializer_list<std::int64_t> values) {
  std::vector<Clock::Duration> out;
  for (auto v : values) out.emplace_back(std::chrono::milliseconds(v));
  return out;
}

}  // namespace voxgate::sip::testing
