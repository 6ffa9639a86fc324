#include "bot/agent/menu_agent.hpp"

#include <algorithm>
#include <memory>
#include <set>
#include <utility>

namespace voxgate::bot {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether `phrase` occurs in `words` (both normalised) on word boundaries.
bool contains_phrase(std::string_view words, std::string_view phrase) {
  for (std::size_t at = words.find(phrase); at != std::string_view::npos; at = words.find(phrase, at + 1)) {
    const bool starts = at == 0 || words[at - 1] == ' ';
    const std::size_t end = at + phrase.size();
    const bool ends = end == words.size() || words[end] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

Result<void> validate_choice(const MenuConfig& config, const MenuState& state, std::size_t index,
                             const MenuChoice& choice) {
  const auto where = fmt::format("menu state '{}', choice {}", state.name, index + 1);
  if (choice.phrases.empty() && choice.digits.empty()) {
    return make_error(Errc::InvalidArgument, "{}: needs phrases or digits", where);
  }
  for (const std::string& phrase : choice.phrases) {
    if (phrase.empty() || normalise_transcript(phrase) != phrase) {
      return make_error(Errc::InvalidArgument, "{}: phrase '{}' must be lower-case words separated by one space", where,
                        phrase);
    }
  }
  if (choice.digits.find_first_not_of("0123456789*#ABCD") != std::string::npos) {
    return make_error(Errc::InvalidArgument, "{}: digits '{}' may hold 0-9, *, # and A-D only", where, choice.digits);
  }
  const auto known = [&](const std::string& name) {
    return std::any_of(config.states.begin(), config.states.end(), [&](const MenuState& s) { return s.name == name; });
  };
  if (!choice.next.empty() && !known(choice.next)) {
    return make_error(Errc::InvalidArgument, "{}: next state '{}' does not exist", where, choice.next);
  }
  if (choice.action == AgentAction::Transfer && choice.transfer_target.empty()) {
    return make_error(Errc::InvalidArgument, "{}: a transfer needs a target", where);
  }
  return {};
}

}  // namespace

std::string normalise_transcript(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (const char raw : text) {
    const char c = lower(raw);
    if (is_word_char(c)) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(c);
    } else {
      space = true;
    }
  }
  return out;
}

Result<void> validate(const MenuConfig& config) {
  if (config.states.empty()) return make_error(Errc::InvalidArgument, "the menu has no states");
  std::set<std::string> names;
  for (const MenuState& state : config.states) {
    if (state.name.empty()) return make_error(Errc::InvalidArgument, "a menu state has no name");
    if (!names.insert(state.name).second) {
      return make_error(Errc::InvalidArgument, "menu state '{}' is defined twice", state.name);
    }
    if (state.prompt.empty()) return make_error(Errc::InvalidArgument, "menu state '{}' has no prompt", state.name);
  }
  if (!names.contains(config.start)) {
    return make_error(Errc::InvalidArgument, "the menu's start state '{}' does not exist", config.start);
  }
  for (const MenuState& state : config.states) {
    for (std::size_t i = 0; i < state.choices.size(); ++i) {
      if (auto valid = validate_choice(config, state, i, state.choices[i]); !valid) return valid;
    }
  }
  return {};
}

MenuConfig demo_menu() {
  MenuConfig menu;
  menu.start = "main";
  MenuState main{"main",
                 "Welcome to voxgate. Say sales, support or goodbye. Or press 1 for sales, 2 for support.",
                 "Are you still there? Say sales, support or goodbye.",
                 "Sorry, I did not get that.",
                 {}};
  main.choices.push_back(MenuChoice{{"sales"}, "1", AgentAction::Continue, "sales", "", ""});
  main.choices.push_back(MenuChoice{{"support"}, "2", AgentAction::Continue, "support", "", ""});
  main.choices.push_back(MenuChoice{{"goodbye"}, "#", AgentAction::Hangup, "", "Goodbye.", ""});
  MenuState sales{
      "sales", "This is sales. Say main menu to go back, or goodbye.", "", "Sorry, I did not get that.", {}};
  sales.choices.push_back(MenuChoice{{"main menu"}, "0", AgentAction::Continue, "main", "", ""});
  sales.choices.push_back(MenuChoice{{"goodbye"}, "#", AgentAction::Hangup, "", "Goodbye.", ""});
  MenuState support{
      "support", "This is support. Say main menu to go back, or goodbye.", "", "Sorry, I did not get that.", {}};
  support.choices = sales.choices;
  menu.states = {std::move(main), std::move(sales), std::move(support)};
  return menu;
}

Result<std::unique_ptr<MenuAgent>> MenuAgent::create(MenuConfig config) {
  if (auto valid = validate(config); !valid) return tl::unexpected(valid.error());
  return std::unique_ptr<MenuAgent>(new MenuAgent(std::move(config)));
}

MenuAgent::MenuAgent(MenuConfig config) : states_(std::move(config.states)) {
  current_ = index_of(config.start);
}

std::size_t MenuAgent::index_of(const std::string& name) const {
  const auto it = std::find_if(states_.begin(), states_.end(), [&](const MenuState& s) { return s.name == name; });
  return static_cast<std::size_t>(it - states_.begin());  // validate() made sure it exists
}

AgentDirective MenuAgent::listening() const {
  AgentDirective directive;
  for (const MenuChoice& choice : states_[current_].choices) {
    directive.expected.insert(directive.expected.end(), choice.phrases.begin(), choice.phrases.end());
  }
  return directive;
}

const MenuChoice* MenuAgent::match(const AgentTurn& turn) const {
  const std::string words = normalise_transcript(turn.transcript);
  for (const MenuChoice& choice : states_[current_].choices) {
    if (turn.digit && choice.digits.find(*turn.digit) != std::string::npos) return &choice;
    if (words.empty()) continue;
    for (const std::string& phrase : choice.phrases) {
      if (contains_phrase(words, phrase)) return &choice;
    }
  }
  return nullptr;
}

void MenuAgent::start(AgentReplySink& sink) {
  sink.on_text(states_[current_].prompt);
  sink.on_done(listening());
}

void MenuAgent::respond(const AgentTurn& turn, AgentReplySink& sink) {
  const MenuChoice* choice = match(turn);
  if (choice == nullptr) {
    sink.on_text(states_[current_].no_match);
    sink.on_text(states_[current_].prompt);
    sink.on_done(listening());
    return;
  }
  if (!choice->say.empty()) sink.on_text(choice->say);
  if (choice->action != AgentAction::Continue) {
    AgentDirective directive;
    directive.action = choice->action;
    directive.transfer_target = choice->transfer_target;
    sink.on_done(std::move(directive));
    return;
  }
  if (!choice->next.empty()) current_ = index_of(choice->next);
  sink.on_text(states_[current_].prompt);
  sink.on_done(listening());
}

void MenuAgent::reprompt(AgentReplySink& sink) {
  const MenuState& state = states_[current_];
  sink.on_text(state.reprompt.empty() ? state.prompt : state.reprompt);
  sink.on_done(listening());
}

}  // namespace voxgate::bot
