#pragma once
// Opus (RFC 6716) for RTP as RFC 7587 defines it: the RTP clock is always
// 48 kHz and the SDP says "opus/48000/2" whatever the audio, while the
// codec itself may run at 8, 12, 16, 24 or 48 kHz internally; voxgate
// encodes and decodes mono at the rate the call's media wants and lets
// libopus (libopus-dev) convert. The encoder is set for speech (VoIP
// application) with in-band FEC; the decoder conceals a lost packet when
// asked to decode nothing (PLC).

#include <memory>

#include "base/result.hpp"
#include "media/codec/audio_codec.hpp"

struct OpusEncoder;
struct OpusDecoder;

namespace voxgate::media {

inline constexpr int kOpusRtpClockRate = 48000;       // RFC 7587 §4.1
inline constexpr std::size_t kOpusMaxPayload = 1275;  // RFC 6716 §3.4 (one frame)

class OpusAudioEncoder final : public AudioEncoder {
 public:
  // `sample_rate`: 8000, 12000, 16000, 24000 or 48000.
  static Result<OpusAudioEncoder> create(int sample_rate, int bitrate = 24000);
  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override;
  [[nodiscard]] std::size_t max_payload_bytes(std::size_t /*samples*/) const noexcept override {
    return kOpusMaxPayload;
  }
  [[nodiscard]] int sample_rate() const noexcept override { return sample_rate_; }

 private:
  struct Destroy {
    void operator()(OpusEncoder* state) const noexcept;
  };
  OpusAudioEncoder(std::unique_ptr<OpusEncoder, Destroy> state, int rate) noexcept
      : state_(std::move(state)), sample_rate_(rate) {}
  std::unique_ptr<OpusEncoder, Destroy> state_;
  int sample_rate_;
};

class OpusAudioDecoder final : public AudioDecoder {
 public:
  static Result<OpusAudioDecoder> create(int sample_rate);
  // An empty payload asks for concealment of one lost 20-ms frame.
  std::size_t decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) override;
  // Opus's own concealment, from its decoder state (RFC 6716 §4.4).
  std::size_t conceal(std::span<std::int16_t> out) override { return decode({}, out); }
  // Opus packets last at most 120 ms (RFC 6716 §3.2.5).
  [[nodiscard]] std::size_t max_samples(std::size_t /*payload_bytes*/) const noexcept override {
    return static_cast<std::size_t>(sample_rate_) * 120 / 1000;
  }
  [[nodiscard]] int sample_rate() const noexcept override { return sample_rate_; }

 private:
  struct Destroy {
    void operator()(OpusDecoder* state) const noexcept;
  };
  OpusAudioDecoder(std::unique_ptr<OpusDecoder, Destroy> state, int rate) noexcept
      : state_(std::move(state)), sample_rate_(rate) {}
  std::unique_ptr<OpusDecoder, Destroy> state_;
  int sample_rate_;
};

}  // namespace voxgate::media
