#include "media/stream/rtp_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/clock.hpp"
#include "media/apps/basic_apps.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "runtime/timer_queue.hpp"
#include "support/free_ports.hpp"
#include "support/goertzel.hpp"

namespace voxgate::media {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using std::chrono::milliseconds;

// Keeps what the caller said (the peer's audio, decoded); says nothing.
class CaptureApp final : public MediaApp {
 public:
  explicit CaptureApp(std::vector<std::int16_t>& heard) : heard_(heard) {}
  [[nodiscard]] int sample_rate() const noexcept override { return 8000; }
  void on_caller_audio(std::span<const std::int16_t> frame) override {
    heard_.insert(heard_.end(), frame.begin(), frame.end());
  }
  bool fill(std::span<std::int16_t> frame) override { return silence_.fill(frame); }

 private:
  std::vector<std::int16_t>& heard_;
  SilenceApp silence_{8000};
};

// Says nothing after `frames` frames.
class ShortApp final : public MediaApp {
 public:
  explicit ShortApp(int frames) : left_(frames) {}
  [[nodiscard]] int sample_rate() const noexcept override { return 8000; }
  void on_caller_audio(std::span<const std::int16_t>) override {}
  bool fill(std::span<std::int16_t> frame) override {
    std::fill(frame.begin(), frame.end(), std::int16_t{0});
    return left_-- > 0;
  }

 private:
  int left_;
};

struct Watch final : RtpStreamObserver {
  std::string digits;
  std::vector<DtmfSource> sources;
  std::vector<StreamEndReason> ended;
  void on_stream_dtmf(char digit, DtmfSource source) override {
    digits.push_back(digit);
    sources.push_back(source);
  }
  void on_stream_ended(StreamEndReason reason) override { ended.push_back(reason); }
};

class RtpStreamTest : public ::testing::Test {
 protected:
  RtpStreamTest()
      : base_(test::free_even_udp_port(8)),
        pool_(make_address("127.0.0.1"), base_, static_cast<std::uint16_t>(base_ + 15), RtpPortPoolSettings{0, 8}) {}

  RtpPortReservation reserve() {
    auto r = pool_.reserve();
    EXPECT_TRUE(r.has_value());
    return std::move(*r);
  }

  static RtpStreamConfig config_to(const RtpPortReservation& peer, bool events = true) {
    RtpStreamConfig c;
    c.codec = CodecId::Pcmu;
    c.remote_rtp = udp::endpoint(make_address("127.0.0.1"), peer.rtp_port());
    c.remote_rtcp = udp::endpoint(make_address("127.0.0.1"), peer.rtcp_port());
    if (events) c.telephone_event = TelephoneEventConfig{};
    c.media_timeout = milliseconds(1000);
    return c;
  }

  // Advances the manual clock 1 ms at a time; timers and sockets are served
  // as the loop would.
  void run_for(milliseconds total) {
    for (milliseconds t{0}; t < total; t += milliseconds(1)) {
      clock_.advance(milliseconds(1));
      timers_.run_due();
      io_.poll();
      io_.restart();
    }
  }

  boost::asio::io_context io_;
  ManualClock clock_;
  runtime::TimerQueue timers_{clock_};
  MediaLoop loop_{io_, timers_, clock_};
  std::uint16_t base_;
  RtpPortPool pool_;
};

TEST_F(RtpStreamTest, CarriesAToneFromOneStreamToTheOtherOverLoopback) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  std::vector<std::int16_t> heard_by_a;
  std::vector<std::int16_t> heard_by_b;
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<ToneApp>(8000, 1000), wa);
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports), std::make_unique<CaptureApp>(heard_by_b), wb);
  ASSERT_TRUE(a && b);
  run_for(milliseconds(1000));
  const auto sa = (*a)->stats();
  const auto sb = (*b)->stats();
  EXPECT_GE(sa.packets_sent, 49U);
  EXPECT_EQ(sb.received.packets, sa.packets_sent);
  EXPECT_EQ(sb.lost, 0);
  EXPECT_EQ(sb.frames_concealed, 0U);
  ASSERT_GE(heard_by_b.size(), 8000U * 8 / 10);
  const std::span<const std::int16_t> tail(heard_by_b.data() + 1600, 4000);
  EXPECT_GE(test::tone_dominance(tail, 1000, {440, 700, 1400, 2000}, 8000), 5.0);
  EXPECT_TRUE(wa.ended.empty());
  EXPECT_TRUE(wb.ended.empty());
}

