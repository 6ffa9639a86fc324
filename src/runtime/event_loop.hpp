#pragma once
// One event loop per worker thread (docs/ARCHITECTURE.md, "Threading"). An
// EventLoop owns a Boost.Asio io_context that exactly one thread runs; every
// object pinned to the loop (a call's transactions, dialog, session, media)
// is touched only from that thread. Other threads hand work over with post().

#include <string>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace voxgate::runtime {

class EventLoop {
 public:
  explicit EventLoop(std::string name);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop();

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] boost::asio::io_context& context() noexcept { return io_; }

  // Queue `fn` to run on this loop's thread. Safe from any thread.
  template <class Fn>
  void post(Fn&& fn) {
    boost::asio::post(io_, std::forward<Fn>(fn));
  }

  // True on the thread currently running this loop.
  [[nodiscard]] bool in_loop_thread() const noexcept;

  // Run the loop on the calling thread until stop().
  void run();
  // Run the loop on a thread of its own until stop(); join() waits for it.
  void start();
  // Ask the loop to return from run(); queued handlers are not run. Safe from
  // any thread, idempotent.
  void stop();
  void join();

 private:
  std::string name_;
  mutable boost::asio::io_context io_{1};  // hint 1: a single thread runs it; mutable for get_executor()
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace voxgate::runtime
