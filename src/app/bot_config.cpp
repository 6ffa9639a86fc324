#include "app/bot_config.hpp"

#include <utility>

#include "app/bot_agent_config.hpp"

namespace voxgate::app {
namespace {

Result<bot::AgentAction> action_from(std::string_view name, const std::string& key) {
  if (name == "continue") return bot::AgentAction::Continue;
  if (name == "hangup") return bot::AgentAction::Hangup;
  if (name == "transfer") return bot::AgentAction::Transfer;
  return make_error(Errc::InvalidArgument, "{}: '{}' is not one of continue, hangup, transfer", key, name);
}

// An array of tables at `key`, each read by `read(reader, index)`.
template <class Read>
Result<void> each_table(TableReader& parent, std::string_view key, Read read) {
  const toml::node* node = parent.node(key);
  if (node == nullptr) return {};
  const toml::array* array = node->as_array();
  if (array == nullptr)
    return make_error(Errc::InvalidArgument, "{}: must be an array of tables", parent.key_path(key));
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string path = fmt::format("{}[{}]", parent.key_path(key), i);
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) return make_error(Errc::InvalidArgument, "{}: must be a table", path);
    TableReader reader(table, path);
    if (auto done = read(reader); !done) return done;
    VOXGATE_TRY(reader.finish());
  }
  return {};
}

Result<void> read_choice(TableReader& table, bot::MenuChoice& choice) {
  std::optional<std::vector<std::string>> phrases;
  VOXGATE_TRY(table.strings("phrases", phrases));
  if (phrases) choice.phrases = std::move(*phrases);
  VOXGATE_TRY(table.string("digits", choice.digits));
  VOXGATE_TRY(table.string("next", choice.next));
  VOXGATE_TRY(table.string("say", choice.say));
  std::string action = "continue";
  VOXGATE_TRY(table.string("action", action));
  auto kind = action_from(action, table.key_path("action"));
  if (!kind) return tl::unexpected(kind.error());
  choice.action = *kind;
  VOXGATE_TRY(table.string("transfer_to", choice.transfer_target));
  return {};
}

Result<void> read_state(TableReader& table, bot::MenuState& state) {
  VOXGATE_TRY(table.string("name", state.name));
  VOXGATE_TRY(table.string("prompt", state.prompt));
  VOXGATE_TRY(table.string("reprompt", state.reprompt));
  VOXGATE_TRY(table.string("no_match", state.no_match));
  return each_table(table, "choices", [&](TableReader& choice_table) -> Result<void> {
    bot::MenuChoice choice;
    if (auto read = read_choice(choice_table, choice); !read) return read;
    state.choices.push_back(std::move(choice));
    return {};
  });
}

Result<void> read_menu(TableReader& bot_table, bot::MenuConfig& menu) {
  auto table = bot_table.table("menu");
  if (!table) return tl::unexpected(table.error());
  if (table->node("states") == nullptr && table->finish()) return {};  // absent: the demo menu stays
  bot::MenuConfig read;
  VOXGATE_TRY(table->string("start", read.start));
  auto states = each_table(*table, "states", [&](TableReader& state_table) -> Result<void> {
    bot::MenuState state;
    if (auto done = read_state(state_table, state); !done) return done;
    read.states.push_back(std::move(state));
    return {};
  });
  if (!states) return states;
  VOXGATE_TRY(table->finish());
  if (auto valid = bot::validate(read); !valid) {
    return make_error(Errc::InvalidArgument, "{}: {}", bot_table.key_path("menu"), valid.error().message);
  }
  menu = std::move(read);
  return {};
}

