#include "media/stream/rtp_stream.hpp"

#include <algorithm>
#include <chrono>

#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace voxgate::media {

namespace {

constexpr std::uint32_t kTicksPerSecond = 50;         // 20-ms frames
constexpr std::uint32_t kDtmfGapTicks = 3;            // 60 ms between queued digits
constexpr std::uint64_t kNtpUnixOffset = 2208988800;  // seconds from 1900 (NTP) to 1970 (RFC 868)

// A duration in NTP's 32.32 fixed point (RFC 3550 §4).
std::uint64_t to_ntp_duration(Clock::Duration duration) noexcept {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration);
  const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(duration - seconds);
  return (static_cast<std::uint64_t>(seconds.count()) << 32) +
         ((static_cast<std::uint64_t>(nanoseconds.count()) << 32) / 1'000'000'000U);
}

std::size_t frame_samples(int rate) noexcept {
  return static_cast<std::size_t>(rate) / kTicksPerSecond;
}

// Resampler output rounds: pad or trim to exactly one frame.
void fit(std::vector<std::int16_t>& pcm, std::size_t samples) {
  pcm.resize(samples, pcm.empty() ? std::int16_t{0} : pcm.back());
}

// 20-ms frames of the codec's RTP clock.
JitterBufferSettings jitter_settings(CodecId codec) noexcept {
  JitterBufferSettings settings;
  settings.frame_samples = static_cast<std::uint32_t>(rtp_clock_rate(codec)) / kTicksPerSecond;
  return settings;
}

}  // namespace

std::string_view to_string(DtmfSource source) noexcept {
  switch (source) {
    case DtmfSource::Rfc4733: return "rfc4733";
    case DtmfSource::Inband: return "inband";
  }
  return "?";
}

std::string_view to_string(StreamEndReason reason) noexcept {
  switch (reason) {
    case StreamEndReason::MediaTimeout: return "media timeout";
    case StreamEndReason::SendFailed: return "RTP send failed";
    case StreamEndReason::AppFinished: return "media app finished";
  }
  return "?";
}

RtpStream::RtpStream(MediaLoop& loop, RtpPortReservation& ports, RtpStreamObserver& observer)
    : loop_(loop),
      ports_(ports),
      observer_(observer),
      rtp_in_(loop.io()),
      rtcp_in_(loop.io()),
      alive_(std::make_shared<int>(0)),
      rtp_latch_({}, {}),
      rtcp_latch_({}, {}),
      ssrc_(loop.random32()),
      sequence_(static_cast<std::uint16_t>(loop.random32())),
      timestamp_base_(loop.random32()),
      started_(loop.clock().now()),
      last_rtp_(started_),
      rtcp_(ssrc_, ""),
      next_rtcp_(started_) {
  // The SR's NTP time is wallclock (§6.4.1); it then advances with the
  // loop's clock, so it stays monotonic and tests can drive it.
  ntp_at_start_ = (kNtpUnixOffset << 32) + to_ntp_duration(std::chrono::system_clock::now().time_since_epoch());
}

Result<std::unique_ptr<RtpStream>> RtpStream::create(MediaLoop& loop, RtpPortReservation& ports,
                                                     const RtpStreamConfig& config, std::unique_ptr<MediaApp> app,
                                                     RtpStreamObserver& observer) {
  if (!app) return make_error(Errc::InvalidArgument, "a stream needs a media app");
  std::unique_ptr<RtpStream> stream(new RtpStream(loop, ports, observer));
  stream->app_ = std::move(app);
  stream->rtcp_ = RtcpReporter(stream->ssrc_, config.cname);
  if (auto configured = stream->configure(config); !configured) return tl::unexpected(configured.error());
  if (auto adopted = stream->adopt_sockets(); !adopted) return tl::unexpected(adopted.error());
  stream->next_rtcp_ = stream->started_ + std::chrono::milliseconds(RtcpReporter::next_interval_ms(loop.random01()));
  stream->left_clock_at_ = stream->started_;
  stream->sync_clock();
  return stream;
}

RtpStream::~RtpStream() {
  loop_.media_clock().remove(*this);
  loop_.timers().cancel(end_notice_);
  loop_.timers().cancel(idle_rtcp_);
  // §6.6: say we leave, when we took part at all.
  if (stats_.packets_sent > 0 || stats_.received.packets > 0) send_rtcp(true);
  // Pending waits complete with operation_aborted and touch nothing; the
  // descriptors go back to the reservation (and its pool) still bound.
  boost::system::error_code ec;
  if (rtp_in_.socket.is_open()) ports_.rtp_socket() = UniqueFd(rtp_in_.socket.release(ec));
  if (rtcp_in_.socket.is_open()) ports_.rtcp_socket() = UniqueFd(rtcp_in_.socket.release(ec));
}

