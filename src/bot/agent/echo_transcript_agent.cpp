#include "bot/agent/echo_transcript_agent.hpp"

#include <fmt/format.h>

namespace voxgate::bot {

std::vector<std::string> EchoTranscriptAgent::default_vocabulary() {
  return {"yes", "no", "hello", "sales", "support", "goodbye", "one", "two", "three"};
}

AgentDirective EchoTranscriptAgent::listening() const {
  AgentDirective directive;
  directive.expected = vocabulary_;
  return directive;
}

void EchoTranscriptAgent::start(AgentReplySink& sink) {
  sink.on_text("Say something, and I will repeat it.");
  sink.on_done(listening());
}

void EchoTranscriptAgent::respond(const AgentTurn& turn, AgentReplySink& sink) {
  if (turn.digit) {
    sink.on_text(fmt::format("You pressed {}.", *turn.digit));
  } else if (turn.transcript.empty()) {
    sink.on_text("I heard nothing I know.");
  } else {
    sink.on_text(fmt::format("You said {}.", turn.transcript));
  }
  sink.on_done(listening());
}

void EchoTranscriptAgent::reprompt(AgentReplySink& sink) {
  sink.on_text("I am listening.");
  sink.on_done(listening());
}

}  // namespace voxgate::bot
