#pragma once
// One call's audio stream (RFC 3550/3551) on its worker loop
// (docs/adr/0004-media-engine.md): the RTP and RTCP sockets adopted from
// the call's port reservation, the codec, the jitter buffer with
// concealment, RFC 4733 events both ways (in-band DTMF detection when none
// were agreed), symmetric RTP with latching, RTCP reports, stats, and the
// media app that produces and consumes the audio.
//
// Every 20-ms tick of the loop's MediaClock, the stream plays one frame out
// of the jitter buffer into the app (decoded, concealed or silence) and
// sends one frame the app filled (or a telephone-event packet while a digit
// is being sent). Packets are read as they arrive, between ticks.
//
// Ending: a media timeout, repeated send failures, or an app with nothing
// more to say ends the stream; the observer hears of it on a later turn of
// the loop (never from inside a stream method), so it may destroy the
// stream then. Destroying the stream sends an RTCP BYE (§6.6) and gives the
// sockets back to the reservation, which must outlive the stream.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/udp.hpp>

#include "base/result.hpp"
#include "media/apps/media_app.hpp"
#include "media/codec/codec_factory.hpp"
#include "media/codec/packet_loss_concealer.hpp"
#include "media/codec/resampler.hpp"
#include "media/dtmf/inband_dtmf_detector.hpp"
#include "media/dtmf/telephone_event.hpp"
#include "media/engine/media_clock.hpp"
#include "media/jitter/jitter_buffer.hpp"
#include "media/rtp/rtcp_reporter.hpp"
#include "media/rtp/rtp_port_pool.hpp"
#include "media/rtp/rtp_receive_stats.hpp"
#include "media/stream/media_loop.hpp"
#include "media/stream/remote_latch.hpp"
#include "media/stream/rtp_stream_config.hpp"
#include "media/stream/rtp_stream_stats.hpp"

namespace voxgate::media {

enum class DtmfSource : std::uint8_t { Rfc4733, Inband };
std::string_view to_string(DtmfSource source) noexcept;

enum class StreamEndReason : std::uint8_t {
  MediaTimeout,  // no RTP from the peer for RtpStreamConfig::media_timeout
  SendFailed,    // RtpStreamConfig::max_send_failures sends in a row failed
  AppFinished,   // the app has nothing more to say (a prompt played once)
};
std::string_view to_string(StreamEndReason reason) noexcept;

class RtpStreamObserver {
 public:
  virtual ~RtpStreamObserver() = default;
  // A digit from the peer, once per key press.
  virtual void on_stream_dtmf(char digit, DtmfSource source) = 0;
  // The stream stopped; on its own turn of the loop.
  virtual void on_stream_ended(StreamEndReason reason) = 0;
};

class RtpStream final : private MediaTickHandler {
 public:
  // Adopts the reservation's sockets (they come back when the stream is
  // destroyed) and joins the loop's media clock. Fails when the codec or a
  // resampler cannot be built or a socket cannot be adopted.
  static Result<std::unique_ptr<RtpStream>> create(MediaLoop& loop, RtpPortReservation& ports,
                                                   const RtpStreamConfig& config, std::unique_ptr<MediaApp> app,
                                                   RtpStreamObserver& observer);
  RtpStream(const RtpStream&) = delete;
  RtpStream& operator=(const RtpStream&) = delete;
  ~RtpStream() override;

  // A re-INVITE's outcome: a new remote, direction or codec. SSRC, sequence
  // numbers and the timestamp clock carry on (RFC 3550 §5.1: one source).
  Result<void> update(const RtpStreamConfig& config);

  // Queues a digit to send as RFC 4733 events, `duration` long. Fails when
  // no telephone-event was agreed (Unsupported) or the character is not a
  // DTMF digit (InvalidArgument).
  Result<void> send_dtmf(char digit, std::chrono::milliseconds duration = std::chrono::milliseconds(100));

  // Swaps the app that serves the call (its sample rate may differ).
  Result<void> replace_app(std::unique_ptr<MediaApp> app);
  // The app's listens() changed (an app that routes to others, such as the
  // session layer's, attached or detached one): decode again, or stop.
  void refresh_listening() { update_decoding(); }

  [[nodiscard]] RtpStreamStats stats() const;
  [[nodiscard]] std::uint32_t ssrc() const noexcept { return ssrc_; }
  [[nodiscard]] std::uint16_t local_port() const noexcept { return ports_.rtp_port(); }
  [[nodiscard]] bool ended() const noexcept { return ended_.has_value(); }

 private:
  using Socket = boost::asio::ip::udp::socket;
  using Endpoint = boost::asio::ip::udp::endpoint;

