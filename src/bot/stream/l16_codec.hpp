#pragma once
// jambonz's `listen` WebSocket protocol with bidirectional audio
// (subprotocol "audio.jambonz.org"): one JSON text message of the call's
// attributes first, then the caller's audio as binary messages of raw
// 16-bit little-endian PCM (L16) at 8 or 16 kHz, 20 ms each.
//
//   to the bot    the preamble {callSid, callId, from, to, direction,
//                 sampleRate, mixType: "mono", ...the configured
//                 parameters}; binary L16; {"event":"dtmf","dtmf":"5",
//                 "duration":...}; {"type":"mark","data":{"name","event":
//                 "playout"|"cleared"}}; {"type":"voxgate.queue","data":
//                 {"level":"high"|"low","queuedMs"}} (watermarks, on by
//                 default: jambonz has none)
//   from the bot  binary L16 at the same rate (streamed audio);
//                 {"type":"playAudio","data":{"audioContent": base64 L16,
//                 "sampleRate"}}, {"type":"killAudio"} (clear),
//                 {"type":"mark","data":{"name"}}, {"type":"disconnect"}
#include <cstdint>

#include "bot/stream/stream_codec.hpp"

namespace voxgate::bot {

struct L16CodecOptions {
  int sample_rate = 8000;  // 8000 or 16000
  bool watermarks = true;
};

class L16Codec final : public StreamCodec {
 public:
  explicit L16Codec(L16CodecOptions options) : options_(options) {}

  [[nodiscard]] int wire_rate() const noexcept override { return options_.sample_rate; }
  std::vector<StreamMessage> start(const StreamStart& start) override;
  StreamMessage caller_audio(std::span<const std::int16_t> frame) override;
  std::optional<StreamMessage> dtmf(char digit) override;
  std::optional<StreamMessage> mark(const std::string& name, MarkOutcome outcome) override;
  std::optional<StreamMessage> queue_level(bool high, std::uint64_t queued_ms) override;
  std::optional<StreamMessage> stop() override { return std::nullopt; }  // the close says it
  Result<std::vector<BotCommand>> decode(const StreamMessage& message) override;

 private:
  L16CodecOptions options_;
};

// Little-endian 16-bit PCM, the byte order of L16 on these wires (jambonz,
// AudioSocket) whatever the host's.
std::string pcm_to_le_bytes(std::span<const std::int16_t> pcm);
// InvalidArgument for an odd number of bytes.
Result<std::vector<std::int16_t>> pcm_from_le_bytes(std::string_view bytes);

}  // namespace voxgate::bot
