#pragma once
// A bot stream's configuration ([stream] and a route's stream_* keys,
// docs/BOT.md "Bot streaming"): where the user's bot is, which wire format
// it speaks, and how voxgate buffers its audio and reacts when it breaks.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace voxgate::bot {

enum class StreamProfile : std::uint8_t {
  Twilio,       // Twilio Media Streams JSON over WebSocket
  L16,          // jambonz listen: JSON preamble + binary L16 over WebSocket
  AudioSocket,  // Asterisk AudioSocket frames over TCP
};
std::string_view to_string(StreamProfile profile) noexcept;
std::optional<StreamProfile> stream_profile_from_name(std::string_view name) noexcept;

enum class StreamDisconnectAction : std::uint8_t {
  Hangup,  // say `disconnect_prompt` (if any), then hang up
  Bot,     // hand the call to the embedded voice bot ([bot])
};

struct StreamSettings {
  std::string url;  // ws://host:port/path (Twilio, L16) or tcp://host:port (AudioSocket)
  StreamProfile profile = StreamProfile::Twilio;
  int l16_rate = 8000;                                             // L16: 8000 or 16000
  std::map<std::string, std::string> parameters;                   // Twilio customParameters, jambonz metadata
  std::string account_sid = "AC00000000000000000000000000000000";  // Twilio's start.accountSid
  // Queue-level messages to the bot; nullopt: the profile's default (on for
  // L16, off for Twilio: a Twilio bot knows no such message).
  std::optional<bool> watermarks;
  // The bot's audio is played at the call's pace; it may send faster. What
  // would queue beyond max_queue is dropped (a stream.overflow event).
  std::chrono::milliseconds max_queue{60'000};
  std::chrono::milliseconds high_watermark{5'000};  // "high" once the queue reaches it
  std::chrono::milliseconds low_watermark{1'000};   // then "low" once it is back under this
  std::chrono::milliseconds connect_timeout{3'000};
  StreamDisconnectAction on_disconnect = StreamDisconnectAction::Hangup;
  std::string disconnect_prompt = "Sorry, we lost the connection. Goodbye.";  // "" for none
};

}  // namespace voxgate::bot
