#include "media/jitter/jitter_buffer.hpp"

#include <speex/speex_jitter.h>

#include <algorithm>
#include <new>
#include <vector>

namespace voxgate::media {

// Payload storage without an allocation per packet. With a destroy
// callback set, speexdsp stops copying: it keeps the `data` pointer it is
// given, hands it back from jitter_buffer_get() (forgetting it), and calls
// the callback on the packets it discards itself (too old, reset, destroy).
// So `data` is a Slot of ours, never read by speexdsp, and a slot is free
// again after the callback or once the frame it lent is no longer valid.
// Each slot keeps its byte buffer's capacity, so allocations stop once the
// stream's largest payload has been seen in each slot in use.
struct JitterBuffer::Slot {
  std::vector<std::uint8_t> bytes;
  std::uint32_t timestamp = 0;
  bool marker = false;
  bool in_use = false;

  char* handle() noexcept { return static_cast<char*>(static_cast<void*>(this)); }
  static Slot* from_handle(char* data) noexcept { return static_cast<Slot*>(static_cast<void*>(data)); }
  // speexdsp's destroy callback.
  static void release(void* data) noexcept { static_cast<Slot*>(data)->in_use = false; }
};

namespace {

// 32 frames (640 ms at 20 ms) ahead of the playout point is far beyond any
// delay worth having in a conversation; more means the playout lags hugely
// and restarting it is the cure. One more slot stands for late packets (below).
constexpr std::size_t kSlots = 32;
constexpr std::size_t kLateSlot = kSlots;

// Concealment repeats and fades the last sound: past three 20-ms frames it
// only makes artefacts (G.711 Appendix I fades to silence over 60 ms), so a
// longer gap is played as silence: it is a loss burst or the peer's DTX.
constexpr std::uint32_t kMaxConcealedRun = 3;
// speexdsp resets itself at the first put() after 20 consecutive misses; we
// do it first, at 20 (400 ms), so we always know whether it is synchronised.
constexpr std::uint32_t kRestartAfterMisses = 20;
// A fresh buffer waits this many ticks before it starts playing: speexdsp
// has no arrival history yet, and 40 ms absorbs the usual reordering of
// adjacent packets and the jitter of a talk spurt's first packets. If
// arrivals prove steady, the delay is given back at the first pause.
constexpr std::uint8_t kInitialDelayTicks = 2;
// `max_delay_frames` bounds: not below the initial delay, and below the
// slots, whose exhaustion restarts playout.
constexpr std::uint32_t kMinCeilingFrames = kInitialDelayTicks;
constexpr auto kMaxCeilingFrames = static_cast<std::uint32_t>(kSlots - 2);
// A packet further than this from the playout point (about 2 s at 20 ms) is
// on another timeline: the sender restarted or jumped its clock.
constexpr std::int32_t kTimelineJumpFrames = 100;
// A talk spurt's first packet (marker, RFC 3551 §4.1) further ahead than
// the delay the buffer had plus this many frames means the sender's clock
// moved across the silence: restart rather than wait for it.
constexpr std::uint32_t kTalkSpurtSlackFrames = 2;

// RTP timestamps wrap (RFC 3550 §5.1): differences are taken modulo 2^32.
std::int32_t distance(std::uint32_t from, std::uint32_t to) noexcept {
  return static_cast<std::int32_t>(to - from);
}

JitterBuffer_* make_speex(const JitterBufferSettings& settings, void (*release)(void*)) {
  ::JitterBuffer* state = jitter_buffer_init(static_cast<int>(settings.frame_samples));
  if (state == nullptr) return nullptr;
  // Grow, shrink and conceal in whole frames: a codec frame cannot be split.
  auto step = static_cast<spx_int32_t>(settings.frame_samples);
  auto late_rate = static_cast<spx_int32_t>(settings.max_late_rate_percent);
  auto late_cost = static_cast<spx_int32_t>(settings.late_cost_frames * settings.frame_samples);
  jitter_buffer_ctl(state, JITTER_BUFFER_SET_DELAY_STEP, &step);
  jitter_buffer_ctl(state, JITTER_BUFFER_SET_CONCEALMENT_SIZE, &step);
  jitter_buffer_ctl(state, JITTER_BUFFER_SET_MAX_LATE_RATE, &late_rate);
  jitter_buffer_ctl(state, JITTER_BUFFER_SET_LATE_COST, &late_cost);
  // The C API passes the callback as void*; POSIX guarantees the round trip.
  jitter_buffer_ctl(state, JITTER_BUFFER_SET_DESTROY_CALLBACK, reinterpret_cast<void*>(release));
  // Left to itself, speexdsp applies its delay adjustment at every tick,
  // and gives delay back by moving its playout point forward over frames
  // it holds: speech dropped. Calling jitter_buffer_update_delay() once
  // turns that off for good (with no arrivals yet it adjusts nothing); we
  // call it ourselves where giving delay back drops nothing. speexdsp still
  // grows the delay on its own, when the frame due is missing (it answers
  // JITTER_BUFFER_INSERTION and waits a tick), so growth is not delayed.
  JitterBufferPacket unused{};
  spx_int32_t offset = 0;
  jitter_buffer_update_delay(state, &unused, &offset);
  return state;
}

std::uint32_t pointer_of(JitterBuffer_* state) noexcept {
  return static_cast<std::uint32_t>(jitter_buffer_get_pointer_timestamp(state));
}

}  // namespace

void JitterBuffer::Destroy::operator()(JitterBuffer_* state) const noexcept {
  jitter_buffer_destroy(state);
}

Result<JitterBuffer> JitterBuffer::create(const JitterBufferSettings& settings) {
  // speexdsp divides by the step and by the late rate; its timing windows
  // are 16-bit, so a frame must leave room for a delay of several frames.
  if (settings.frame_samples == 0 || settings.frame_samples > 2880) {
    return make_error(Errc::InvalidArgument, "jitter buffer frame of {} timestamp units (1 to 2880)",
                      settings.frame_samples);
  }
  if (settings.max_late_rate_percent == 0 || settings.max_late_rate_percent > 100) {
    return make_error(Errc::InvalidArgument, "jitter buffer late rate of {} % (1 to 100)",
                      settings.max_late_rate_percent);
  }
  if (settings.late_cost_frames > 100) {
    return make_error(Errc::InvalidArgument, "jitter buffer late cost of {} frames (0 to 100)",
                      settings.late_cost_frames);
  }
  if (settings.max_delay_frames < kMinCeilingFrames || settings.max_delay_frames > kMaxCeilingFrames) {
    return make_error(Errc::InvalidArgument, "jitter buffer maximum delay of {} frames ({} to {})",
                      settings.max_delay_frames, kMinCeilingFrames, kMaxCeilingFrames);
  }
  std::unique_ptr<JitterBuffer_, Destroy> speex(make_speex(settings, &Slot::release));
  if (!speex) return make_error(Errc::Internal, "speexdsp could not allocate a jitter buffer");
  return JitterBuffer(settings, std::move(speex), std::make_unique<Slot[]>(kSlots + 1));
}

JitterBuffer::JitterBuffer(const JitterBufferSettings& settings, std::unique_ptr<JitterBuffer_, Destroy> speex,
                           std::unique_ptr<Slot[]> slots) noexcept
    : settings_(settings), speex_(std::move(speex)), slots_(std::move(slots)) {}

JitterBuffer::JitterBuffer(JitterBuffer&&) noexcept = default;
JitterBuffer& JitterBuffer::operator=(JitterBuffer&&) noexcept = default;

JitterBuffer::~JitterBuffer() {
  speex_.reset();  // its destroy callbacks write to slots_
}

void JitterBuffer::return_lent() noexcept {
  if (lent_ != nullptr) {
    lent_->in_use = false;
    lent_ = nullptr;
  }
}

// The same sequence number and timestamp as a recent packet: the network
// or the sender duplicated it. speexdsp would store both copies and count
// both arrivals. The window spans 320 ms of packets; an older copy is late
// by then and goes the way of late packets.
bool JitterBuffer::is_duplicate(std::uint32_t timestamp, std::uint16_t sequence) noexcept {
  const auto same = [&](const Seen& seen) {
    return seen.valid && seen.sequence == sequence && seen.timestamp == timestamp;
  };
  if (std::any_of(seen_.begin(), seen_.end(), same)) return true;
  seen_[seen_next_] = Seen{timestamp, sequence, true};
  seen_next_ = static_cast<std::uint8_t>((seen_next_ + 1) % seen_.size());
  return false;
}

// Starts playout over from the next packet. A fresh speexdsp state rather
// than jitter_buffer_reset(): reset leaves a delay increase requested by the
// last tick pending, and the first get() after it would skip the oldest
// packet. Every packet speexdsp held comes back through Slot::release().
void JitterBuffer::restart() {
  speex_.reset();
  speex_.reset(make_speex(settings_, &Slot::release));
  if (!speex_) throw std::bad_alloc();
  for (std::size_t i = 0; i <= kSlots; ++i) slots_[i].in_use = false;
  lent_ = nullptr;
  synced_ = false;
  buffering_ = false;
  waited_ticks_ = 0;
  have_newest_ = false;
  consecutive_missing_ = 0;
  playout_delay_ = kInitialDelayTicks * settings_.frame_samples;
  stats_.delay = 0;
}

void JitterBuffer::reset() {
  return_lent();
  restart();
  ++stats_.resyncs;
  have_sequence_ = false;
  seen_.fill(Seen{});
}

void JitterBuffer::put(std::uint32_t rtp_timestamp, std::uint16_t sequence, bool marker,
                       std::span<const std::uint8_t> payload) {
  return_lent();
  if (is_duplicate(rtp_timestamp, sequence)) {
    ++stats_.duplicates;
    return;
  }
  const bool in_sequence = have_sequence_ && sequence == static_cast<std::uint16_t>(last_sequence_ + 1);
  have_sequence_ = true;
  last_sequence_ = sequence;
  if (payload.size() > kMaxPayloadBytes) {
    ++stats_.discarded;
    return;
  }
  if (synced_) {
    std::int32_t offset = distance(pointer_of(speex_.get()), rtp_timestamp);
    const auto frame = static_cast<std::int32_t>(settings_.frame_samples);
    const auto spurt_slack =
        static_cast<std::int32_t>(playout_delay_ + kTalkSpurtSlackFrames * settings_.frame_samples);
    // A talk spurt's first packet after a gap, with nothing buffered before
    // it: the playout point is in the silence, and may move forward over it.
    // Before the packet is stored, so a move that overshoots it (speexdsp
    // finds this packet later than it expected) restarts playout below
    // rather than dropping the spurt's start.
    if (marker && offset > 0 && offset <= spurt_slack && buffered_ahead() <= 0) {
      give_back_delay();
      offset = distance(pointer_of(speex_.get()), rtp_timestamp);
    }
    const bool jumped = offset > kTimelineJumpFrames * frame || offset < -kTimelineJumpFrames * frame;
    // A talk spurt that starts behind the playout point, or well ahead of
    // the delay the buffer had, was sent on a clock that drifted from ours
    // during the silence (some senders keep the timestamp still across it,
    // against RFC 3550 §5.1): waiting would lose the spurt's first syllable.
    const bool spurt_off_time = marker && (offset < 0 || offset > spurt_slack);
    if (spurt_off_time || (jumped && in_sequence)) {
      restart();
      ++stats_.resyncs;
    } else if (jumped) {
      // One stray packet must not throw away the playout; if it opened a
      // new timeline, the next packet (in sequence with it) restarts.
      ++stats_.discarded;
      return;
    } else if (offset < 0) {
      ++stats_.late;
      put_late(rtp_timestamp, sequence);
      return;
    }
  }
  store(rtp_timestamp, sequence, marker, payload);
}

// A late packet will not be played, but how late it is must reach
// speexdsp: that is what makes it grow the delay. It gets the spare slot
// with no bytes; speexdsp may keep it briefly, and get() treats it as lost
// if ever handed back.
void JitterBuffer::put_late(std::uint32_t timestamp, std::uint16_t sequence) {
  JitterBufferPacket packet{};
  packet.data = slots_[kLateSlot].handle();
  packet.len = 0;
  packet.timestamp = timestamp;
  packet.span = settings_.frame_samples;
  packet.sequence = sequence;
  jitter_buffer_put(speex_.get(), &packet);
}

JitterBuffer::Slot* JitterBuffer::free_slot() noexcept {
  // Lowest first: only as many slots as the delay needs ever get a buffer.
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (!slots_[i].in_use) return &slots_[i];
  }
  return nullptr;
}