  // One of our sockets with the buffer its pending receive fills. Per
  // socket, not shared scratch: the reactor reads a ready socket into the
  // buffer before our handler runs, and with several sockets ready at once
  // their data would overwrite each other in a shared one.
  struct Receiver {
    explicit Receiver(boost::asio::io_context& io) : socket(io) {}
    Socket socket;
    Endpoint source;
    std::array<std::uint8_t, kMaxDatagramBytes> buffer{};
  };

  RtpStream(MediaLoop& loop, RtpPortReservation& ports, RtpStreamObserver& observer);

  Result<void> adopt_sockets();
  void sync_rtcp_socket();
  [[nodiscard]] boost::asio::ip::udp protocol() const noexcept {
    return ports_.address().is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4();
  }
  Result<void> configure(const RtpStreamConfig& config);
  Result<void> build_resamplers();
  void update_decoding();
  void discard_stale(Socket& socket, const Endpoint& expected, bool rtcp);
  void receive(Receiver& receiver, bool rtcp);
  void on_datagram(std::span<const std::uint8_t> datagram, const Endpoint& source, bool rtcp_socket);
  void on_rtp(std::span<const std::uint8_t> datagram, const Endpoint& source);
  void on_rtcp(std::span<const std::uint8_t> datagram);

  void on_media_tick(std::uint64_t tick) override;
  // On the media clock while the stream sends or receives; an inactive one
  // (both sides on hold: RFC 3264 §5.1 a=inactive) leaves it and only sends
  // RTCP, from a timer of its own.
  void sync_clock();
  void schedule_idle_rtcp();
  [[nodiscard]] std::uint64_t current_ticks() const noexcept;
  void play_out();
  void produce();
  void send_audio(std::span<const std::int16_t> app_frame);
  bool send_dtmf_packet();
  void send_packet(std::span<const std::uint8_t> packet);
  void send_rtcp(bool bye);
  void deliver_digit(char digit, DtmfSource source);
  void end(StreamEndReason reason);

  [[nodiscard]] std::uint32_t rtp_clock() const noexcept {
    return static_cast<std::uint32_t>(rtp_clock_rate(config_.codec));
  }
  [[nodiscard]] std::uint32_t rtp_now() const noexcept;
  [[nodiscard]] std::uint64_t ntp_now() const noexcept;

  MediaLoop& loop_;
  RtpPortReservation& ports_;
  RtpStreamObserver& observer_;
  Receiver rtp_in_;
  Receiver rtcp_in_;
  std::shared_ptr<int> alive_;  // completions queued on the loop hold a weak_ptr to it

  RtpStreamConfig config_;
  AudioCodecPair codec_;
  std::unique_ptr<MediaApp> app_;
  std::optional<Resampler> to_app_;    // codec rate -> app rate
  std::optional<Resampler> from_app_;  // app rate -> codec rate
  std::optional<JitterBuffer> jitter_;
  std::optional<PacketLossConcealer> concealer_;  // codecs without their own concealment
  std::optional<InbandDtmfDetector> inband_dtmf_;
  bool decode_ = true;  // the app listens or in-band DTMF is detected
  TelephoneEventReceiver event_receiver_;
  RemoteLatch rtp_latch_;
  RemoteLatch rtcp_latch_;

  // Sending (RFC 3550 §5.1: SSRC, first sequence number and timestamp are random).
  std::uint32_t ssrc_;
  std::uint16_t sequence_;
  std::uint32_t timestamp_base_;
  std::uint64_t ticks_ = 0;
  bool next_marker_ = true;  // the first packet of a talk spurt (§5.1, RFC 3551 §4.1)
  std::uint32_t consecutive_send_failures_ = 0;
  std::string dtmf_queue_;
  std::optional<TelephoneEventSender> dtmf_sender_;
  std::uint32_t dtmf_timestamp_ = 0;
  std::uint16_t dtmf_duration_samples_ = 0;
  std::uint32_t dtmf_gap_ticks_ = 0;

  // Receiving.
  RtpReceiveStats receive_stats_;
  std::optional<std::uint32_t> remote_ssrc_;
  Clock::TimePoint started_;
  Clock::TimePoint last_rtp_;
  RtcpReporter rtcp_;
  Clock::TimePoint next_rtcp_;
  std::uint64_t ntp_at_start_ = 0;

  RtpStreamStats stats_;
  std::optional<StreamEndReason> ended_;
  runtime::TimerId end_notice_{};
  bool on_clock_ = false;
  Clock::TimePoint left_clock_at_;  // !on_clock_: the ticks since count towards the timestamp
  runtime::TimerId idle_rtcp_{};
};

}  // namespace voxgate::media
