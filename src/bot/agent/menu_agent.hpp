#pragma once
// The built-in menu agent: a small state machine from configuration, the
// demo bot `make run` answers with. Each menu state has a prompt, choices
// selected by phrases (what the recognizer is told to expect) or keys, and
// what a choice does: go to another state (saying its prompt), or say a
// line and hang up or transfer.
//
//   start = "main"
//   [[bot.menu.states]]  name = "main"
//     prompt = "Say sales or support, or press 1 or 2."
//     [[...choices]] phrases = ["sales"]   digits = "1"  next = "sales"
//     [[...choices]] phrases = ["goodbye"] digits = "#"  say = "Goodbye." action = "hangup"
//
// A turn that matches nothing gets the state's no_match line and its prompt
// again; a reprompt says the state's reprompt (or its prompt).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bot/agent/agent.hpp"

namespace voxgate::bot {

struct MenuChoice {
  std::vector<std::string> phrases;  // lower-case words; matched as whole words in the transcript
  std::string digits;                // keys that select it, e.g. "1" or "0#"
  AgentAction action = AgentAction::Continue;
  std::string next;             // Continue: the state to go to ("" stays)
  std::string say;              // said first (Hangup/Transfer: the last words)
  std::string transfer_target;  // Transfer
};

struct MenuState {
  std::string name;
  std::string prompt;
  std::string reprompt;  // "" says the prompt again
  std::string no_match = "Sorry, I did not get that.";
  std::vector<MenuChoice> choices;
};

struct MenuConfig {
  std::string start;
  std::vector<MenuState> states;
};

// Every choice's next names a state, the start exists, names are unique,
// choices have phrases or digits, phrases are lower-case words, a transfer
// has a target. InvalidArgument naming the state and choice otherwise.
Result<void> validate(const MenuConfig& config);

// The demo menu of `make run` (docs: README "Voice bot").
MenuConfig demo_menu();

class MenuAgent final : public Agent {
 public:
  // InvalidArgument when validate() refuses the config.
  static Result<std::unique_ptr<MenuAgent>> create(MenuConfig config);

  void start(AgentReplySink& sink) override;
  void respond(const AgentTurn& turn, AgentReplySink& sink) override;
  void reprompt(AgentReplySink& sink) override;

  [[nodiscard]] const std::string& state() const noexcept { return states_[current_].name; }

 private:
  explicit MenuAgent(MenuConfig config);
  [[nodiscard]] const MenuChoice* match(const AgentTurn& turn) const;
  [[nodiscard]] std::size_t index_of(const std::string& name) const;
  [[nodiscard]] AgentDirective listening() const;

  std::vector<MenuState> states_;
  std::size_t current_ = 0;
};

// Lower-case words of `text`, punctuation dropped ("Sales, please!" ->
// "sales please").
std::string normalise_transcript(std::string_view text);

}  // namespace voxgate::bot