// A packet at or after the playout point (or any, before playout starts),
// which speexdsp always keeps: so every slot put is eventually handed back
// by get() or released by the callback.
void JitterBuffer::store(std::uint32_t timestamp, std::uint16_t sequence, bool marker,
                         std::span<const std::uint8_t> payload) {
  Slot* slot = free_slot();
  if (slot == nullptr) {
    restart();
    ++stats_.resyncs;
    slot = free_slot();
  }
  slot->bytes.assign(payload.begin(), payload.end());
  slot->timestamp = timestamp;
  slot->marker = marker;
  slot->in_use = true;

  JitterBufferPacket packet{};
  packet.data = slot->handle();
  packet.len = static_cast<spx_uint32_t>(payload.size());
  packet.timestamp = timestamp;
  packet.span = settings_.frame_samples;
  packet.sequence = sequence;
  jitter_buffer_put(speex_.get(), &packet);

  if (!have_newest_ || distance(newest_timestamp_, timestamp) > 0) {
    newest_timestamp_ = timestamp;
    // How early the newest packet arrived: what the delay is while the
    // peer talks. (Not the delay at the last frame played, which drains to
    // zero as a talk spurt ends.)
    const std::int32_t early = synced_ ? distance(pointer_of(speex_.get()), timestamp) : 0;
    if (synced_) playout_delay_ = static_cast<std::uint32_t>(std::max(0, early));
  }
  have_newest_ = true;
  buffering_ = true;
}