Result<void> RtpStream::adopt_sockets() {
  boost::system::error_code ec;
  rtp_in_.socket.assign(protocol(), ports_.rtp_socket().get(), ec);
  if (ec) return make_error(Errc::Internal, "cannot adopt RTP socket: {}", ec.message());
  (void)ports_.rtp_socket().release();
  rtp_in_.socket.non_blocking(true, ec);
  // A reused pair may hold datagrams its previous call's peer still sent
  // (RtpPortPool reuses pairs): drop what does not come from our peer.
  discard_stale(rtp_in_.socket, config_.remote_rtp, false);
  receive(rtp_in_, false);
  sync_rtcp_socket();
  return {};
}

void RtpStream::sync_rtcp_socket() {
  // RFC 5761: with mux agreed the odd port is idle, so its descriptor is
  // closed (a call then holds one descriptor, not two); an answer that turns
  // mux off later (RFC 8858 §4) binds it again. Should another process have
  // taken the port meanwhile, our RTCP leaves from the RTP port and the
  // peer's is not heard: RTCP is lost, the call's audio is not.
  boost::system::error_code ec;
  if (config_.rtcp_mux) {
    if (rtcp_in_.socket.is_open()) rtcp_in_.socket.close(ec);  // a pending receive completes aborted
    ports_.close_rtcp();
    return;
  }
  if (rtcp_in_.socket.is_open()) return;
  if (!ports_.rtcp_socket() && !ports_.rebind_rtcp()) return;
  rtcp_in_.socket.assign(protocol(), ports_.rtcp_socket().get(), ec);
  if (ec) {
    ports_.close_rtcp();
    return;
  }
  (void)ports_.rtcp_socket().release();
  rtcp_in_.socket.non_blocking(true, ec);
  discard_stale(rtcp_in_.socket, config_.remote_rtcp, true);
  receive(rtcp_in_, true);
}

void RtpStream::discard_stale(Socket& socket, const Endpoint& expected, bool rtcp) {
  auto& buffer = loop_.scratch().datagram;
  for (;;) {
    Endpoint source;
    boost::system::error_code ec;
    const std::size_t n = socket.receive_from(boost::asio::buffer(buffer), source, 0, ec);
    if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) return;
    if (ec) continue;  // a queued ICMP error: nothing to read
    if (source == expected) {
      on_datagram(std::span(buffer.data(), n), source, rtcp);
    } else {
      ++stats_.stale_discarded;
    }
  }
}

Result<void> RtpStream::configure(const RtpStreamConfig& config) {
  const bool codec_changed = !codec_.encoder || config.codec != config_.codec;
  const bool rtp_moved = config.remote_rtp != config_.remote_rtp || !codec_.encoder;
  const bool rtcp_moved = config.remote_rtcp != config_.remote_rtcp || !codec_.encoder;
  if (codec_changed) {
    auto codec = make_audio_codec(config.codec, app_->sample_rate());
    if (!codec) return tl::unexpected(codec.error());
    codec_ = std::move(*codec);
    // The jitter buffer (speexdsp's, several KiB) comes with the first
    // packet worth buffering: a call whose peer sends nothing (held,
    // one-way, signalling tests) never pays for it.
    jitter_.reset();
    concealer_.emplace();
    next_marker_ = true;
  }
  // The media timeout counts from when we listen again (off hold): the
  // silence of a hold longer than the timeout is not the peer's failure.
  if (config.receive && !config_.receive) last_rtp_ = loop_.clock().now();
  config_ = config;
  if (auto built = build_resamplers(); !built) return built;
  if (rtp_moved) rtp_latch_ = RemoteLatch(config.remote_rtp, config.relatch_after);
  if (rtcp_moved) rtcp_latch_ = RemoteLatch(config.remote_rtcp, config.relatch_after);
  // In-band detection runs on 8 kHz audio, only when the peer cannot send
  // RFC 4733 events (it would otherwise report every digit twice).
  if (config.inband_dtmf && !config.telephone_event && codec_.decoder->sample_rate() == 8000) {
    if (!inband_dtmf_) inband_dtmf_.emplace();
  } else {
    inband_dtmf_.reset();
  }
  update_decoding();
  return {};
}

