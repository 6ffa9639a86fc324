#include "runtime/event_loop.hpp"

namespace voxgate::runtime {

EventLoop::EventLoop(std::string name) : name_(std::move(name)), work_(boost::asio::make_work_guard(io_)) {}

EventLoop::~EventLoop() {
  stop();
  join();
}

bool EventLoop::in_loop_thread() const noexcept {
  return io_.get_executor().running_in_this_thread();
}

void EventLoop::run() {
  io_.run();
}

void EventLoop::start() {
  thread_ = std::thread([this] { run(); });
}

void EventLoop::stop() {
  work_.reset();
  io_.stop();
}

void EventLoop::join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace voxgate::runtime
