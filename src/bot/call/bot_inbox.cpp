#include "bot/call/bot_inbox.hpp"

#include <utility>

namespace voxgate::bot {

bool BotInbox::wake() {
  if (draining_) return false;
  draining_ = true;
  return true;
}

bool BotInbox::push_frame(Frame frame) {
  const std::lock_guard lock(mu_);
  frames_.push_back(std::move(frame));
  while (frames_.size() > max_frames_) {
    frames_.pop_front();
    ++dropped_;
  }
  return wake();
}

bool BotInbox::push_system(Task task) {
  const std::lock_guard lock(mu_);
  system_.push_back(std::move(task));
  return wake();
}

std::optional<BotInbox::Input> BotInbox::take() {
  const std::lock_guard lock(mu_);
  if (!system_.empty()) {
    Input input(std::in_place_type<Task>, std::move(system_.front()));
    system_.pop_front();
    return input;
  }
  if (!frames_.empty()) {
    Input input(std::in_place_type<Frame>, std::move(frames_.front()));
    frames_.pop_front();
    return input;
  }
  draining_ = false;
  return std::nullopt;
}

std::uint64_t BotInbox::frames_dropped() const {
  const std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace voxgate::bot