void RtpStream::update_decoding() {
  // Only audio someone consumes is worth buffering and decoding (the
  // jitter buffer, the codec and concealment are most of a stream's own
  // CPU): a tone or a prompt only counts what arrives.
  const bool decode = app_->listens() || inband_dtmf_.has_value();
  if (decode && !decode_ && jitter_) jitter_->reset();  // it holds nothing current
  decode_ = decode;
}

Result<void> RtpStream::build_resamplers() {
  const int codec_rate = codec_.decoder->sample_rate();
  const int app_rate = app_->sample_rate();
  to_app_.reset();
  from_app_.reset();
  if (codec_rate == app_rate) return {};
  auto in = Resampler::create(codec_rate, app_rate);
  if (!in) return tl::unexpected(in.error());
  auto out = Resampler::create(app_rate, codec_.encoder->sample_rate());
  if (!out) return tl::unexpected(out.error());
  to_app_.emplace(std::move(*in));
  from_app_.emplace(std::move(*out));
  return {};
}

Result<void> RtpStream::update(const RtpStreamConfig& config) {
  if (ended_) return make_error(Errc::InvalidState, "the stream has ended");
  if (auto configured = configure(config); !configured) return configured;
  sync_rtcp_socket();
  sync_clock();
  return {};
}

void RtpStream::sync_clock() {
  // At 10,000 held calls the ticks of streams with nothing to do were a
  // fifth of a core and a millisecond of every 20 ms tick on each loop,
  // which SIP messages waited behind (bench/api_load).
  const bool active = !ended_ && (config_.send || config_.receive);
  if (active == on_clock_) {
    if (!active && !ended_ && idle_rtcp_ == runtime::TimerId{}) schedule_idle_rtcp();  // created inactive
    return;
  }
  const Clock::TimePoint now = loop_.clock().now();
  if (active) {
    ticks_ = current_ticks();  // the timestamp went on in real time (RFC 3550 §5.1)
    loop_.timers().cancel(idle_rtcp_);
    idle_rtcp_ = {};
    loop_.media_clock().add(*this);
  } else {
    loop_.media_clock().remove(*this);
    left_clock_at_ = now;
    schedule_idle_rtcp();
  }
  on_clock_ = active;
}

void RtpStream::schedule_idle_rtcp() {
  // RFC 3264 §5.1: RTCP goes on for an inactive stream.
  const auto delay = std::max(next_rtcp_ - loop_.clock().now(), Clock::Duration::zero());
  idle_rtcp_ = loop_.timers().schedule(delay, [this] {
    idle_rtcp_ = {};
    send_rtcp(false);
    next_rtcp_ = loop_.clock().now() + std::chrono::milliseconds(RtcpReporter::next_interval_ms(loop_.random01()));
    schedule_idle_rtcp();
  });
}

std::uint64_t RtpStream::current_ticks() const noexcept {
  if (on_clock_) return ticks_;
  const auto idle = loop_.clock().now() - left_clock_at_;
  return ticks_ + static_cast<std::uint64_t>(idle / std::chrono::milliseconds(1000 / kTicksPerSecond));
}

Result<void> RtpStream::replace_app(std::unique_ptr<MediaApp> app) {
  if (!app) return make_error(Errc::InvalidArgument, "a stream needs a media app");
  std::unique_ptr<MediaApp> previous = std::exchange(app_, std::move(app));
  if (auto built = build_resamplers(); !built) {
    app_ = std::move(previous);
    (void)build_resamplers();
    return built;
  }
  update_decoding();
  return {};
}

Result<void> RtpStream::send_dtmf(char digit, std::chrono::milliseconds duration) {
  if (!config_.telephone_event) return make_error(Errc::Unsupported, "no telephone-event was agreed for this call");
  if (!dtmf_event_from_char(digit)) return make_error(Errc::InvalidArgument, "'{}' is not a DTMF digit", digit);
  // RFC 4733 §2.5.2.3: the duration field is 16 bits of timestamp units.
  const auto samples = static_cast<std::uint64_t>(duration.count()) * rtp_clock() / 1000;
  dtmf_duration_samples_ = static_cast<std::uint16_t>(std::clamp<std::uint64_t>(samples, rtp_clock() / 25, 0xFFFF));
  dtmf_queue_.push_back(digit);
  return {};
}