JitterFrame JitterBuffer::get() {
  return_lent();
  if (!synced_) {
    // Nothing yet, or the initial delay: speexdsp stays in its reset state
    // and will start from the oldest packet it holds.
    if (!buffering_ || waited_ticks_ < kInitialDelayTicks) {
      if (buffering_) ++waited_ticks_;
      ++stats_.silence;
      return JitterFrame{JitterOutcome::Silence, {}, 0, false};
    }
    synced_ = true;
  }

  drop_above_ceiling();
  JitterBufferPacket packet{};
  spx_int32_t start_offset = 0;
  const int status =
      jitter_buffer_get(speex_.get(), &packet, static_cast<spx_int32_t>(settings_.frame_samples), &start_offset);
  JitterFrame frame;
  if (status == JITTER_BUFFER_OK && packet.data != slots_[kLateSlot].handle()) {
    Slot* slot = Slot::from_handle(packet.data);
    lent_ = slot;
    consecutive_missing_ = 0;
    ++stats_.frames;
    frame = JitterFrame{JitterOutcome::Frame, slot->bytes, slot->timestamp, slot->marker};
  } else {
    frame = not_played(packet.timestamp, status == JITTER_BUFFER_INSERTION);
    if (!synced_) return frame;  // restarted: no tick for a state that has not started
  }

  measure_delay();
  if (frame.outcome == JitterOutcome::Silence && stats_.delay == 0) {
    // The peer is pausing (DTX) and nothing is buffered: the playout point
    // may move forward over the silence. (A network stall this long looks
    // the same; the packets it holds back are mostly late by now anyway.)
    give_back_delay();
    measure_delay();
  }
  // speexdsp's contract: one tick per period, after the get. With its own
  // adjustment off (make_speex), it only sets the reference for arrivals.
  jitter_buffer_tick(speex_.get());
  return frame;
}

