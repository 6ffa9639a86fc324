#include "bot/stream/audiosocket_codec.hpp"

#include <array>

#include "bot/stream/l16_codec.hpp"

namespace voxgate::bot {

std::size_t audiosocket_payload_length(std::span<const std::uint8_t, kAudioSocketHeaderBytes> header) noexcept {
  return (std::size_t{header[1]} << 8) | header[2];
}

std::string audiosocket_frame(AudioSocketType type, std::string_view payload) {
  std::string frame;
  frame.reserve(kAudioSocketHeaderBytes + payload.size());
  frame.push_back(static_cast<char>(type));
  frame.push_back(static_cast<char>((payload.size() >> 8) & 0xff));
  frame.push_back(static_cast<char>(payload.size() & 0xff));
  frame.append(payload);
  return frame;
}

std::vector<StreamMessage> AudioSocketCodec::start(const StreamStart& start) {
  // A version 4 UUID layout (RFC 9562 §5.4) whose last 8 bytes are the
  // session id: the bot can name the call to the REST API.
  std::array<char, 16> uuid{};
  uuid[6] = 0x40;  // version 4
  for (std::size_t i = 0; i < 8; ++i) {
    uuid[8 + i] = static_cast<char>((start.session_id >> (8 * (7 - i))) & 0xff);
  }
  uuid[8] = static_cast<char>((static_cast<std::uint8_t>(uuid[8]) & 0x3f) | 0x80);  // the RFC 9562 variant
  return {StreamMessage{true, audiosocket_frame(AudioSocketType::Id, std::string_view(uuid.data(), uuid.size()))}};
}

StreamMessage AudioSocketCodec::caller_audio(std::span<const std::int16_t> frame) {
  return StreamMessage{true, audiosocket_frame(AudioSocketType::Audio, pcm_to_le_bytes(frame))};
}

std::optional<StreamMessage> AudioSocketCodec::dtmf(char digit) {
  return StreamMessage{true, audiosocket_frame(AudioSocketType::Dtmf, std::string_view(&digit, 1))};
}

std::optional<StreamMessage> AudioSocketCodec::stop() {
  return StreamMessage{true, audiosocket_frame(AudioSocketType::Hangup, {})};
}

Result<std::vector<BotCommand>> AudioSocketCodec::decode(const StreamMessage& message) {
  const std::string_view frame = message.data;
  if (frame.size() < kAudioSocketHeaderBytes)
    return make_error(Errc::InvalidArgument, "a frame shorter than its header");
  const auto payload = frame.substr(kAudioSocketHeaderBytes);
  switch (static_cast<AudioSocketType>(static_cast<std::uint8_t>(frame[0]))) {
    case AudioSocketType::Audio: {
      auto pcm = pcm_from_le_bytes(payload);
      if (!pcm) return tl::unexpected(pcm.error());
      return std::vector<BotCommand>{BotAudio{std::move(*pcm)}};
    }
    case AudioSocketType::Hangup: return std::vector<BotCommand>{BotHangup{}};
    case AudioSocketType::Error:
      return make_error(Errc::InvalidArgument, "the bot reported error {}",
                        payload.empty() ? 0 : static_cast<std::uint8_t>(payload[0]));
    case AudioSocketType::Id:
    case AudioSocketType::Dtmf: return std::vector<BotCommand>{};  // the gateway's to send, meaningless from the bot
  }
  return make_error(Errc::InvalidArgument, "unknown frame type 0x{:02x}", static_cast<std::uint8_t>(frame[0]));
}

}  // namespace voxgate::bot