void RtpStream::receive(Receiver& receiver, bool rtcp) {
  // async_receive_from, not async_wait + read: Asio tries a receive at once
  // and waits only when the socket is empty, while every async_wait costs
  // an epoll_ctl (Asio re-arms the edge-triggered descriptor for it). That
  // was 5 % of an echo call's CPU (BENCHMARKS.md, "Media under load").
  // A socket that keeps having data completes at once, through the loop's
  // queue, one datagram per turn: other work still runs in between.
  receiver.socket.async_receive_from(boost::asio::buffer(receiver.buffer), receiver.source,
                                     [this, &receiver, rtcp, alive = std::weak_ptr<int>(alive_)](
                                         const boost::system::error_code& ec, std::size_t size) {
                                       // Aborted: the stream released its sockets. A completion queued
                                       // before that still runs, so `alive` says whether we exist.
                                       if (ec == boost::asio::error::operation_aborted || alive.expired()) return;
                                       // An error is a queued ICMP report (port unreachable): nothing to read.
                                       if (!ec)
                                         on_datagram(std::span(receiver.buffer.data(), size), receiver.source, rtcp);
                                       if (!alive.expired())
                                         receive(receiver, rtcp);  // an observer told of a digit may have ended us
                                     });
}

void RtpStream::on_datagram(std::span<const std::uint8_t> datagram, const Endpoint& source, bool rtcp_socket) {
  const Clock::TimePoint now = loop_.clock().now();
  if (rtcp_socket || (config_.rtcp_mux && looks_like_rtcp(datagram))) {
    RemoteLatch& latch = rtcp_socket ? rtcp_latch_ : rtp_latch_;
    if (!rtcp_socket || latch.on_packet(source, now) != RemoteLatch::Verdict::Refused) {
      on_rtcp(datagram);
    } else {
      ++stats_.refused_source;
    }
    return;
  }
  const auto packet = parse_rtp(datagram);
  if (!packet) {
    ++stats_.malformed;
    return;
  }
  const std::uint8_t pt = packet->header.payload_type;
  const bool audio = pt == config_.receive_payload_type;
  const bool event = config_.telephone_event && pt == config_.telephone_event->receive_payload_type;
  if (!audio && !event) {
    ++stats_.unknown_payload_type;  // comfort noise, a codec we did not agree on: not played
    return;
  }
  switch (rtp_latch_.on_packet(source, now)) {
    case RemoteLatch::Verdict::Refused: ++stats_.refused_source; return;
    case RemoteLatch::Verdict::Relatched: ++stats_.relatched; break;
    case RemoteLatch::Verdict::Latched:
    case RemoteLatch::Verdict::FromLatched: break;
  }
  last_rtp_ = now;
  // A new SSRC is a new source (the peer restarted, or a re-INVITE moved
  // it): its sequence and timestamps start over (RFC 3550 §8.2).
  if (remote_ssrc_ != packet->header.ssrc) {
    if (remote_ssrc_) {
      receive_stats_ = RtpReceiveStats{};
      if (jitter_) jitter_->reset();
    }
    remote_ssrc_ = packet->header.ssrc;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - started_).count();
  const auto arrival = static_cast<std::uint32_t>(static_cast<std::uint64_t>(elapsed) * rtp_clock() / 1'000'000U);
  receive_stats_.on_packet(packet->header.sequence, packet->header.timestamp, arrival, packet->payload.size());
  if (event) {
    if (auto digit = event_receiver_.on_packet(packet->header.timestamp, packet->payload)) {
      deliver_digit(dtmf_char(*digit), DtmfSource::Rfc4733);
    }
    return;
  }
  if (!decode_) return;
  if (!jitter_) {
    auto jitter = JitterBuffer::create(jitter_settings(config_.codec));
    if (!jitter) return;  // fixed, valid settings per codec we run (each is received in tests/integration/media)
    jitter_.emplace(std::move(*jitter));
  }
  jitter_->put(packet->header.timestamp, packet->header.sequence, packet->header.marker, packet->payload);
}

void RtpStream::on_rtcp(std::span<const std::uint8_t> datagram) {
  auto compound = parse_rtcp(datagram);
  if (!compound) {
    ++stats_.malformed;
    return;
  }
  ++stats_.rtcp_received;
  rtcp_.on_received(*compound, ntp_now());
}

