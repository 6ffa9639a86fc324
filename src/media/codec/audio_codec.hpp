#pragma once
// The seam between RTP payloads and linear PCM: what every codec offers the
// media engine, whichever library implements it (docs/adr/0001). A codec
// turns one packet's payload into 16-bit mono samples at its own sample
// rate and back; resampling to the rate an application asked for happens
// above it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace voxgate::media {

class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;
  // Encodes `pcm` into `out`; returns the payload bytes written. `out` must
  // hold max_payload_bytes(pcm.size()).
  virtual std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) = 0;
  [[nodiscard]] virtual std::size_t max_payload_bytes(std::size_t samples) const noexcept = 0;
  [[nodiscard]] virtual int sample_rate() const noexcept = 0;
};

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  // Decodes one payload into `out`; returns the samples written. `out` must
  // hold max_samples(payload.size()).
  virtual std::size_t decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) = 0;
  [[nodiscard]] virtual std::size_t max_samples(std::size_t payload_bytes) const noexcept = 0;
  [[nodiscard]] virtual int sample_rate() const noexcept = 0;
  // Writes a substitute for one lost frame of out.size() samples from the
  // codec's own state (Opus's PLC); returns the samples written, or 0 when
  // the codec has no concealment of its own and the caller must use a
  // generic one (PacketLossConcealer).
  virtual std::size_t conceal(std::span<std::int16_t> /*out*/) { return 0; }
};

}  // namespace voxgate::media
