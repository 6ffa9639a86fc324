#pragma once
// Twilio Media Streams, bidirectional (<Connect><Stream>): the JSON
// messages Twilio's voice platform sends a stream's WebSocket server and
// accepts from it, field for field, so a bot written for Twilio works
// against voxgate unchanged.
//
//   to the bot    connected, start (streamSid, callSid, customParameters,
//                 mediaFormat audio/x-mulaw 8000 1), media (base64 µ-law,
//                 20 ms each, track/chunk/timestamp), dtmf, mark (its own
//                 marks back once played, or when a clear dropped them),
//                 stop; every value a string as Twilio sends them
//   from the bot  media (base64 µ-law of any length), mark, clear
//
// callSid is "CA" and the session id in 32 hex digits (the id the REST API
// takes); accountSid is the configuration's. Queue watermarks have no
// Twilio message: with `watermarks` on they go as a "voxgate.queue" event
// (a bot that does not know it ignores it), off by default.
#include <chrono>
#include <cstdint>
#include <string>

#include "bot/stream/stream_codec.hpp"
#include "media/codec/g711.hpp"

namespace voxgate::bot {

struct TwilioCodecOptions {
  std::string stream_sid;  // "MZ" + 32 hex digits
  std::string account_sid = "AC00000000000000000000000000000000";
  bool watermarks = false;
};

class TwilioCodec final : public StreamCodec {
 public:
  explicit TwilioCodec(TwilioCodecOptions options);

  [[nodiscard]] int wire_rate() const noexcept override { return 8000; }
  std::vector<StreamMessage> start(const StreamStart& start) override;
  StreamMessage caller_audio(std::span<const std::int16_t> frame) override;
  std::optional<StreamMessage> dtmf(char digit) override;
  std::optional<StreamMessage> mark(const std::string& name, MarkOutcome outcome) override;
  std::optional<StreamMessage> queue_level(bool high, std::uint64_t queued_ms) override;
  std::optional<StreamMessage> stop() override;
  Result<std::vector<BotCommand>> decode(const StreamMessage& message) override;

 private:
  std::string next_sequence();

  TwilioCodecOptions options_;
  media::G711Codec mulaw_{media::G711Law::Mu};
  std::string call_sid_;
  std::uint64_t sequence_ = 0;  // the last sequenceNumber sent
  std::uint64_t chunk_ = 0;     // the last media chunk sent
  std::uint64_t samples_sent_ = 0;
};

}  // namespace voxgate::bot
