#include "media/dtmf/inband_dtmf_detector.hpp"

#include <array>
#include <new>

#include <spandsp.h>

namespace voxgate::media {

void InbandDtmfDetector::Free::operator()(dtmf_rx_state_s* state) const noexcept {
  dtmf_rx_free(state);
}

InbandDtmfDetector::InbandDtmfDetector() : state_(dtmf_rx_init(nullptr, nullptr, nullptr)) {
  if (!state_) throw std::bad_alloc();
}

std::size_t InbandDtmfDetector::process(std::span<const std::int16_t> frame, std::vector<DtmfEvent>& digits) {
  dtmf_rx(state_.get(), frame.data(), static_cast<int>(frame.size()));
  // spandsp buffers at most MAX_DTMF_DIGITS and writes a terminating NUL
  // after them, so one read of that many (plus one byte) drains it.
  std::array<char, MAX_DTMF_DIGITS + 1> buffer{};
  const std::size_t count = dtmf_rx_get(state_.get(), buffer.data(), MAX_DTMF_DIGITS);
  std::size_t appended = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (const auto event = dtmf_event_from_char(buffer[i])) {
      digits.push_back(*event);
      ++appended;
    }
  }
  return appended;
}

}  // namespace voxgate::media
