#pragma once
// In-band DTMF: digits keyed as audio, for callers that do not send RFC 4733
// events (or whose gateway strips them). spandsp's dtmf_rx, which applies
// the ITU-T Q.24 limits (tone level, twist, duration, frequency tolerance)
// so speech and music rarely pass for a digit.
//
// The detector's filters are tuned for 8 kHz: callers at another rate
// resample to 8 kHz first (media::Resampler).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "media/dtmf/telephone_event.hpp"

struct dtmf_rx_state_s;

namespace voxgate::media {

// Movable (one per stream, owned by it); a moved-from detector may only be
// destroyed or assigned to.
class InbandDtmfDetector {
 public:
  // Throws std::bad_alloc when spandsp cannot allocate its state, as `new`
  // would: there is nothing a caller could do about it.
  InbandDtmfDetector();

  // Feeds the next frame of 8 kHz linear PCM (any length; a stream feeds
  // its 20-ms frames). Appends to `digits` each key press confirmed in this
  // frame, once per press however long the key is held, and returns how many.
  std::size_t process(std::span<const std::int16_t> frame, std::vector<DtmfEvent>& digits);

 private:
  struct Free {
    void operator()(dtmf_rx_state_s* state) const noexcept;
  };
  // No digits callback: it would capture `this`, which a move invalidates.
  // The digits wait in spandsp's own buffer until process() collects them.
  std::unique_ptr<dtmf_rx_state_s, Free> state_;
};

}  // namespace voxgate::media