JitterFrame JitterBuffer::not_played(std::uint32_t timestamp, bool inserted) {
  ++consecutive_missing_;
  if (consecutive_missing_ >= kRestartAfterMisses) {
    // 400 ms with nothing to play: the peer is silent (DTX) or gone. Start
    // over, so the next talk spurt plays after the initial delay whatever
    // its timestamps, instead of being judged against the old timeline.
    restart();  // a pause, not a disruption: not counted in resyncs
    ++stats_.silence;
    return JitterFrame{JitterOutcome::Silence, {}, timestamp, false};
  }
  if (consecutive_missing_ > kMaxConcealedRun) {
    ++stats_.silence;
    return JitterFrame{JitterOutcome::Silence, {}, timestamp, false};
  }
  ++stats_.concealed;
  if (inserted) ++stats_.inserted;
  return JitterFrame{JitterOutcome::Missing, {}, timestamp, false};
}

// Audio buffered ahead of the playout point: from the next timestamp to
// play to the end of the newest packet held (0 or less: nothing held).
std::int32_t JitterBuffer::buffered_ahead() const noexcept {
  if (!have_newest_) return 0;
  return distance(pointer_of(speex_.get()), newest_timestamp_ + settings_.frame_samples);
}

void JitterBuffer::measure_delay() noexcept {
  const std::int32_t buffered = buffered_ahead();
  stats_.delay = buffered > 0 ? static_cast<std::uint32_t>(buffered) : 0;
  stats_.max_delay = std::max(stats_.max_delay, stats_.delay);
}

