#pragma once
// What the UAS core decided about a received request: go on with it, answer
// it now with a ready response (405, 420, 481, 500...), or drop it (an ACK
// cannot be answered, §17.1.1.3).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "sip/message/message.hpp"

namespace voxgate::sip {

struct RequestDecision {
  enum class Kind : std::uint8_t { Proceed, Respond, Drop };

  Kind kind = Kind::Proceed;
  std::optional<Message> response;  // with Respond: the response to send
  std::string why;                  // with Drop: what was wrong, for the log

  static RequestDecision proceed() { return RequestDecision{}; }
  static RequestDecision respond(Message response) { return RequestDecision{Kind::Respond, std::move(response), {}}; }
  static RequestDecision drop(std::string why) { return RequestDecision{Kind::Drop, std::nullopt, std::move(why)}; }

  [[nodiscard]] bool proceeds() const noexcept { return kind == Kind::Proceed; }
  // The status of the response; 0 unless Respond.
  [[nodiscard]] std::uint16_t status() const noexcept { return response ? response->status() : 0; }
};

}  // namespace voxgate::sip