// tts names the provider; voice is that provider's voice; [bot.espeak]
// tunes espeak-ng.
Result<void> read_tts(TableReader& table, bot::TtsSettings& tts) {
  VOXGATE_TRY(table.string("tts", tts.provider));
  if (!bot::is_synthesizer_provider(tts.provider)) {
    return make_error(Errc::InvalidArgument, "{}: '{}' is not one of {}", table.key_path("tts"), tts.provider,
                      bot::synthesizer_names());
  }
  if (tts.provider == "espeak-ng") {
    // Any of espeak-ng's voices; an unknown one fails the start (the
    // library knows its voices, the configuration does not).
    VOXGATE_TRY(table.string("voice", tts.espeak.voice));
    if (tts.espeak.voice.empty()) {
      return make_error(Errc::InvalidArgument, "{}: must name an espeak-ng voice (en-us, en-gb, de, fr, ...)",
                        table.key_path("voice"));
    }
  } else {
    std::string voice = tts.flite.voice == bot::FliteOptions::Voice::Kal ? "kal" : "kal16";
    VOXGATE_TRY(table.string("voice", voice));
    if (voice != "kal" && voice != "kal16") {
      return make_error(Errc::InvalidArgument, "{}: '{}' is not one of kal, kal16 (the flite voices)",
                        table.key_path("voice"), voice);
    }
    tts.flite.voice = voice == "kal" ? bot::FliteOptions::Voice::Kal : bot::FliteOptions::Voice::Kal16;
  }
  auto espeak = table.table("espeak");
  if (!espeak) return tl::unexpected(espeak.error());
  VOXGATE_TRY(espeak->integer("words_per_minute", tts.espeak.words_per_minute, 80, 450));
  VOXGATE_TRY(espeak->integer("pitch", tts.espeak.pitch, 0, 100));
  return espeak->finish();
}

}  // namespace

Result<void> read_bot_table(TableReader& table, bot::BotSettings& bot) {
  std::string agent(bot::to_string(bot.agent));
  VOXGATE_TRY(table.string("agent", agent));
  if (agent == "menu") {
    bot.agent = bot::AgentKind::Menu;
  } else if (agent == "echo-transcript") {
    bot.agent = bot::AgentKind::EchoTranscript;
  } else if (agent == "http") {
    bot.agent = bot::AgentKind::Http;
  } else if (agent == "websocket") {
    bot.agent = bot::AgentKind::WebSocket;
  } else {
    return make_error(Errc::InvalidArgument, "{}: '{}' is not one of menu, echo-transcript, http, websocket",
                      table.key_path("agent"), agent);
  }
  VOXGATE_TRY(read_tts(table, bot.tts));
  auto& conversation = bot.conversation;
  VOXGATE_TRY(table.milliseconds("end_silence_ms", conversation.endpointing.end_silence, 100, 10'000));
  VOXGATE_TRY(table.milliseconds("min_speech_ms", conversation.endpointing.min_speech, 20, 2'000));
  VOXGATE_TRY(table.milliseconds("barge_in_ms", conversation.barge_in, 0, 10'000));
  VOXGATE_TRY(table.integer("barge_in_words", conversation.barge_in_words, 0, 20));
  VOXGATE_TRY(table.milliseconds("preemptive_after_ms", conversation.preemptive_after, 0, 10'000));
  VOXGATE_TRY(table.milliseconds("reprompt_after_ms", conversation.inactivity.reprompt_after, 0, 3'600'000));
  VOXGATE_TRY(table.integer("max_reprompts", conversation.inactivity.max_reprompts, 0, 100));
  VOXGATE_TRY(table.milliseconds("hangup_after_ms", conversation.inactivity.hangup_after, 0, 3'600'000));
  VOXGATE_TRY(table.string("fallback_prompt", conversation.fallback_prompt));
  VOXGATE_TRY(read_menu(table, bot.menu));
  VOXGATE_TRY(read_bot_http(table, bot.http, bot.agent == bot::AgentKind::Http));
  VOXGATE_TRY(read_bot_websocket(table, bot.websocket, bot.agent == bot::AgentKind::WebSocket));
  return table.finish();
}

Result<void> read_bot(TableReader& root, bot::BotSettings& bot) {
  auto table = root.table("bot");
  if (!table) return tl::unexpected(table.error());
  return read_bot_table(*table, bot);
}

Result<void> read_bots(TableReader& root, bot::BotProfiles& bots) {
  const toml::node* node = root.node("bots");
  if (node == nullptr) return {};
  const toml::table* tables = node->as_table();
  if (tables == nullptr) {
    return make_error(Errc::InvalidArgument, "bots: must be a table of bot profiles ([bots.<name>] sections)");
  }
  for (const auto& [key, value] : *tables) {
    const std::string name(key.str());
    const std::string path = root.key_path(fmt::format("bots.{}", name));
    if (name == bot::kDefaultBotProfile) {
      return make_error(Errc::InvalidArgument, "{}: the default profile is [bot]", path);
    }
    if (!value.is_table()) return make_error(Errc::InvalidArgument, "{}: must be a table", path);
    TableReader reader(value.as_table(), path);
    bot::BotSettings settings;  // the documented defaults: a profile inherits nothing from [bot]
    VOXGATE_TRY(read_bot_table(reader, settings));
    bots.emplace(name, std::move(settings));
  }
  return {};
}

}  // namespace voxgate::app
