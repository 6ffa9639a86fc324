#pragma once
// A bot call's inputs on their way from the call's loop to the bot thread
// (issue 7: system frames overtake data frames). The caller's audio is
// data: taken in order, and when the bot thread has fallen behind by more
// than `max_frames`, the oldest frames are dropped and counted, so a bot
// that catches up hears the present rather than a backlog. Everything
// else (a key, the playout reports, the API's say, the call's end) is a
// system input, taken before any frame still waiting: a key pressed while
// 300 ms of audio wait is acted on now, not after them.
//
// Thread-safe: the call's loop pushes, the bot thread takes. A push that
// finds the inbox idle says so, and its caller posts one drain to the bot
// thread; the drain takes until the inbox is empty, which makes it idle
// again.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

namespace voxgate::bot {

struct BotLink;

class BotInbox {
 public:
  using Frame = std::vector<std::int16_t>;
  using Task = std::function<void(BotLink&)>;
  using Input = std::variant<Task, Frame>;

  explicit BotInbox(std::size_t max_frames = 50) : max_frames_(max_frames) {}

  // True when the inbox was idle: post a drain.
  [[nodiscard]] bool push_frame(Frame frame);
  [[nodiscard]] bool push_system(Task task);

  // The next input: the oldest system one if any, else the oldest frame;
  // nullopt when there is none (the inbox is idle from then on).
  std::optional<Input> take();

  [[nodiscard]] std::uint64_t frames_dropped() const;

 private:
  bool wake();  // with mu_ held

  mutable std::mutex mu_;
  std::deque<Task> system_;
  std::deque<Frame> frames_;
  std::size_t max_frames_;
  std::uint64_t dropped_ = 0;
  bool draining_ = false;  // a drain is posted or running
};

}  // namespace voxgate::bot
