#pragma once
// G.722 at 64 kbit/s (ITU-T G.722; RTP payload type 9, RFC 3551 §4.5.2):
// wideband, 16 kHz samples, 4 bits per sample. Its RTP clock rate is 8000
// although it samples at 16 kHz (RFC 3551's historical error, kept for
// interoperability): the RTP timestamp advances 160 per 20 ms, the codec
// sees 320 samples. spandsp's codec (libspandsp-dev); encoder and decoder
// keep ADPCM state, so each direction of each call has its own.

#include <memory>

#include "media/codec/audio_codec.hpp"

struct g722_encode_state_s;
struct g722_decode_state_s;

namespace voxgate::media {

inline constexpr int kG722SampleRate = 16000;
inline constexpr int kG722RtpClockRate = 8000;

class G722Encoder final : public AudioEncoder {
 public:
  G722Encoder();
  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override;
  [[nodiscard]] std::size_t max_payload_bytes(std::size_t samples) const noexcept override { return (samples + 1) / 2; }
  [[nodiscard]] int sample_rate() const noexcept override { return kG722SampleRate; }

 private:
  struct Free {
    void operator()(g722_encode_state_s* state) const noexcept;
  };
  std::unique_ptr<g722_encode_state_s, Free> state_;
};

class G722Decoder final : public AudioDecoder {
 public:
  G722Decoder();
  std::size_t decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) override;
  [[nodiscard]] std::size_t max_samples(std::size_t payload_bytes) const noexcept override { return 2 * payload_bytes; }
  [[nodiscard]] int sample_rate() const noexcept override { return kG722SampleRate; }

 private:
  struct Free {
    void operator()(g722_decode_state_s* state) const noexcept;
  };
  std::unique_ptr<g722_decode_state_s, Free> state_;
};

}  // namespace voxgate::media
