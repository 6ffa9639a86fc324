#pragma once
// Stages in a row: a frame pushed downstream by one stage is processed by
// the next, upstream by the one before. A frame pushed past either end has
// no taker and is dropped.
//
// Synchronous, on the bot thread: a push runs the neighbour at once and
// returns when the frame (and all it caused) has been handled, so nothing
// waits between stages and frames keep their order. Where frames do wait,
// system frames overtake data: before the chain in BotInbox, after it in
// the call's playout queue (Interrupt flushes it).
#include <cstddef>
#include <memory>
#include <vector>

#include "bot/pipeline/stage.hpp"

namespace voxgate::bot {

class StageChain {
 public:
  // The stages in order, downstream first to last; they must outlive the chain.
  explicit StageChain(std::vector<Stage*> stages);

  // Into the first stage, travelling downstream (the call's inputs).
  void push_first(Frame frame);
  // Into the last stage, travelling upstream (the call's playout reports).
  void push_last(Frame frame);

 private:
  // A stage's sink: knows where it sits.
  class Link final : public FrameSink {
   public:
    Link(StageChain& chain, std::size_t index) : chain_(chain), index_(index) {}
    void push(Frame frame, Direction direction) override;

   private:
    StageChain& chain_;
    std::size_t index_;
  };

  std::vector<Stage*> stages_;
  std::vector<std::unique_ptr<Link>> links_;
};

}  // namespace voxgate::bot
