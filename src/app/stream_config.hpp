#pragma once
// The [stream] section: where `app = "stream"` (in [media] or a route)
// sends the call, the user's own bot (bot/stream, docs/BOT.md "Bot
// streaming"). A route may name its own `stream_url`, `stream_profile` and
// `stream_parameters`.
//
//   [stream]
//   url = "ws://127.0.0.1:8765/media"  # ws:// (twilio, l16) or tcp://host:port (audiosocket)
//   profile = "twilio"                 # twilio | l16 | audiosocket
//   l16_rate = 8000                    # l16: 8000 or 16000
//   parameters = { tenant = "acme" }   # Twilio customParameters / jambonz metadata
//   account_sid = "AC000..."           # Twilio's start.accountSid
//   watermarks = true                  # queue-level messages (default: on for l16, off for twilio)
//   max_queue_ms = 60000               # the bot's audio queued beyond this is dropped
//   high_watermark_ms = 5000
//   low_watermark_ms = 1000
//   connect_timeout_ms = 3000
//   on_disconnect = "hangup"           # hangup | bot (the embedded voice bot takes over)
//   disconnect_prompt = "..."          # said before the hang-up; "" for none
#include "app/toml_table_reader.hpp"
#include "bot/stream/stream_settings.hpp"

namespace voxgate::app {

// Reads [stream] of `root` into `stream`; errors name the key.
Result<void> read_stream(TableReader& root, bot::StreamSettings& stream);
// The URL fits the profile: ws:// for twilio and l16, tcp:// for audiosocket.
Result<void> check_stream_url(std::string_view key, std::string_view url, bot::StreamProfile profile);

}  // namespace voxgate::app
