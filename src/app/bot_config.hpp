#pragma once
// The [bot] section: the voice bot that `app = "bot"` (in [media] or a
// route) answers with. Every key has a default; without [bot] at all the
// bot is the demo menu (bot::demo_menu()) with the documented defaults.
//
//   [bot]
//   agent = "menu"             # menu | echo-transcript | http ([bot.http], bot_agent_config.hpp)
//   tts = "flite"              # text to speech: flite | espeak-ng (bot/tts/synthesizer_factory.hpp)
//   voice = "kal"              # the tts provider's voice: flite kal (8 kHz) | kal16;
//                              # espeak-ng any of its voices (default en-us; en-gb, de, fr, ...)
//   end_silence_ms = 500       # silence after speech that ends the caller's turn
//   min_speech_ms = 100        # voiced audio before speech counts as started
//   barge_in_ms = 200          # caller speech that interrupts the bot; 0: off
//   barge_in_words = 0         # recognised words that interrupt the bot (either trigger); 0: off
//   preemptive_after_ms = 0    # silence after which an agent that can draft (http) is asked early; 0: off
//   reprompt_after_ms = 8000   # the caller's silence before a reprompt; 0: never
//   max_reprompts = 2
//   hangup_after_ms = 20000    # the caller's silence before hanging up; 0: never
//   fallback_prompt = "..."    # said when the agent fails
//   [bot.espeak]               # tts = "espeak-ng"
//   words_per_minute = 175     # 80..450
//   pitch = 50                 # 0..100
//   [bot.menu]                 # agent = "menu"; absent: the demo menu
//   start = "main"
//   [[bot.menu.states]]
//   name = "main"  prompt = "..."  reprompt = "..."  no_match = "..."
//   [[bot.menu.states.choices]]
//   phrases = ["sales"]  digits = "1"  next = "sales"
//   say = ""  action = "continue"  # continue | hangup | transfer (transfer_to)
//
// Named profiles, for routes (`bot = "<name>"`, routing_config.hpp): each
// [bots.<name>] has exactly [bot]'s keys ([bots.<name>.menu], .http,
// .websocket, .espeak) and starts from the same defaults; nothing is
// inherited from [bot]. [bot] itself is the profile "default".
//
//   [bots.sales]
//   agent = "menu"
//   [bots.sales.menu]
//   ...
#include "app/toml_table_reader.hpp"
#include "bot/call/bot_settings.hpp"

namespace voxgate::app {

// Reads one bot table (the keys of [bot]) into `bot`; errors name the key.
Result<void> read_bot_table(TableReader& table, bot::BotSettings& bot);
// Reads [bot] of `root` into `bot`.
Result<void> read_bot(TableReader& root, bot::BotSettings& bot);
// Reads every [bots.<name>] of `root` into `bots`; "default" is refused
// ([bot] is that one).
Result<void> read_bots(TableReader& root, bot::BotProfiles& bots);

}  // namespace voxgate::app
