#pragma once
// What serves a call's audio (docs/adr/0004-media-engine.md): the stream
// hands it the caller's audio and asks it for ours, one frame per media
// tick, as linear 16-bit mono PCM at the app's sample rate (the stream
// decodes and resamples on both sides). Apps run on the call's loop and
// must return at once; anything slow happens elsewhere and is posted back.

#include <cstdint>
#include <span>

namespace voxgate::media {

class MediaApp {
 public:
  virtual ~MediaApp() = default;
  [[nodiscard]] virtual int sample_rate() const noexcept = 0;
  // The caller's audio of this tick (a concealed frame when a packet was lost).
  virtual void on_caller_audio(std::span<const std::int16_t> frame) = 0;
  // False when the app ignores the caller's audio (a tone, a prompt): the
  // stream then counts what arrives but neither buffers nor decodes it.
  [[nodiscard]] virtual bool listens() const noexcept { return true; }
  // Our audio of this tick. False when the app has nothing more to say and
  // the call should end (a prompt played once); the frame is then unused.
  virtual bool fill(std::span<std::int16_t> frame) = 0;
};

}  // namespace voxgate::media
