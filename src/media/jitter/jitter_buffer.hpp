#pragma once
// The adaptive jitter buffer of one received RTP stream (docs/adr/0004-media-engine.md).
// speexdsp's JitterBuffer (libspeexdsp-dev) picks the playout delay: it
// weighs the delay against the share of packets that would arrive too late.
// Around it we add what a phone call needs and speexdsp lacks: duplicate
// suppression, resynchronisation when the RTP timestamps jump (RFC 3550
// §5.1), comfort silence instead of endless concealment while the peer
// sends nothing (DTX), counters, and control of *when* the delay changes:
// speexdsp may grow it at any tick (a concealed frame), but it gives delay
// back only while the peer is silent or at the start of a talk spurt, where
// nothing audible is lost, unless the delay passes `max_delay_frames`.
//
// One RTP packet carries one frame of `frame_samples` timestamp units (the
// stream's ptime is fixed, ADR 0004); put() every received packet and get()
// once per media tick. Runs on its call's loop: not thread-safe.
//
// Memory (BM_MemoryPerBuffer in jitter_buffer_bench.cpp, x86-64):
// sizeof(JitterBuffer) is 280 bytes, and its heap 9.7 KiB after a second of
// 20-ms G.711: speexdsp's state is 8,056 bytes of it (a fixed table of 200
// packets and three 40-entry timing windows), our 33 slot headers 1 KiB, and
// each slot the delay has used keeps a payload buffer (160 bytes here). So
// 5,000 calls hold about 48 MiB.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "base/result.hpp"

struct JitterBuffer_;  // speexdsp's state (<speex/speex_jitter.h>)

namespace voxgate::media {

struct JitterBufferSettings {
  // RTP timestamp units per frame: 160 is 20 ms at the 8 kHz clock of PCMU,
  // PCMA and G.722 (RFC 3551 §4.5.2), 960 at Opus's 48 kHz (RFC 7587 §4.1).
  // speexdsp grows and shrinks its delay, and conceals, in whole frames.
  std::uint32_t frame_samples = 160;
  // JITTER_BUFFER_SET_MAX_LATE_RATE: a ceiling on the share of packets
  // allowed to arrive too late, whatever the delay it takes. speexdsp keeps
  // the 40 latest arrivals over a window of 4000 / rate packets, so the rate
  // also sets how long a jitter spike is remembered: speexdsp's 4 % is a
  // 20-s window, long enough to span the bursts of a congested Wi-Fi or LTE
  // link, short enough to give the delay back a few sentences after they end.
  std::uint32_t max_late_rate_percent = 4;
  // JITTER_BUFFER_SET_LATE_COST, in frames: the delay worth one percent
  // fewer late packets (0: speexdsp derives one from the spread of
  // arrivals). Two frames (40 ms) lean towards delay, as the E-model does
  // (ITU-T G.107, in Cole and Rosenbluth's simplification): 1 % loss
  // concealed by G.711 Appendix I costs 3.6 R, as much as ~150 ms more
  // delay while mouth-to-ear stays under 177 ms, ~27 ms beyond. With 40-100 ms
  // spikes on 5 % of packets, speexdsp's own cost leaves 2.7 % of frames
  // concealed, two frames 0.13 % (at about 100 ms of delay).
  std::uint32_t late_cost_frames = 2;
  // The buffered delay, in frames, above which frames are dropped unplayed
  // (counted in `skipped`) to come back down to it, even mid-speech. Below
  // it delay is only given back in silence, so a sender that never pauses
  // (G.711 without VAD) and whose clock runs fast makes the delay drift up
  // to here: 100 ppm is a frame every 200 s, this ceiling after ~27 minutes,
  // then one 20-ms frame dropped every 200 s. Ten frames (200 ms at 20-ms
  // frames) is twice the delay speexdsp settles at for 100-ms spikes on 5 %
  // of packets, and already alone past G.114's 150 ms and the E-model's
  // 177-ms knee, beyond which each 20 ms costs 2.7 R for the rest of the
  // call, while one dropped frame costs a 20-ms gap once. 2 to 30 (the
  // buffer holds 32 frames).
  std::uint32_t max_delay_frames = 10;
};

enum class JitterOutcome : std::uint8_t {
  Frame,    // a packet's payload is due: decode it
  Missing,  // the packet due is lost or late (or a frame inserted to grow the delay): conceal, with the decoder's PLC
  Silence,  // nothing to play: not started yet, or past three frames missing in a row (DTX, a loss burst)
};

struct JitterFrame {
  JitterOutcome outcome = JitterOutcome::Silence;
  // Frame only; valid until the next put(), get() or reset() on the buffer.
  std::span<const std::uint8_t> payload;
  // The RTP timestamp played or concealed; 0 for Silence before any packet.
  std::uint32_t timestamp = 0;
  // Frame only: the packet's marker bit, the first packet of a talk spurt
  // (RFC 3551 §4.1), so the decoder can drop its concealment history.
  bool marker = false;
};

struct JitterBufferStats {
  std::uint64_t frames = 0;      // get() returned Frame
  std::uint64_t concealed = 0;   // get() returned Missing (lost, late, or inserted to grow the delay)
  std::uint64_t silence = 0;     // get() returned Silence
  std::uint64_t inserted = 0;    // of `concealed`: frames speexdsp inserted to grow the delay
  std::uint64_t given_back = 0;  // frames of delay given back in silence or before a talk spurt (nothing dropped)
  std::uint64_t skipped = 0;     // frames dropped unplayed to shrink the delay (above `max_delay_frames`)
  std::uint64_t late = 0;        // put() after the packet's playout time: not played
  std::uint64_t duplicates = 0;  // put() of a sequence number and timestamp among the last 16
  std::uint64_t discarded = 0;   // put() too far from the playout point and not a new timeline, or over 1500 bytes
  std::uint64_t resyncs = 0;     // playout restarted on a timestamp jump, an overflow or reset() (not after a pause)
  std::uint32_t delay = 0;       // audio buffered after the last get(), in timestamp units
  std::uint32_t max_delay = 0;   // the largest `delay` seen
};

class JitterBuffer {
 public:
  // Payloads above this are discarded: larger than an Ethernet MTU, they are
  // no voice frame we negotiate, and the cap bounds the memory a peer can pin.
  static constexpr std::size_t kMaxPayloadBytes = 1500;