// Lets speexdsp apply the delay change its arrival history calls for: more
// delay (it moves its playout point back and the next get() answers
// JITTER_BUFFER_INSERTION), or less (it moves the playout point forward,
// and shifts its history to match). Called only where nothing is held in
// the span moved over; should something be, it is counted as skipped.
void JitterBuffer::give_back_delay() noexcept {
  const std::uint32_t before = pointer_of(speex_.get());
  JitterBufferPacket unused{};
  spx_int32_t offset = 0;
  const int adjustment = jitter_buffer_update_delay(speex_.get(), &unused, &offset);
  if (adjustment <= 0) return;
  const std::uint32_t after = pointer_of(speex_.get());
  std::uint32_t dropped = 0;
  for (std::size_t i = 0; i < kSlots; ++i) {
    const Slot& slot = slots_[i];
    if (slot.in_use && distance(before, slot.timestamp) >= 0 && distance(slot.timestamp, after) > 0) ++dropped;
  }
  const std::uint32_t moved = static_cast<std::uint32_t>(adjustment) / settings_.frame_samples;
  stats_.skipped += dropped;
  stats_.given_back += moved > dropped ? moved - dropped : 0;
}

// Above the ceiling, drops the oldest frames held, before this tick's
// get(), so that the delay after it is back at `max_delay_frames`. Through
// jitter_buffer_get(), the one way to move speexdsp's playout point forward
// by exactly that. It does not shift speexdsp's record of earlier arrivals
// as its own skips do, so until they age out it reads them as early by the
// frames dropped: a pause may then give back a frame too many, which the
// next late packet takes back. Stops at a hole (a lost or late packet),
// which get() conceals as usual; dropping resumes at the next tick.
void JitterBuffer::drop_above_ceiling() noexcept {
  const auto frame = static_cast<std::int32_t>(settings_.frame_samples);
  const auto ceiling = static_cast<std::int32_t>(settings_.max_delay_frames) * frame;
  while (buffered_ahead() - frame > ceiling && holds(pointer_of(speex_.get()))) {
    JitterBufferPacket packet{};
    spx_int32_t start_offset = 0;
    if (jitter_buffer_get(speex_.get(), &packet, frame, &start_offset) != JITTER_BUFFER_OK) return;
    if (packet.data != slots_[kLateSlot].handle()) {
      Slot::from_handle(packet.data)->in_use = false;
      ++stats_.skipped;
    }
  }
}

// Whether speexdsp holds a packet of this timestamp.
bool JitterBuffer::holds(std::uint32_t timestamp) const noexcept {
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (slots_[i].in_use && slots_[i].timestamp == timestamp) return true;
  }
  return false;
}

}  // namespace voxgate::media
