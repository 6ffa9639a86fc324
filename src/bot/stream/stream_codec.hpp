#pragma once
// A bot streaming profile's wire format (docs/BOT.md, "Bot streaming"): what
// the gateway says to the user's bot, and what the bot's messages mean.
// One codec per connection (it numbers its messages); pure logic, no I/O:
// StreamSessionApp moves the bytes and carries out the commands.
//
//   Twilio Media Streams  JSON text; base64 µ-law 8 kHz      twilio_codec.hpp
//   jambonz listen (L16)  a JSON text preamble, binary L16   l16_codec.hpp
//   AudioSocket           TCP type-length-value frames       audiosocket_codec.hpp

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"

namespace voxgate::bot {

// What the bot learns of its call when the stream starts.
struct StreamStart {
  std::uint64_t session_id = 0;
  std::string call_id;                            // the SIP Call-ID
  std::string from;                               // the caller's URI
  std::string to;                                 // the called URI
  std::map<std::string, std::string> parameters;  // the configuration's, as given
};

// One message to the bot: a WebSocket text or binary message, or for
// AudioSocket one whole frame.
struct StreamMessage {
  bool binary = false;
  std::string data;
};

// What the bot's messages ask for.
struct BotAudio {
  std::vector<std::int16_t> pcm;  // at the codec's wire_rate()
};
struct BotMark {
  std::string name;  // tell the bot when the audio before it has played
};
struct BotClear {};   // drop the audio queued and not played
struct BotHangup {};  // end the call
using BotCommand = std::variant<BotAudio, BotMark, BotClear, BotHangup>;

enum class MarkOutcome : std::uint8_t { Played, Cleared };

class StreamCodec {
 public:
  StreamCodec() = default;
  StreamCodec(const StreamCodec&) = delete;
  StreamCodec& operator=(const StreamCodec&) = delete;
  virtual ~StreamCodec() = default;

  // The sample rate of the audio both ways on the wire.
  [[nodiscard]] virtual int wire_rate() const noexcept = 0;

  // The messages that open the stream, once connected.
  virtual std::vector<StreamMessage> start(const StreamStart& start) = 0;
  // 20 ms of the caller's audio at wire_rate().
  virtual StreamMessage caller_audio(std::span<const std::int16_t> frame) = 0;
  // The caller pressed a key.
  virtual std::optional<StreamMessage> dtmf(char digit) = 0;
  // A mark of the bot's was reached by playout, or dropped by a clear.
  virtual std::optional<StreamMessage> mark(const std::string& name, MarkOutcome outcome) = 0;
  // The queue of the bot's audio crossed a watermark (see StreamSettings).
  virtual std::optional<StreamMessage> queue_level(bool high, std::uint64_t queued_ms) = 0;
  // The call is over: the last message.
  virtual std::optional<StreamMessage> stop() = 0;

  // What one message from the bot asks for; an error names what is wrong
  // with it (the stream goes on: one bad message is not a broken bot).
  virtual Result<std::vector<BotCommand>> decode(const StreamMessage& message) = 0;
};

}  // namespace voxgate::bot