  // Fails on settings speexdsp cannot work with (a zero frame or late rate).
  static Result<JitterBuffer> create(const JitterBufferSettings& settings = {});

  // Movable (a moved-from buffer may only be destroyed or assigned to).
  JitterBuffer(JitterBuffer&&) noexcept;
  JitterBuffer& operator=(JitterBuffer&&) noexcept;
  JitterBuffer(const JitterBuffer&) = delete;
  JitterBuffer& operator=(const JitterBuffer&) = delete;
  ~JitterBuffer();

  // One received packet (its RTP header fields and payload, copied).
  void put(std::uint32_t rtp_timestamp, std::uint16_t sequence, bool marker, std::span<const std::uint8_t> payload);
  // What to play for this media tick; call exactly once per tick.
  JitterFrame get();
  // Forgets every packet and starts over, as for a new source (SSRC change,
  // RFC 3550 §8.2) or a renegotiated codec.
  void reset();

  [[nodiscard]] const JitterBufferStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const JitterBufferSettings& settings() const noexcept { return settings_; }

 private:
  struct Slot;
  struct Destroy {
    void operator()(JitterBuffer_* state) const noexcept;
  };
  // A recently put packet, for duplicate suppression.
  struct Seen {
    std::uint32_t timestamp = 0;
    std::uint16_t sequence = 0;
    bool valid = false;
  };

  JitterBuffer(const JitterBufferSettings& settings, std::unique_ptr<JitterBuffer_, Destroy> speex,
               std::unique_ptr<Slot[]> slots) noexcept;

  void restart();
  bool is_duplicate(std::uint32_t timestamp, std::uint16_t sequence) noexcept;
  void return_lent() noexcept;
  Slot* free_slot() noexcept;
  void put_late(std::uint32_t timestamp, std::uint16_t sequence);
  void store(std::uint32_t timestamp, std::uint16_t sequence, bool marker, std::span<const std::uint8_t> payload);
  JitterFrame not_played(std::uint32_t timestamp, bool inserted);
  [[nodiscard]] std::int32_t buffered_ahead() const noexcept;
  void measure_delay() noexcept;
  void give_back_delay() noexcept;
  void drop_above_ceiling() noexcept;
  [[nodiscard]] bool holds(std::uint32_t timestamp) const noexcept;

  JitterBufferSettings settings_;
  // speexdsp holds pointers into slots_ (see the .cpp): the destructor
  // releases speex_ first, and speex_ is declared first so a move assignment
  // releases the old speexdsp state while its slots still exist.
  std::unique_ptr<JitterBuffer_, Destroy> speex_;
  std::unique_ptr<Slot[]> slots_;
  Slot* lent_ = nullptr;  // the slot whose payload the last get() returned
  std::array<Seen, 16> seen_{};
  std::uint8_t seen_next_ = 0;
  bool synced_ = false;     // speexdsp has left its reset state (it played from the buffer once)
  bool buffering_ = false;  // a packet arrived since the last restart
  std::uint8_t waited_ticks_ = 0;
  bool have_sequence_ = false;
  std::uint16_t last_sequence_ = 0;
  bool have_newest_ = false;
  std::uint32_t newest_timestamp_ = 0;
  std::uint32_t consecutive_missing_ = 0;
  std::uint32_t playout_delay_ = 0;  // how early the newest packet arrived: the delay while the peer talks
  JitterBufferStats stats_;
};

}  // namespace voxgate::media