void RtpStream::on_media_tick(std::uint64_t /*tick*/) {
  if (ended_) return;
  ++ticks_;
  if (config_.receive && decode_) play_out();
  produce();
  if (ended_) return;
  const Clock::TimePoint now = loop_.clock().now();
  if (now >= next_rtcp_) {
    send_rtcp(false);
    next_rtcp_ = now + std::chrono::milliseconds(RtcpReporter::next_interval_ms(loop_.random01()));
  }
  if (config_.receive && config_.media_timeout.count() > 0 && now - last_rtp_ >= config_.media_timeout) {
    end(StreamEndReason::MediaTimeout);
  }
}

void RtpStream::play_out() {
  MediaScratch& scratch = loop_.scratch();
  const std::size_t samples = frame_samples(codec_.decoder->sample_rate());
  std::vector<std::int16_t>& pcm = scratch.codec_pcm;
  pcm.assign(std::max(samples, codec_.decoder->max_samples(scratch.packet.size())), 0);
  const JitterFrame frame = jitter_ ? jitter_->get() : JitterFrame{};  // Silence before the first packet
  switch (frame.outcome) {
    case JitterOutcome::Frame: {
      codec_.decoder->decode(frame.payload, pcm);  // a short or corrupt payload leaves zeros
      pcm.resize(samples, 0);
      concealer_->on_good_frame(pcm);
      ++stats_.frames_played;
      break;
    }
    case JitterOutcome::Missing: {
      pcm.resize(samples);
      if (codec_.decoder->conceal(pcm) == 0) concealer_->conceal(pcm);
      ++stats_.frames_concealed;
      break;
    }
    case JitterOutcome::Silence:
      pcm.assign(samples, 0);
      ++stats_.frames_silent;
      break;
  }
  if (inband_dtmf_) {
    std::vector<DtmfEvent>& digits = loop_.scratch().digits;
    digits.clear();
    inband_dtmf_->process(pcm, digits);
    for (const DtmfEvent digit : digits) deliver_digit(dtmf_char(digit), DtmfSource::Inband);
  }
  if (to_app_) {
    scratch.resampled.clear();
    to_app_->process(pcm, scratch.resampled);
    fit(scratch.resampled, frame_samples(app_->sample_rate()));
    app_->on_caller_audio(scratch.resampled);
  } else {
    app_->on_caller_audio(pcm);
  }
}

void RtpStream::produce() {
  MediaScratch& scratch = loop_.scratch();
  scratch.app_pcm.assign(frame_samples(app_->sample_rate()), 0);
  if (!app_->fill(scratch.app_pcm)) {
    end(StreamEndReason::AppFinished);
    return;
  }
  if (!config_.send || !rtp_latch_.has_destination()) {
    next_marker_ = true;  // the next packet we send starts a talk spurt
    return;
  }
  if (send_dtmf_packet()) return;
  send_audio(scratch.app_pcm);
}

void RtpStream::send_audio(std::span<const std::int16_t> app_frame) {
  MediaScratch& scratch = loop_.scratch();
  std::span<const std::int16_t> pcm = app_frame;
  if (from_app_) {
    scratch.resampled.clear();
    from_app_->process(app_frame, scratch.resampled);
    fit(scratch.resampled, frame_samples(codec_.encoder->sample_rate()));
    pcm = scratch.resampled;
  }
  auto& packet = scratch.packet;
  const std::size_t payload =
      codec_.encoder->encode(pcm, std::span(packet).subspan(kRtpHeaderBytes, packet.size() - kRtpHeaderBytes));
  if (payload == 0) return;
  RtpHeader header;
  header.marker = std::exchange(next_marker_, false);
  header.payload_type = config_.send_payload_type;
  header.sequence = sequence_++;
  header.timestamp = rtp_now();
  header.ssrc = ssrc_;
  write_rtp_header(header, packet);
  send_packet(std::span(packet).first(kRtpHeaderBytes + payload));
  rtcp_.on_rtp_sent(header.timestamp, payload);
  stats_.bytes_sent += payload;
}

