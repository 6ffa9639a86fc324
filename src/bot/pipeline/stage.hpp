#pragma once
// The uniform stage interface of a conversation (issue 7): a stage takes
// one frame at a time and pushes what it makes of it to its neighbours.
// Each stage owns one concern (a provider and the state around it); the
// Conversation strings them into a StageChain:
//
//   VoiceStage -> RecognitionStage -> TurnStage -> SpeechStage -> PlayoutStage
//
// A stage passes on, unchanged and in the same direction, every frame that
// is not its business; it consumes the frames only it needs (caller audio
// ends at TurnStage, playout reports at PlayoutStage).
#include "bot/pipeline/frame.hpp"

namespace voxgate::bot {

// Where a stage's frames go: its neighbours, through the chain.
class FrameSink {
 public:
  FrameSink() = default;
  FrameSink(const FrameSink&) = delete;
  FrameSink& operator=(const FrameSink&) = delete;
  virtual ~FrameSink() = default;

  virtual void push(Frame frame, Direction direction) = 0;
};

class Stage {
 public:
  Stage() = default;
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;
  virtual ~Stage() = default;

  // Called by the chain (or a test) before the first frame. A stage keeps
  // its sink because some frames leave later than any process() call: an
  // agent answers when its web service does.
  void connect(FrameSink& out) noexcept { out_ = &out; }

  // Takes one frame travelling `direction`. Runs to completion: what it
  // pushes has been handled downstream (or upstream) when push() returns.
  virtual void process(Frame frame, Direction direction) = 0;

 protected:
  void push(Frame frame, Direction direction = Direction::Downstream) { out_->push(std::move(frame), direction); }

 private:
  FrameSink* out_ = nullptr;
};

}  // namespace voxgate::bot
