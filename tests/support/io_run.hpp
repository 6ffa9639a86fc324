#pragma once
// Driving an io_context from a test's own thread: until a condition holds
// (bounded), or for a while whatever happens. Shared by the tests of the
// HTTP client, the webhook dispatcher and the bot's agents.
#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

namespace voxgate::test {

// Runs `io` until `done()` or `bound` passes; what done() says then.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds bound = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_one_for(std::chrono::milliseconds(10));
  }
  return done();
}

// Runs `io` for `duration`, whatever happens.
inline void run_for(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_one_until(end);
  }
}

}  // namespace voxgate::test