TEST_F(RtpStreamTest, AnAppThatDoesNotListenGetsPacketsCountedButNotDecodedUntilOneThatListensTakesOver) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  std::vector<std::int16_t> heard_by_b;
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<ToneApp>(8000, 1000), wa);
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports), std::make_unique<ToneApp>(8000, 440), wb);
  ASSERT_TRUE(a && b);
  run_for(milliseconds(500));
  const auto before = (*b)->stats();
  EXPECT_GE(before.received.packets, 20U);
  EXPECT_EQ(before.lost, 0);
  EXPECT_EQ(before.frames_played + before.frames_concealed + before.frames_silent, 0U);

  ASSERT_TRUE((*b)->replace_app(std::make_unique<CaptureApp>(heard_by_b)));
  run_for(milliseconds(1000));
  const auto after = (*b)->stats();
  EXPECT_GE(after.frames_played, 40U);
  EXPECT_EQ(after.frames_concealed, 0U);
  ASSERT_GE(heard_by_b.size(), 8000U * 8 / 10);
  EXPECT_GE(
      test::tone_dominance(std::span<const std::int16_t>(heard_by_b).last(4000), 1000, {440, 700, 1400, 2000}, 8000),
      5.0);
}

TEST_F(RtpStreamTest, TimestampsAdvanceOneFrameOfTheRtpClockPerTickWithOneSsrc) {
  auto a_ports = reserve();
  boost::asio::io_context io;
  udp::socket peer(io, udp::endpoint(make_address("127.0.0.1"), 0));
  peer.non_blocking(true);
  RtpStreamConfig c = config_to(a_ports, false);
  c.remote_rtp = peer.local_endpoint();
  c.remote_rtcp = udp::endpoint(make_address("127.0.0.1"), 9);  // discard
  c.receive = false;
  Watch w;
  auto a = RtpStream::create(loop_, a_ports, c, std::make_unique<ToneApp>(8000, 440), w);
  ASSERT_TRUE(a);
  run_for(milliseconds(200));
  std::vector<RtpHeader> headers;
  std::array<std::uint8_t, 1500> buffer{};
  boost::system::error_code ec;
  for (;;) {
    const std::size_t n = peer.receive(boost::asio::buffer(buffer), 0, ec);
    if (ec) break;
    auto parsed = parse_rtp(std::span(buffer.data(), n));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->payload.size(), 160U);
    headers.push_back(parsed->header);
  }
  ASSERT_GE(headers.size(), 9U);
  EXPECT_TRUE(headers.front().marker);  // the first packet starts a talk spurt
  for (std::size_t i = 1; i < headers.size(); ++i) {
    EXPECT_EQ(headers[i].timestamp - headers[i - 1].timestamp, 160U);
    EXPECT_EQ(static_cast<std::uint16_t>(headers[i].sequence - headers[i - 1].sequence), 1U);
    EXPECT_EQ(headers[i].ssrc, (*a)->ssrc());
    EXPECT_FALSE(headers[i].marker);
  }
}

TEST_F(RtpStreamTest, ReportsEachRfc4733DigitOnceOnTheOtherSide) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  std::vector<std::int16_t> heard;
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<SilenceApp>(8000), wa);
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports), std::make_unique<CaptureApp>(heard), wb);
  ASSERT_TRUE(a && b);
  for (const char d : std::string("19*#A")) ASSERT_TRUE((*a)->send_dtmf(d));
  run_for(milliseconds(2000));
  EXPECT_EQ(wb.digits, "19*#A");
  for (const DtmfSource s : wb.sources) EXPECT_EQ(s, DtmfSource::Rfc4733);
  EXPECT_EQ((*a)->stats().dtmf_sent, 5U);
}

