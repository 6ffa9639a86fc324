#pragma once
// For this module's tests only: a DialogLayer over the real transaction
// layer, a recording fake transport, a ManualClock-driven TimerQueue and an
// application that records what it is told, with helpers to play the peer.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/timer_queue.hpp"
#include "sdp/session_id_source.hpp"
#include "sip/dialog/detail/test_messages.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/message/builder.hpp"
#include "sip/transaction/transaction_test_fakes.hpp"

namespace voxgate::sip::dialog_detail {

using namespace std::chrono_literals;
using testing::FakeTransport;

// What the application is told, in order.
struct CallEvent {
  enum class Kind : std::uint8_t {
    Invite,
    Progress,
    Answered,
    Failed,
    Ended,
    MediaChanged,
    Dtmf,
    SessionExpired,
    ReofferFailed,
    Transfer,
  };
  Kind kind;
  CallHandle call;
  std::uint16_t status = 0;
  DialogEndReason reason = DialogEndReason::Shutdown;
  std::string remote_tag;
  sdp::NegotiatedMedia media;
  char digit = '\0';  // with Dtmf
  std::uint32_t duration_ms = 0;
  TransferUpdate transfer;  // with Transfer
};

inline CallEvent event(CallEvent::Kind kind, CallHandle call, std::uint16_t status = 0,
                       DialogEndReason reason = DialogEndReason::Shutdown, std::string remote_tag = {},
                       sdp::NegotiatedMedia media = {}) {
  return CallEvent{kind, call, status, reason, std::move(remote_tag), std::move(media), '\0', 0, {}};
}

class RecordingApplication final : public IncomingCallHandler {
 public:
  CallDecision on_invite(const IncomingInvite& invite) override {
    events.push_back(event(CallEvent::Kind::Invite, invite.call));
    had_offer.push_back(invite.offer != nullptr);
    return decide ? decide(invite) : CallDecision::answer(media);
  }
  void on_call_progress(CallHandle call, std::uint16_t status, std::string_view remote_tag) override {
    events.push_back(event(CallEvent::Kind::Progress, call, status, {}, std::string(remote_tag)));
  }
  void on_call_answered(CallHandle call, const sdp::NegotiatedMedia& m) override {
    events.push_back(event(CallEvent::Kind::Answered, call, 0, {}, {}, m));
    if (after_answer) after_answer(call);
  }
  void on_call_failed(CallHandle call, std::uint16_t status) override {
    events.push_back(event(CallEvent::Kind::Failed, call, status));
  }
  void on_call_ended(CallHandle call, DialogEndReason reason) override {
    events.push_back(event(CallEvent::Kind::Ended, call, 0, reason));
  }
  void on_call_media_changed(CallHandle call, const sdp::NegotiatedMedia& m) override {
    events.push_back(event(CallEvent::Kind::MediaChanged, call, 0, {}, {}, m));
  }
  void on_call_dtmf(CallHandle call, char digit, std::uint32_t duration_ms) override {
    CallEvent e = event(CallEvent::Kind::Dtmf, call);
    e.digit = digit;
    e.duration_ms = duration_ms;
    events.push_back(std::move(e));
    if (after_dtmf) after_dtmf(call);
  }
  void on_call_reoffer_failed(CallHandle call, std::uint16_t status) override {
    events.push_back(event(CallEvent::Kind::ReofferFailed, call, status));
    if (after_reoffer_failed) after_reoffer_failed(call);
  }
  void on_call_transfer(CallHandle call, TransferUpdate update) override {
    CallEvent e = event(CallEvent::Kind::Transfer, call, update.status);
    e.transfer = update;
    events.push_back(std::move(e));
    if (after_transfer) after_transfer(call, update);
  }
  SessionExpiry on_call_session_expired(CallHandle call) override {
    events.push_back(event(CallEvent::Kind::SessionExpired, call));
    return on_expiry;
  }

