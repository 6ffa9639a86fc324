#include "bot/pipeline/stage_chain.hpp"

#include <utility>

namespace voxgate::bot {

StageChain::StageChain(std::vector<Stage*> stages) : stages_(std::move(stages)) {
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    links_.push_back(std::make_unique<Link>(*this, i));
    stages_[i]->connect(*links_.back());
  }
}

void StageChain::push_first(Frame frame) {
  if (!stages_.empty()) stages_.front()->process(std::move(frame), Direction::Downstream);
}

void StageChain::push_last(Frame frame) {
  if (!stages_.empty()) stages_.back()->process(std::move(frame), Direction::Upstream);
}

void StageChain::Link::push(Frame frame, Direction direction) {
  const auto& stages = chain_.stages_;
  if (direction == Direction::Downstream) {
    if (index_ + 1 < stages.size()) stages[index_ + 1]->process(std::move(frame), direction);
  } else if (index_ > 0) {
    stages[index_ - 1]->process(std::move(frame), direction);
  }
}

}  // namespace voxgate::bot
