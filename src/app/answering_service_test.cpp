#include "app/answering_service.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/clock.hpp"
#include "runtime/timer_queue.hpp"
#include "sdp/local_media.hpp"
#include "support/free_ports.hpp"
#include "support/sip_parse.hpp"

namespace voxgate::app {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using Kind = sip::CallDecision::Kind;

constexpr std::string_view kInvite =
    "INVITE sip:voxgate@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
    "To: <sip:voxgate@127.0.0.1>\r\n"
    "Call-ID: answering-1\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 0\r\n\r\n";

class AnsweringServiceTest : public ::testing::Test {
 protected:
  explicit AnsweringServiceTest(std::uint32_t budget = 2, std::uint16_t pairs = 4,
                                std::chrono::milliseconds delay = std::chrono::milliseconds{0})
      : base_(test::free_even_udp_port(pairs)),
        ports_(make_address("127.0.0.1"), base_, static_cast<std::uint16_t>(base_ + 2 * pairs - 1)),
        budget_(budget),
        service_(timers_, ports_, budget_, AnsweringPolicy{delay, sdp::LocalMediaConfig{}}, Logger{}) {}

  sip::CallDecision offer(std::uint64_t handle) {
    return service_.on_invite(sip::IncomingInvite{sip::CallHandle{handle}, request_, flow_, nullptr});
  }

  ManualClock clock_;
  runtime::TimerQueue timers_{clock_};
  std::uint16_t base_;
  media::RtpPortPool ports_;
  CallBudget budget_;
  AnsweringService service_;
  sip::Message request_ = test::parse_ok(kInvite);
  sip::Flow flow_{};
};

TEST_F(AnsweringServiceTest, AnswersWithTheRtpPortItReservedForTheCall) {
  const auto decision = offer(1);
  ASSERT_EQ(decision.kind, Kind::Answer);
  EXPECT_GE(decision.media.rtp_port, base_);
  EXPECT_EQ(decision.media.rtp_port % 2, 0);
  EXPECT_EQ(service_.calls_held(), 1U);
  EXPECT_EQ(budget_.in_use(), 1U);
}

TEST_F(AnsweringServiceTest, OverTheCallBudgetRejectsWith503AndTakesNothing) {
  ASSERT_EQ(offer(1).kind, Kind::Answer);
  ASSERT_EQ(offer(2).kind, Kind::Answer);
  const auto third = offer(3);
  EXPECT_EQ(third.kind, Kind::Reject);
  EXPECT_EQ(third.status, 503);
  EXPECT_EQ(service_.stats().over_budget, 1U);
  EXPECT_EQ(service_.calls_held(), 2U);
  EXPECT_EQ(budget_.in_use(), 2U);
}

TEST_F(AnsweringServiceTest, AnEndedCallGivesBackItsBudgetAndPorts) {
  ASSERT_EQ(offer(1).kind, Kind::Answer);
  ASSERT_EQ(offer(2).kind, Kind::Answer);
  service_.on_call_answered(sip::CallHandle{1}, sdp::NegotiatedMedia{});
  service_.on_call_ended(sip::CallHandle{1}, sip::DialogEndReason::RemoteBye);
  service_.on_call_failed(sip::CallHandle{2}, 487);
  EXPECT_EQ(service_.calls_held(), 0U);
  EXPECT_EQ(budget_.in_use(), 0U);
  EXPECT_EQ(ports_.idle_count(), 2U);
  EXPECT_EQ(offer(3).kind, Kind::Answer);
  const AnsweringStats& stats = service_.stats();
  EXPECT_EQ(stats.offered, 3U);
  EXPECT_EQ(stats.answered, 1U);
  EXPECT_EQ(stats.ended, 1U);
  EXPECT_EQ(stats.failed, 1U);
}

class AnsweringServiceWithOnePair : public AnsweringServiceTest {
 protected:
  AnsweringServiceWithOnePair() : AnsweringServiceTest(10, 1) {}
};

TEST_F(AnsweringServiceWithOnePair, NoRtpPortLeftRejectsWith503AndGivesTheBudgetBack) {
  ASSERT_EQ(offer(1).kind, Kind::Answer);
  const auto second = offer(2);
  EXPECT_EQ(second.kind, Kind::Reject);
  EXPECT_EQ(second.status, 503);
  EXPECT_EQ(service_.stats().no_rtp_port, 1U);
  EXPECT_EQ(budget_.in_use(), 1U);
}

class AnsweringServiceThatRings : public AnsweringServiceTest {
 protected:
  AnsweringServiceThatRings() : AnsweringServiceTest(2, 4, std::chrono::milliseconds{3000}) {}
};

TEST_F(AnsweringServiceThatRings, RingsFirstAndAnEndBeforeTheAnswerCancelsItsTimer) {
  EXPECT_EQ(offer(1).kind, Kind::Ring);
  EXPECT_EQ(timers_.size(), 1U) << "the answer is due after the delay";
  service_.on_call_failed(sip::CallHandle{1}, 487);  // CANCELled while ringing
  EXPECT_EQ(timers_.size(), 0U);
  EXPECT_EQ(budget_.in_use(), 0U);
}

}  // namespace
}  // namespace voxgate::app
