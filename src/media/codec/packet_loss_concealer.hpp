#pragma once
// Concealment of lost frames for codecs that have none of their own (G.711,
// G.722): spandsp's waveform substitution (libspandsp-dev), the method of
// ITU-T G.711 Appendix I: the last pitch period of good audio is repeated
// and faded out over about 50 ms, so one or two lost packets are hardly
// heard and a long outage turns into silence rather than a buzz.
//
// Feed it every good decoded frame (`on_good_frame`), ask it for a frame
// when one is missing (`conceal`). Stateful: one per received stream.

#include <cstdint>
#include <memory>
#include <span>

namespace voxgate::media {

class PacketLossConcealer {
 public:
  PacketLossConcealer();
  PacketLossConcealer(PacketLossConcealer&&) noexcept;
  PacketLossConcealer& operator=(PacketLossConcealer&&) noexcept;
  PacketLossConcealer(const PacketLossConcealer&) = delete;
  PacketLossConcealer& operator=(const PacketLossConcealer&) = delete;
  ~PacketLossConcealer();

  // Records a frame that arrived (spandsp may smooth its start when it
  // follows a concealed stretch, so the frame is modified in place).
  void on_good_frame(std::span<std::int16_t> frame) noexcept;
  // Fills `frame` with the substitute for a lost one.
  void conceal(std::span<std::int16_t> frame) noexcept;

 private:
  struct State;  // spandsp's plc_state_t (an anonymous struct: no forward declaration), ~1.3 KB
  std::unique_ptr<State> state_;
};

}  // namespace voxgate::media
