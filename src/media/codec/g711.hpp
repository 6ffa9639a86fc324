#pragma once
// G.711 (ITU-T G.711; RTP payload types 0 PCMU and 8 PCMA, RFC 3551 §4.5.14):
// one byte per sample at 8 kHz, no state. The companding tables are
// spandsp's (libspandsp-dev), the reference implementation telephony
// software on Debian uses.

#include "media/codec/audio_codec.hpp"

namespace voxgate::media {

enum class G711Law : std::uint8_t { Mu, A };

class G711Codec final : public AudioEncoder, public AudioDecoder {
 public:
  explicit G711Codec(G711Law law) noexcept : law_(law) {}

  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override;
  std::size_t decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) override;
  [[nodiscard]] std::size_t max_payload_bytes(std::size_t samples) const noexcept override { return samples; }
  [[nodiscard]] std::size_t max_samples(std::size_t payload_bytes) const noexcept override { return payload_bytes; }
  [[nodiscard]] int sample_rate() const noexcept override { return 8000; }
  [[nodiscard]] G711Law law() const noexcept { return law_; }

 private:
  G711Law law_;
};

}  // namespace voxgate::media
