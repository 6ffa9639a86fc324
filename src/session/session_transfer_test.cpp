// Session::transfer (blind transfer, RFC 3515): the Transferring state and
// its registry mirror, the REFER refused by a peer that does not take it
// (back to Connected, TransferFailed for the app, events for the API), the
// success that ends the call with cause Transferred, and the calls refused
// outright. Two real endpoints over UDP on 127.0.0.1 (session_fixture.hpp);
// the peer is voxgate itself, which answers a REFER 405.

#include <gtest/gtest.h>

#include <mutex>

#include "session/call_event.hpp"
#include "session/detail/session_fixture.hpp"

namespace voxgate::session::test {
namespace {

using namespace std::chrono_literals;

// What the app hears of a transfer, beside RecordingApp's log.
class TransferWatchingApp final : public SessionApp {
 public:
  explicit TransferWatchingApp(std::shared_ptr<AppLog> log) : log_(std::move(log)) {}
  void on_transfer_accepted(const TransferAccepted& event, Session& /*session*/) override {
    log_->events.push_back(fmt::format("accepted {}", event.status));
  }
  void on_transfer_progress(const TransferProgress& event, Session& /*session*/) override {
    log_->events.push_back(fmt::format("progress {}", event.status));
  }
  void on_transfer_failed(const TransferFailed& event, Session& /*session*/) override {
    log_->events.push_back(fmt::format("failed {}", event.status));
  }
  void on_call_ended(const CallEnded& event, Session& /*session*/) override {
    log_->end = event.end;
    log_->events.emplace_back("ended");
  }

 private:
  std::shared_ptr<AppLog> log_;
};

// The call events a session reports ("transfer-requested {...}").
class TransferEventLog final : public CallEventSink {
 public:
  void on_call_event(CallEvent event) override {
    const std::lock_guard lock(mutex_);
    events_.push_back(fmt::format("{} {}", to_string(event.kind), event.detail));
  }
  std::vector<std::string> transfer_events() {
    const std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& e : events_) {
      if (e.starts_with("transfer")) out.push_back(e);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> events_;
};

class SessionTransfer : public SessionFixture {
 protected:
  // b calls a; a answers with a TransferWatchingApp. Returns a's session.
  SessionId connected_call() {
    a_->manager.report_events_to(events_);
    a_->policy.decide = [this](const IncomingCall&) {
      return IncomingDecision::accept(std::make_unique<TransferWatchingApp>(heard_));
    };
    b_id_ = call_a();
    EXPECT_TRUE(eventually([&] { return record(*b_, b_id_).state == SessionState::Connected; }));
    return on_loop([&] { return a_session(); });
  }

  std::shared_ptr<AppLog> heard_ = std::make_shared<AppLog>();
  TransferEventLog events_;
  SessionId b_id_;
};

TEST_F(SessionTransfer, AReferThePeerRefusesTakesTheCallBackToConnectedAndTheAppHearsTheStatus) {
  start();
  const SessionId a_id = connected_call();
  on_loop([&] {
    Session* a = a_->manager.find(a_id);
    ASSERT_TRUE(a->transfer("sip:desk@127.0.0.1"));
    EXPECT_EQ(a->state(), SessionState::Transferring);
    // Read on the loop: the peer's 405 cannot have been handled yet (on
    // the test's thread it could: CI saw Connected here).
    EXPECT_EQ(record(*a_, a_id).state, SessionState::Transferring) << "the registry mirrors the move";
    EXPECT_EQ(record(*a_, a_id).last_cause, TransitionCause::TransferStarted);
    auto again = a->transfer("sip:desk@127.0.0.1");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::InvalidState) << "one transfer at a time";
  });
  // voxgate does not take REFER: 405 (RFC 3261 §8.2.1).
  ASSERT_TRUE(eventually([&] { return record(*a_, a_id).state == SessionState::Connected; }));
  EXPECT_EQ(record(*a_, a_id).last_cause, TransitionCause::TransferFailed);
  EXPECT_EQ(on_loop([&] { return heard_->events; }), std::vector<std::string>{"failed 405"});
  EXPECT_EQ(events_.transfer_events(),
            (std::vector<std::string>{R"(transfer-requested {"target":"sip:desk@127.0.0.1","status":0})",
                                      R"(transfer-failed {"target":"sip:desk@127.0.0.1","status":405})"}));
  EXPECT_EQ(record(*b_, b_id_).state, SessionState::Connected) << "the call goes on";
  on_loop([&] { EXPECT_TRUE(b_->manager.find(b_id_)->hangup()); });
  ASSERT_TRUE(eventually([&] { return terminated(*a_, a_id); }));
}

TEST_F(SessionTransfer, ASuccessfulTransferHangsUpWithAByeAndEndsWithCauseTransferred) {
  start();
  const SessionId a_id = connected_call();
  on_loop([&] {
    ASSERT_TRUE(a_->manager.find(a_id)->transfer("sip:desk@127.0.0.1"));
    // What the dialog layer reports of a transferee that accepts and gets
    // through, before b's 405 can come back (same loop turn). a's layer
    // numbers its calls from 1: b's INVITE is its first.
    const sip::CallHandle call{1};
    a_->manager.on_call_transfer(call, {sip::TransferUpdate::Kind::Accepted, 202});
    a_->manager.on_call_transfer(call, {sip::TransferUpdate::Kind::Progress, 100});
    a_->manager.on_call_transfer(call, {sip::TransferUpdate::Kind::Succeeded, 200});
  });
  ASSERT_TRUE(eventually([&] { return terminated(*a_, a_id) && terminated(*b_, b_id_); }));
  const auto ended = record(*a_, a_id);
  ASSERT_TRUE(ended.end_info);
  EXPECT_EQ(ended.end_info->cause, TransitionCause::Transferred);
  EXPECT_EQ(ended.end_info->by, EndedBy::Local);
  EXPECT_NE(ended.end_info->reason.find("Call transferred"), std::string::npos) << ended.end_info->reason;
  EXPECT_EQ(record(*b_, b_id_).end_info->cause, TransitionCause::HangupRemote) << "our BYE ended b's leg";
  EXPECT_EQ(on_loop([&] { return heard_->events; }),
            (std::vector<std::string>{"accepted 202", "progress 100", "ended"}));
  EXPECT_EQ(events_.transfer_events().size(), 4U) << "requested, accepted, progress, succeeded";
}

TEST_F(SessionTransfer, OnlyAnEstablishedCallWithASipTargetCanBeTransferred) {
  start();
  const SessionId a_id = connected_call();
  on_loop([&] {
    Session* a = a_->manager.find(a_id);
    EXPECT_EQ(a->transfer("tel:+15551234").error().code, Errc::InvalidArgument);
    EXPECT_EQ(a->transfer("desk").error().code, Errc::InvalidArgument);
    EXPECT_EQ(a->state(), SessionState::Connected);
    EXPECT_TRUE(b_->manager.find(b_id_)->hangup());
  });
  ASSERT_TRUE(eventually([&] { return terminated(*a_, a_id); }));
  on_loop([&] {
    Session* a = a_->manager.find(a_id);
    if (a != nullptr) {
      EXPECT_EQ(a->transfer("sip:desk@127.0.0.1").error().code, Errc::InvalidState);
    }
  });
  EXPECT_TRUE(events_.transfer_events().empty());
}

}  // namespace
}  // namespace voxgate::session::test