TEST_F(RtpStreamTest, RefusesToSendDtmfWithoutAgreedTelephoneEvents) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch w;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports, false), std::make_unique<SilenceApp>(8000), w);
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)->send_dtmf('1').error().code, Errc::Unsupported);
}

TEST_F(RtpStreamTest, EndsWithAMediaTimeoutWhenThePeerSendsNothing) {
  auto a_ports = reserve();
  auto b_ports = reserve();  // bound, silent
  Watch w;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<SilenceApp>(8000), w);
  ASSERT_TRUE(a);
  run_for(milliseconds(900));
  EXPECT_TRUE(w.ended.empty());
  run_for(milliseconds(200));
  ASSERT_EQ(w.ended.size(), 1U);
  EXPECT_EQ(w.ended[0], StreamEndReason::MediaTimeout);
  EXPECT_TRUE((*a)->ended());
  run_for(milliseconds(2000));
  EXPECT_EQ(w.ended.size(), 1U);  // told once
}

TEST_F(RtpStreamTest, NoTimeoutWhileTheCallIsOnHold) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch w;
  RtpStreamConfig c = config_to(b_ports);
  c.receive = false;  // sendonly from our side: the peer is quiet by design
  auto a = RtpStream::create(loop_, a_ports, c, std::make_unique<SilenceApp>(8000), w);
  ASSERT_TRUE(a);
  run_for(milliseconds(3000));
  EXPECT_TRUE(w.ended.empty());
}

TEST_F(RtpStreamTest, AnInactiveStreamLeavesTheMediaClockKeepsSendingRtcpAndRejoinsWhenActive) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch wa;
  Watch wb;
  std::vector<std::int16_t> heard;
  RtpStreamConfig inactive = config_to(b_ports);
  inactive.send = false;
  inactive.receive = false;  // a=inactive (RFC 3264 §5.1)
  RtpStreamConfig patient = config_to(a_ports);
  patient.media_timeout = milliseconds(0);  // B waits out A's hold
  auto a = RtpStream::create(loop_, a_ports, inactive, std::make_unique<ToneApp>(8000, 440), wa);
  auto b = RtpStream::create(loop_, b_ports, patient, std::make_unique<CaptureApp>(heard), wb);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(loop_.media_clock().handlers(), 1U) << "only B ticks";
  run_for(milliseconds(16000));
  EXPECT_EQ((*a)->stats().packets_sent, 0U);
  EXPECT_GE((*a)->stats().rtcp_sent, 2U) << "RTCP goes on while inactive";
  EXPECT_GE((*b)->stats().rtcp_received, 2U);
  ASSERT_TRUE((*a)->update(config_to(b_ports)));  // off hold
  EXPECT_EQ(loop_.media_clock().handlers(), 2U);
  run_for(milliseconds(200));
  EXPECT_GE((*a)->stats().packets_sent, 9U);
  EXPECT_TRUE(wa.ended.empty()) << "a hold longer than the media timeout does not end the call once resumed";
  ASSERT_TRUE((*a)->update(inactive));
  EXPECT_EQ(loop_.media_clock().handlers(), 1U);
}

TEST_F(RtpStreamTest, EndsWhenTheAppHasNothingMoreToSay) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch w;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<ShortApp>(5), w);
  ASSERT_TRUE(a);
  run_for(milliseconds(300));
  ASSERT_EQ(w.ended.size(), 1U);
  EXPECT_EQ(w.ended[0], StreamEndReason::AppFinished);
  EXPECT_EQ((*a)->stats().packets_sent, 5U);
}

TEST_F(RtpStreamTest, RefusesPacketsFromAThirdAddressOnceLatched) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  std::vector<std::int16_t> heard;
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<ToneApp>(8000, 440), wa);
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports), std::make_unique<CaptureApp>(heard), wb);
  ASSERT_TRUE(a && b);
  run_for(milliseconds(200));
  // An attacker who learnt B's port.
  boost::asio::io_context io;
  udp::socket attacker(io, udp::endpoint(make_address("127.0.0.1"), 0));
  std::array<std::uint8_t, 172> packet{};
  RtpHeader h;
  h.ssrc = 0xBAD;
  for (std::uint16_t i = 0; i < 10; ++i) {
    h.sequence = i;
    h.timestamp = i * 160U;
    write_rtp_header(h, packet);
    attacker.send_to(boost::asio::buffer(packet), udp::endpoint(make_address("127.0.0.1"), b_ports.rtp_port()));
  }
  run_for(milliseconds(200));
  EXPECT_EQ((*b)->stats().refused_source, 10U);
  EXPECT_EQ((*b)->stats().relatched, 0U);
}