  [[nodiscard]] std::vector<CallEvent::Kind> kinds() const {
    std::vector<CallEvent::Kind> out;
    for (const CallEvent& e : events) out.push_back(e.kind);
    return out;
  }
  [[nodiscard]] const CallEvent* last(CallEvent::Kind kind) const {
    auto it = std::find_if(events.rbegin(), events.rend(), [kind](const CallEvent& e) { return e.kind == kind; });
    return it == events.rend() ? nullptr : &*it;
  }

  sdp::LocalMediaConfig media = our_media();
  std::function<CallDecision(const IncomingInvite&)> decide;
  std::function<void(CallHandle)> after_answer;
  std::function<void(CallHandle)> after_dtmf;
  std::function<void(CallHandle)> after_reoffer_failed;
  std::function<void(CallHandle, TransferUpdate)> after_transfer;
  SessionExpiry on_expiry = SessionExpiry::Hangup;
  std::vector<CallEvent> events;
  std::vector<bool> had_offer;

  static sdp::LocalMediaConfig our_media() {
    sdp::LocalMediaConfig config;
    config.address = "192.0.2.10";
    config.rtp_port = 40000;
    return config;
  }
};

// An audio offer with PCMU, PCMA and DTMF, as a softphone sends it.
inline constexpr std::string_view kPeerOffer =
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 198.51.100.7\r\n"
    "s=-\r\n"
    "c=IN IP4 198.51.100.7\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n";

// An offer of a codec we do not have.
inline constexpr std::string_view kG729Offer =
    "v=0\r\n"
    "o=alice 2890844527 2890844527 IN IP4 198.51.100.7\r\n"
    "s=-\r\n"
    "c=IN IP4 198.51.100.7\r\n"
    "t=0 0\r\n"
    "m=audio 49172 RTP/AVP 18\r\n"
    "a=rtpmap:18 G729/8000\r\n";

class DialogLayerTest : public ::testing::Test {
 protected:
  static DialogLayerConfig config() {
    DialogLayerConfig c;
    c.contact_uri = "sip:voxgate@192.0.2.10:5060";
    c.host = "192.0.2.10";
    return c;
  }

  // Delivers `message` from the peer.
  void deliver(Message message, TransportKind transport = TransportKind::Udp) {
    layer_.inbound().on_message(InboundMessage{std::move(message), testing::peer_flow(transport), clock_.now()});
  }

  // Advances the clock by `by`, stopping at every timer deadline on the way.
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

  [[nodiscard]] Clock::Duration since_start(const FakeTransport::Sent& s) const { return s.at - start_; }

  // Everything sent, parsed back as the peer sees it.
  [[nodiscard]] std::vector<Message> sent_messages() const {
    std::vector<Message> out;
    for (const FakeTransport::Sent& s : transport_.sent) out.push_back(test::parse_ok(s.bytes));
    return out;
  }
  [[nodiscard]] std::vector<Message> sent_requests(Method method) const {
    std::vector<Message> out;
    for (Message& m : sent_messages()) {
      if (m.is_request() && m.method() == method) out.push_back(std::move(m));
    }
    return out;
  }
  [[nodiscard]] std::vector<Message> sent_responses(std::uint16_t status) const {
    std::vector<Message> out;
    for (Message& m : sent_messages()) {
      if (m.is_response() && m.status() == status) out.push_back(std::move(m));
    }
    return out;
  }
  [[nodiscard]] std::vector<std::uint16_t> response_statuses() const { return transport_.response_statuses(); }

  ManualClock clock_;
  Clock::TimePoint start_ = clock_.now();
  runtime::TimerQueue timers_{clock_};
  FakeTransport transport_{clock_};
  RecordingApplication app_;
  sdp::RandomSessionIdSource session_ids_{42};
  std::uint64_t random_ = 0;
  DialogLayer layer_{timers_, transport_, app_, session_ids_, config(), [this] { return ++random_; }};
};

}  // namespace voxgate::sip::dialog_detail
