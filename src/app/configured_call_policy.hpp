#pragma once
// What `voxgate serve` does with an incoming call until routing arrives
// (issue 6): accept it, after ringing for [answer] answer_delay_ms, and
// serve it with the [media] app (echo by default), recorded when asked. A
// call whose app cannot be built (a missing prompt file) is refused with
// 500 rather than answered into silence.

#include "app/config.hpp"
#include "base/log.hpp"
#include "session/incoming_call.hpp"

namespace voxgate::app {

class ConfiguredCallPolicy final : public session::IncomingCallPolicy {
 public:
  ConfiguredCallPolicy(MediaConfig media, AnswerConfig answer, Logger log)
      : media_(std::move(media)), answer_(answer), log_(std::move(log)) {}

  session::IncomingDecision on_incoming_call(const session::IncomingCall& call) override;

 private:
  MediaConfig media_;
  AnswerConfig answer_;
  Logger log_;
};

}  // namespace voxgate::app