TEST_F(RtpStreamTest, DiscardsDatagramsLeftOnAReusedPortByAnEarlierPeer) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  boost::asio::io_context io;
  udp::socket old_peer(io, udp::endpoint(make_address("127.0.0.1"), 0));
  std::array<std::uint8_t, 172> packet{};
  write_rtp_header(RtpHeader{}, packet);
  for (int i = 0; i < 3; ++i) {
    old_peer.send_to(boost::asio::buffer(packet), udp::endpoint(make_address("127.0.0.1"), b_ports.rtp_port()));
  }
  std::vector<std::int16_t> heard;
  Watch wa;
  Watch wb;
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports), std::make_unique<CaptureApp>(heard), wb);
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<ToneApp>(8000, 440), wa);
  ASSERT_TRUE(a && b);
  run_for(milliseconds(200));
  const auto s = (*b)->stats();
  EXPECT_EQ(s.stale_discarded, 3U);
  EXPECT_EQ(s.refused_source, 0U);  // it latched to A, not the old peer
  EXPECT_GT(s.received.packets, 0U);
}

TEST_F(RtpStreamTest, ExchangesRtcpReportsWithRoundTripTime) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  std::vector<std::int16_t> heard;
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<ToneApp>(8000, 440), wa);
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports), std::make_unique<ToneApp>(8000, 700), wb);
  ASSERT_TRUE(a && b);
  run_for(milliseconds(16000));  // reports every 2.5-7.5 s (RFC 3550 §6.2, §6.3.1)
  const auto sa = (*a)->stats();
  const auto sb = (*b)->stats();
  EXPECT_GE(sa.rtcp_sent, 2U);
  EXPECT_GE(sb.rtcp_received, 2U);
  ASSERT_TRUE(sa.round_trip_ms.has_value() || sb.round_trip_ms.has_value());
  EXPECT_LT(sa.round_trip_ms.value_or(sb.round_trip_ms.value_or(1e9)), 50.0);
  ASSERT_TRUE(sa.peer_reported_lost.has_value());
  EXPECT_EQ(*sa.peer_reported_lost, 0);
}

TEST_F(RtpStreamTest, ReturnsItsSocketsToTheReservationWhenDestroyed) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch w;
  {
    auto a = RtpStream::create(loop_, a_ports, config_to(b_ports), std::make_unique<SilenceApp>(8000), w);
    ASSERT_TRUE(a);
    EXPECT_FALSE(a_ports.rtp_socket());
  }
  EXPECT_TRUE(a_ports.rtp_socket());
  EXPECT_TRUE(a_ports.rtcp_socket());
}

// Whether anyone else could bind 127.0.0.1:`port` right now.
bool bindable(boost::asio::io_context& io, std::uint16_t port) {
  udp::socket other(io, udp::v4());
  boost::system::error_code ec;
  other.bind(udp::endpoint(make_address("127.0.0.1"), port), ec);
  return !ec;
}

RtpStreamConfig muxed(RtpStreamConfig c) {
  c.rtcp_mux = true;
  c.remote_rtcp = c.remote_rtp;
  return c;
}

