#pragma once
// Asterisk's AudioSocket protocol: a TCP connection carrying frames of one
// type byte, a 16-bit big-endian payload length and the payload.
//
//   0x00 hangup     either side: the call (or stream) is over
//   0x01 id         gateway first: the call's 16-byte UUID
//   0x03 DTMF       gateway: one ASCII digit
//   0x10 audio      both ways: signed linear 16-bit little-endian, 8 kHz mono
//   0xff error      either side: an error code byte
//
// The protocol has no marks, clears or queue levels: voxgate still paces
// the bot's audio and bounds its queue, and a bot that needs to interrupt
// itself uses another profile.
#include <cstdint>
#include <optional>

#include "bot/stream/stream_codec.hpp"

namespace voxgate::bot {

enum class AudioSocketType : std::uint8_t { Hangup = 0x00, Id = 0x01, Dtmf = 0x03, Audio = 0x10, Error = 0xff };

constexpr std::size_t kAudioSocketHeaderBytes = 3;
// The payload length a frame header announces (the header's bytes 1-2).
std::size_t audiosocket_payload_length(std::span<const std::uint8_t, kAudioSocketHeaderBytes> header) noexcept;
std::string audiosocket_frame(AudioSocketType type, std::string_view payload);

class AudioSocketCodec final : public StreamCodec {
 public:
  [[nodiscard]] int wire_rate() const noexcept override { return 8000; }
  std::vector<StreamMessage> start(const StreamStart& start) override;
  StreamMessage caller_audio(std::span<const std::int16_t> frame) override;
  std::optional<StreamMessage> dtmf(char digit) override;
  std::optional<StreamMessage> mark(const std::string& /*name*/, MarkOutcome /*outcome*/) override {
    return std::nullopt;
  }
  std::optional<StreamMessage> queue_level(bool /*high*/, std::uint64_t /*queued_ms*/) override { return std::nullopt; }
  std::optional<StreamMessage> stop() override;
  Result<std::vector<BotCommand>> decode(const StreamMessage& message) override;
};

}  // namespace voxgate::bot