bool RtpStream::send_dtmf_packet() {
  if (!dtmf_sender_) {
    if (dtmf_gap_ticks_ > 0) --dtmf_gap_ticks_;
    if (dtmf_queue_.empty() || dtmf_gap_ticks_ > 0) return false;
    const auto event = dtmf_event_from_char(dtmf_queue_.front());
    dtmf_queue_.erase(0, 1);
    dtmf_sender_.emplace(*event, dtmf_duration_samples_, static_cast<std::uint16_t>(rtp_clock() / kTicksPerSecond));
    dtmf_timestamp_ = rtp_now();  // §2.5.1.2: every packet of the event carries its start
    ++stats_.dtmf_sent;
  }
  const auto next = dtmf_sender_->next();
  if (!next) {
    dtmf_sender_.reset();
    dtmf_gap_ticks_ = kDtmfGapTicks;
    next_marker_ = true;  // audio resumes as a new talk spurt
    return false;
  }
  auto& packet = loop_.scratch().packet;
  RtpHeader header;
  header.marker = next->marker;
  header.payload_type = config_.telephone_event->send_payload_type;
  header.sequence = sequence_++;
  header.timestamp = dtmf_timestamp_;
  header.ssrc = ssrc_;
  write_rtp_header(header, packet);
  write_telephone_event(next->payload, std::span<std::uint8_t, kTelephoneEventBytes>(packet.data() + kRtpHeaderBytes,
                                                                                     kTelephoneEventBytes));
  send_packet(std::span(packet).first(kRtpHeaderBytes + kTelephoneEventBytes));
  rtcp_.on_rtp_sent(header.timestamp, kTelephoneEventBytes);
  stats_.bytes_sent += kTelephoneEventBytes;
  return true;
}

void RtpStream::send_packet(std::span<const std::uint8_t> packet) {
  boost::system::error_code ec;
  rtp_in_.socket.send_to(boost::asio::buffer(packet.data(), packet.size()), rtp_latch_.destination(), 0, ec);
  if (!ec) {
    ++stats_.packets_sent;
    consecutive_send_failures_ = 0;
    return;
  }
  ++stats_.send_failures;
  if (++consecutive_send_failures_ >= config_.max_send_failures) end(StreamEndReason::SendFailed);
}

void RtpStream::send_rtcp(bool bye) {
  const Endpoint& destination = config_.rtcp_mux ? rtp_latch_.destination() : rtcp_latch_.destination();
  if (destination.port() == 0 || destination.address().is_unspecified()) return;
  std::vector<std::uint8_t>& out = loop_.scratch().rtcp;
  out.clear();
  RtpReceiveStats* received = remote_ssrc_ ? &receive_stats_ : nullptr;
  rtcp_.write_report(received, remote_ssrc_.value_or(0), ntp_now(), rtp_now(), bye, out);
  Socket& socket = config_.rtcp_mux || !rtcp_in_.socket.is_open() ? rtp_in_.socket : rtcp_in_.socket;
  boost::system::error_code ec;
  socket.send_to(boost::asio::buffer(out), destination, 0, ec);
  if (!ec) ++stats_.rtcp_sent;
}

void RtpStream::deliver_digit(char digit, DtmfSource source) {
  ++stats_.dtmf_received;
  observer_.on_stream_dtmf(digit, source);
}

void RtpStream::end(StreamEndReason reason) {
  if (ended_) return;
  ended_ = reason;
  loop_.media_clock().remove(*this);
  on_clock_ = false;
  loop_.timers().cancel(idle_rtcp_);
  idle_rtcp_ = {};
  // Told on a later turn: the observer may destroy the stream, which must
  // not happen inside a tick or a read.
  end_notice_ = loop_.timers().schedule(Clock::Duration::zero(), [this] {
    end_notice_ = {};
    observer_.on_stream_ended(*ended_);
  });
}

std::uint32_t RtpStream::rtp_now() const noexcept {
  // The timestamp clock runs in step with the media ticks (§5.1: it
  // advances with real time, also while nothing is sent).
  return timestamp_base_ + static_cast<std::uint32_t>(current_ticks() * (rtp_clock() / kTicksPerSecond));
}

std::uint64_t RtpStream::ntp_now() const noexcept {
  return ntp_at_start_ + to_ntp_duration(loop_.clock().now() - started_);
}

RtpStreamStats RtpStream::stats() const {
  RtpStreamStats out = stats_;
  out.received = receive_stats_.counters();
  out.lost = remote_ssrc_ ? receive_stats_.cumulative_lost() : 0;
  out.jitter_ms = receive_stats_.jitter() * 1000 / rtp_clock();
  if (auto rtt = rtcp_.round_trip_seconds()) out.round_trip_ms = *rtt * 1000;
  if (const auto& report = rtcp_.peer_report()) out.peer_reported_lost = report->cumulative_lost;
  if (jitter_) {
    const JitterBufferStats& j = jitter_->stats();
    out.jitter_buffer_resyncs = j.resyncs;
    out.jitter_buffer_late = j.late;
    out.jitter_buffer_skipped = j.skipped;
    out.jitter_buffer_delay_ms = j.delay * 1000 / rtp_clock();
  }
  return out;
}

}  // namespace voxgate::media