TEST_F(RtpStreamTest, UnderRtcpMuxHoldsOneDescriptorAndStillExchangesReports) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, muxed(config_to(b_ports)), std::make_unique<ToneApp>(8000, 440), wa);
  auto b = RtpStream::create(loop_, b_ports, muxed(config_to(a_ports)), std::make_unique<ToneApp>(8000, 700), wb);
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(bindable(io_, a_ports.rtcp_port())) << "RFC 5761: the odd port is not held";
  EXPECT_FALSE(bindable(io_, a_ports.rtp_port()));
  run_for(milliseconds(16000));
  EXPECT_GE((*a)->stats().rtcp_sent, 2U);
  EXPECT_GE((*b)->stats().rtcp_received, 2U);
  EXPECT_GT((*b)->stats().received.packets, 700U);
  a->reset();
  EXPECT_TRUE(a_ports.rtp_socket()) << "the RTP socket goes back to the reservation";
  EXPECT_FALSE(a_ports.rtcp_socket());
}

TEST_F(RtpStreamTest, BindsTheRtcpPortAgainWhenAnUpdateTurnsMuxOff) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, muxed(config_to(b_ports)), std::make_unique<ToneApp>(8000, 440), wa);
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports), std::make_unique<ToneApp>(8000, 700), wb);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(bindable(io_, a_ports.rtcp_port()));
  ASSERT_TRUE((*a)->update(config_to(b_ports)));  // RFC 8858 §4: a later answer without a=rtcp-mux
  EXPECT_FALSE(bindable(io_, a_ports.rtcp_port()));
  run_for(milliseconds(16000));
  EXPECT_GE((*b)->stats().rtcp_received, 2U) << "A's reports now come from its odd port, as B expects";
  EXPECT_GE((*a)->stats().rtcp_received, 2U);
  a->reset();
  EXPECT_TRUE(a_ports.rtcp_socket());
}

TEST_F(RtpStreamTest, SendsRtcpFromTheRtpPortWhenItsOddPortWasTakenBeforeMuxWasTurnedOff) {
  auto a_ports = reserve();
  auto b_ports = reserve();
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, muxed(config_to(b_ports)), std::make_unique<ToneApp>(8000, 440), wa);
  auto b = RtpStream::create(loop_, b_ports, muxed(config_to(a_ports)), std::make_unique<ToneApp>(8000, 700), wb);
  ASSERT_TRUE(a && b);
  udp::socket thief(io_, udp::endpoint(make_address("127.0.0.1"), a_ports.rtcp_port()));
  ASSERT_TRUE((*a)->update(config_to(b_ports)));
  run_for(milliseconds(16000));
  EXPECT_GE((*a)->stats().rtcp_sent, 2U);
  EXPECT_GT((*b)->stats().received.packets, 700U) << "audio is unaffected";
  EXPECT_TRUE(wa.ended.empty());
}

TEST_F(RtpStreamTest, DetectsInBandDtmfWhenNoTelephoneEventWasAgreed) {
  // A plays the two sines of '5' (770 + 1336 Hz, ITU-T Q.23) for 100 ms.
  class DtmfToneApp final : public MediaApp {
   public:
    [[nodiscard]] int sample_rate() const noexcept override { return 8000; }
    void on_caller_audio(std::span<const std::int16_t>) override {}
    bool fill(std::span<std::int16_t> frame) override {
      for (std::int16_t& s : frame) {
        const bool on = n_ >= 800 && n_ < 1600;
        const double t = static_cast<double>(n_++) / 8000;
        s = on ? static_cast<std::int16_t>(6000 * (std::sin(2 * M_PI * 770 * t) + std::sin(2 * M_PI * 1336 * t)))
               : std::int16_t{0};
      }
      return true;
    }

   private:
    std::uint64_t n_ = 0;
  };
  auto a_ports = reserve();
  auto b_ports = reserve();
  std::vector<std::int16_t> heard;
  Watch wa;
  Watch wb;
  auto a = RtpStream::create(loop_, a_ports, config_to(b_ports, false), std::make_unique<DtmfToneApp>(), wa);
  auto b = RtpStream::create(loop_, b_ports, config_to(a_ports, false), std::make_unique<CaptureApp>(heard), wb);
  ASSERT_TRUE(a && b);
  run_for(milliseconds(1000));
  EXPECT_EQ(wb.digits, "5");
  ASSERT_EQ(wb.sources.size(), 1U);
  EXPECT_EQ(wb.sources[0], DtmfSource::Inband);
}

}  // namespace
}  // namespace voxgate::media
