#pragma once
// What every media stream of one worker loop shares (docs/adr/0004): the
// loop's io_context, timers and clock, the one MediaClock that ticks all of
// the loop's streams, random numbers for SSRCs and initial sequence numbers
// and timestamps (RFC 3550 §5.1: random), and scratch buffers for one
// tick's or one datagram's work. Streams run one at a time on their loop,
// so they can share the scratch space instead of each holding ~6 KiB.
//
// One per worker loop, built by main next to the loop's other services.

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "base/clock.hpp"
#include "media/dtmf/telephone_event.hpp"
#include "media/engine/media_clock.hpp"
#include "runtime/timer_service.hpp"

namespace voxgate::media {

// The largest datagram we read whole (RTP/RTCP over UDP: < 1500 here).
constexpr std::size_t kMaxDatagramBytes = 2048;

struct MediaScratch {
  std::array<std::uint8_t, kMaxDatagramBytes> datagram{};  // one datagram read when adopting a socket
  std::array<std::uint8_t, 1500> packet{};                 // one RTP packet we send
  std::vector<std::int16_t> codec_pcm;                     // a frame at the codec's rate
  std::vector<std::int16_t> app_pcm;                       // a frame at the app's rate
  std::vector<std::int16_t> resampled;                     // resampler output
  std::vector<std::uint8_t> rtcp;                          // an RTCP compound we send
  std::vector<DtmfEvent> digits;                           // in-band digits detected in one frame
};

class MediaLoop {
 public:
  MediaLoop(boost::asio::io_context& io, runtime::Timers& timers, const Clock& clock, MediaClockSettings settings = {})
      : io_(io),
        timers_(timers),
        clock_(clock),
        media_clock_(timers, clock, settings),
        random_(std::random_device{}()) {}
  MediaLoop(const MediaLoop&) = delete;
  MediaLoop& operator=(const MediaLoop&) = delete;
  ~MediaLoop() = default;

  [[nodiscard]] boost::asio::io_context& io() noexcept { return io_; }
  [[nodiscard]] runtime::Timers& timers() noexcept { return timers_; }
  [[nodiscard]] const Clock& clock() const noexcept { return clock_; }
  [[nodiscard]] MediaClock& media_clock() noexcept { return media_clock_; }
  [[nodiscard]] MediaScratch& scratch() noexcept { return scratch_; }
  std::uint32_t random32() { return static_cast<std::uint32_t>(random_()); }
  double random01() { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }

 private:
  boost::asio::io_context& io_;
  runtime::Timers& timers_;
  const Clock& clock_;
  MediaClock media_clock_;
  std::mt19937 random_;
  MediaScratch scratch_;
};

}  // namespace voxgate::media
