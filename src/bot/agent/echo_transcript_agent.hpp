#pragma once
// The `echo-transcript` agent: says back what it recognised ("You said
// support.") or which key was pressed. A check of the whole pipeline —
// recogniser, voice, playout — with nothing else in the way. The default
// recogniser listens for expected phrases only (bot/stt), so this agent
// expects a small fixed vocabulary, settable.
#include <string>
#include <vector>

#include "bot/agent/agent.hpp"

namespace voxgate::bot {

class EchoTranscriptAgent final : public Agent {
 public:
  explicit EchoTranscriptAgent(std::vector<std::string> vocabulary = default_vocabulary())
      : vocabulary_(std::move(vocabulary)) {}

  static std::vector<std::string> default_vocabulary();

  void start(AgentReplySink& sink) override;
  void respond(const AgentTurn& turn, AgentReplySink& sink) override;
  void reprompt(AgentReplySink& sink) override;

 private:
  [[nodiscard]] AgentDirective listening() const;

  std::vector<std::string> vocabulary_;
};

}  // namespace voxgate::bot
